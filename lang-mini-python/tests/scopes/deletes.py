def f():
    a = 1
    del a
    b = [1, 2]
    del b[0]
    def g():
        return b
    return g

z = 1
del z
