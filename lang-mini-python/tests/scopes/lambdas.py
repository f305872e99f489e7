def adder(n):
    return lambda x, y=n: x + y + n

compose = lambda f, g: lambda x: f(g(x))
items = sorted([3, 1, 2], key=lambda v: -v)
