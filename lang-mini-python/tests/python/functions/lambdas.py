sq = lambda x: x * x
print(sq(7))
add = lambda a, b=1: a + b
print(add(1), add(1, 2))
print((lambda: "no args")())
print(sorted([3, -1, 2], key=lambda v: abs(v)))
print(list(map(lambda s: s[::-1], ["ab", "cd"])))
print(list(filter(lambda n: n % 2, range(8))))
compose = lambda f, g: lambda x: f(g(x))
inc_then_sq = compose(sq, lambda x: x + 1)
print(inc_then_sq(3))
print((lambda *a, **k: (a, k))(1, x=2))
