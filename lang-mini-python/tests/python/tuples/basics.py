t = (1, "two", 3.0)
print(t, len(t), t[1], t[-1], t[:2])
print((), (5,), tuple([1, 2]))
a, b, c = t
print(a, b, c)
print(t + (4,), t * 2)
print(1 in t, "two" in t, 5 not in t)
print((1, 2) < (1, 3), (1, 2) == (1, 2))
x = 1, 2
print(x, type(x).__name__)
print(tuple("hey"))
