a = [3, 1, 4, 1, 5, 9, 2, 6]
print(a, len(a))
print(a[0], a[-1], a[2:5], a[::-1], a[::3], a[-3:-1])
a[0] = 30
print(a)
a.append(7)
a.extend([8, 8])
a.insert(0, -1)
a.insert(100, 99)
print(a)
print(a.pop(), a.pop(0), a.pop(2))
a.remove(1)
print(a)
print(a.index(5), a.count(8), 9 in a, 10 not in a)
