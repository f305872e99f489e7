a = {"x": 1, "y": 2}
b = {"y": 2, "x": 1}
print(a == b, a != b, a == {"x": 1})
print({1: [1, 2]} == {1: [1, 2]})
print(dict(a) is a, dict(a) == a)
print(list(a.items()) == list(b.items()))
