data = {"a": (1, 2), "b": (3, 4)}
for key, (lo, hi) in data.items():
    print(key, lo + hi)
for i, (a, b) in enumerate([(5, 6), (7, 8)]):
    print(i, a * b)
pairs = [[1, 2], [3, 4]]
for [p, q] in pairs:
    print(p - q)
for x, y in zip(range(3), range(3, 6)):
    print(x * y, end=" ")
print()
