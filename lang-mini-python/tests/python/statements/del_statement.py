x = 1
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
lst = [1, 2, 3, 4, 5]
del lst[0]
del lst[-1]
print(lst)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
a, b = 1, 2
del a, b
print("deleted both")
m = [[1, 2], [3, 4]]
del m[0][1]
print(m)
