def gen(n):
    for i in range(n):
        x = yield i
        if x is not None:
            print("got", x)
    return "done"
g = gen(3)
print(next(g))
print(g.send("a"))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("stop", e, e.args)
def outer():
    r = yield from gen(2)
    print("r", r)
    yield from [7, 8]
    yield from "ab"
print(list(outer()))
print(sum(x * x for x in range(10)))
def bad():
    yield 1
    raise StopIteration
try:
    print(list(bad()))
except RuntimeError as e:
    print("RE", e)
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
def exc_gen():
    try:
        raise ValueError("v")
    except ValueError:
        yield 1
        raise
g = exc_gen()
print(next(g))
try:
    next(g)
except ValueError as e:
    print("re-raised", e)
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = counter(); c(); print(c())
g = (i for i in range(3))
print(type(g).__name__, list(g), list(g))
def r(): 
    yield g2 if False else 1
print(list(zip(gen(3), "xyz")))
def self_ref():
    yield next(me)
me = self_ref()
try:
    next(me)
except ValueError as e:
    print(e)
print(next(iter([]), "dflt"))
def ret5():
    return 5
    yield
next(ret5())
