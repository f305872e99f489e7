d = {"a": 1, "b": 2}
d["c"] = 3
print(d, len(d))
print(d["a"], d.get("z"), d.get("z", 0))
print("a" in d, "z" in d, "z" not in d)
d["a"] = 10
print(d)
del d["b"]
print(d)
print(list(d.keys()), list(d.values()), list(d.items()))
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(k, "->", v)
