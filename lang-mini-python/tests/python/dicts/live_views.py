d = {"x": 1, "y": 2}
k = d.keys()
v = d.values()
it = d.items()
print(k, v, it)
print(type(k).__name__, type(v).__name__, type(it).__name__)
d["z"] = 3
del d["x"]
print(k, v, it, len(k), len(v), len(it))
print("y" in k, "x" in k, 3 in v, 1 in v, ("z", 3) in it, ("z", 4) in it, "z" in it)
print(bool({}.keys()), bool(k), list(reversed(list(it))))
print(sorted(v), [key for key in k], dict(it))
e = {}
print(e.keys(), e.values(), e.items())
for key, val in d.items():
    d[key] = val * 10
print(d)
try:
    for key in d.keys():
        del d[key]
except RuntimeError as err:
    print("RuntimeError:", err)
print(d)
try:
    for val in d.values():
        d["new"] = val
except RuntimeError as err:
    print("RuntimeError:", err)
print(d)
