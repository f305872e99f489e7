records = [("fruit", "apple"), ("veg", "kale"), ("fruit", "fig"), ("grain", "rice"), ("veg", "leek")]
groups = {}
for kind, name in records:
    if kind not in groups:
        groups[kind] = []
    groups[kind].append(name)
print(groups)
counts = {k: len(v) for k, v in groups.items()}
print(counts, max(counts, key=counts.get))
inverted = {}
for k, names in groups.items():
    for n in names:
        inverted[n] = k
print(inverted["fig"], sorted(inverted))
print(list(groups.values())[0], list(groups.keys())[-1])
