d = {"a": 1, "b": 2}
e = {**d, "c": 3}
s = {1, 2, 3}
t = (1, 2, 3)
u = (*t, 4)
l = [*t, *s, 5]
empty = {}
single = (1,)
print(d, e, s, t, u, l, empty, single, {"k": [1, {"x": (2,)}]})
