print(list(), list("abc"), list(range(4)), list((1, 2)))
print(list({"a": 1, "b": 2}))
print(list(map(str, [1, 2])))
l = [4, 2]
m = list(l)
m.append(0)
print(l, m)
print(len([[]]), len([None, None]))
