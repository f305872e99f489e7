d = {}
for w in ["pear", "apple", "fig", "apple", "kiwi", "pear"]:
    d[w] = d.get(w, 0) + 1
print(d)
del d["apple"]
d["apple"] = 9
print(d)
print(list(d))
print(sorted(d), sorted(d.items(), key=lambda kv: kv[1]))
print({k: v for k, v in sorted(d.items())})
