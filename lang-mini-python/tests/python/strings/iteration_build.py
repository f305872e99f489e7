s = "mississippi"
counts = {}
for ch in s:
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
out = ""
for i, ch in enumerate(s):
    if i % 2 == 0:
        out += ch.upper()
    else:
        out += ch
print(out)
print(list(s[:4]), tuple("ab"))
print([c for c in s if c not in "aeiou"])
