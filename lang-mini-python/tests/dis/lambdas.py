square = lambda x: x * x
add = lambda a, b=1: a + b
pairs = sorted([(1, "b"), (0, "a")], key=lambda p: p[1], reverse=True)
print(square(3), add(2), pairs, list(map(lambda v: v + 1, [1, 2])))
