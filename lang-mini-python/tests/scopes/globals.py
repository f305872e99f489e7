counter = 0
def bump():
    global counter
    counter += 1
    return counter
def reader():
    return counter + len([1])
def shadow():
    counter = 5
    return counter
