def f(a, *args, b, *c):
    pass
