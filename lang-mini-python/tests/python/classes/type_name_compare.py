vals = [1, 2.0, "s", [1], (1,), {1: 2}, {1}, None, True, range(2), len]
for v in vals:
    print(type(v).__name__, type(v))
print(type(1) == int, type("") is str, type([]) != list)
class K: pass
print(type(K()).__name__, type(K))
