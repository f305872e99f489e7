x = None
print(x is None, x is not None, x == None)
print(repr(None), str(None), type(None).__name__)
def f():
    pass
print(f())
r = f()
print(r is None)
def g(a=None):
    if a is None:
        a = []
    a.append(1)
    return a
print(g(), g(), g([5]))
