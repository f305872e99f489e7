def outer(a, b=1, *args, c, d=2, **kw):
    x = a + b
    y = 0
    def inner(z):
        nonlocal y
        y += z
        return x + y + z + g
    return inner

g = 10
