words = "to be or not to be that is the question".split()
unique = set(words)
print(len(unique))
print(sorted(unique))
seen = set()
order = []
for w in words:
    if w not in seen:
        seen.add(w)
        order.append(w)
print(order)
print(sorted(set("hello") & set("world")))
