def a():
    v = 0
    def b():
        def c():
            nonlocal v
            v += 1
            return v
        return c
    return b
