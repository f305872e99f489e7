def ok(a, b):
    return a + b

class Fine:
    def method(self):
        return ok(1, 2)

def broken(x):
    if x == 1:
        return "one"
    elif x = 2:
        return "two"
