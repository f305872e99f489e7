counter = 0
def bump(k):
    global counter
    counter += k
    assert counter > 0, "must be positive"
    assert k
    del k
    pass

x = 1; y = 2; z = 3
a = b = c = 0
v: int = 5
w: list
