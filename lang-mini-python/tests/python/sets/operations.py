a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(b - a))
print(a <= {1, 2, 3, 4, 5}, {1, 2} < a, a >= {1}, a > a, a == {4, 3, 2, 1})
c = set()
c.update([1, 2], {9})
print(sorted(c))
c.clear()
print(c)
f = frozenset([1, 2, 2])
print(sorted(f), len(f), 1 in f)
print(f == {1, 2})
d = {f: "frozen"}
print(d[frozenset([2, 1])])
