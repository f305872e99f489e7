d = {"a": 1, "b": 2}
ks = d.keys()
vs = d.values()
its = d.items()
d["c"] = 3
print(list(ks), list(vs), list(its))
print(len(ks), "a" in ks, 2 in vs, ("c", 3) in its)
for k, v in sorted(d.items(), reverse=True):
    print(k, v)
print(sum(d.values()), sorted(d.keys(), reverse=True))
