a = [1, 2, 3]
b = a
c = a.copy()
d = a[:]
a.append(4)
print(a, b, c, d)
print(a is b, a is c, a == b)
b.clear()
print(a, len(a))
nested = [[0] * 3 for _ in range(2)]
nested[0][1] = 5
print(nested)
shared = [[0] * 2] * 2
shared[0][0] = 9
print(shared)
