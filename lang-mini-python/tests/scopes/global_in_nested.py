x = 1
def f():
    x = 2
    def g():
        global x
        x = 3
        def h():
            return x
        return h
    return g
