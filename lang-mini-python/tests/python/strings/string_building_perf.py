parts = []
for i in range(200):
    parts.append(str(i % 10))
s = "".join(parts)
print(len(s), s[:30], s.count("7"))
acc = ""
for i in range(100):
    acc += chr(97 + i % 26)
print(acc[:30], len(acc))
print("-" * 40)
print(" ".join(["ab"] * 5))
lines = ["%d: %s" % (i, "*" * i) for i in range(1, 6)]
print("\n".join(lines))
