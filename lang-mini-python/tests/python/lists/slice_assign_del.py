a = list(range(10))
a[2:5] = ["a", "b"]
print(a)
a[:0] = [100]
print(a)
del a[0]
print(a)
del a[1:3]
print(a)
del a[::2]
print(a)
a[1:1] = [7, 7, 7]
print(a)
a[-1:] = []
print(a)
del a[-1]
print(a)
x = [1, 2, 3, 4, 5, 6]
x[::2] = [0, 0, 0]
print(x)
