a = list(range(10))
print(a[1], a[-1], a[2:5], a[::2], a[1:8:3], a[:], a[::-1])
a[0] = 100
a[1:3] = [7, 8]
del a[0]
del a[2:4]
a[2] += 5
m = {"k": 1}
m["k"] *= 3
first, *rest = a
x, y = y, x = 1, 2
(p, q), r = (1, 2), 3
