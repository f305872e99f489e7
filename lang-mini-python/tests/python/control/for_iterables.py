for i in range(3):
    print("range", i)
for i in range(10, 0, -3):
    print("down", i)
for v in [1.5, "s", None]:
    print("list", v)
for v in ("t", 1):
    print("tuple", v)
for c in "hi":
    print("str", c)
d = {"k1": 1, "k2": 2}
for k in d:
    print("dict", k)
for k, v in d.items():
    print("items", k, v)
for i, c in enumerate("xyz"):
    print("enum", i, c)
for i, c in enumerate("xy", 1):
    print("enum1", i, c)
for a, b in zip([1, 2, 3], "ab"):
    print("zip", a, b)
for v in reversed([1, 2, 3]):
    print("rev", v)
for v in reversed(range(3)):
    print("revrange", v)
