a, b = 1, 2
a, b = b, a
print(a, b)
(x, y), z = (3, 4), 5
print(x, y, z)
[p, q] = [6, 7]
print(p, q)
for (i, j), k in [((1, 2), 3), ((4, 5), 6)]:
    print(i + j + k)
first, rest = 1, [2, 3, 4]
print(first, rest)
m = [1, 2, 3]
m[0], m[2] = m[2], m[0]
print(m)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = (1, 2)
except ValueError as e:
    print("ValueError:", e)
