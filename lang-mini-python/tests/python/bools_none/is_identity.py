a = [1, 2]
b = a
c = list(a)
print(a is b, a is c, a == c, a is not c)
n = None
print(n is None, None is None, type(n) is type(None))
t = True
print(t is True, (1 == 1) is True, bool(0) is False)
def f():
    return None
print(f() is None)
x = ()
print(x == (), len(x) == 0)
