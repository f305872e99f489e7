x = "outer"
squares = [x * 2 for x in range(3)]
print(x, squares)
i = 100
evens = {i: i for i in range(4) if i % 2 == 0}
print(i, evens)
def f():
    n = 10
    return [n + k for k in range(3)]
print(f())
def g():
    vals = [1, 2, 3]
    factor = 3
    return [[factor * v for v in vals] for _ in range(2)]
print(g())
