def f(a, b=2, *args, c, d=4, **kwargs):
    return a + b + c + d + len(args) + len(kwargs)

f(1, c=3)
f(1, 2, 3, 4, c=5, e=6)
f(*[1, 2], **{"c": 3})
f(0, *(1, 2), c=1, **{"d": 2})
