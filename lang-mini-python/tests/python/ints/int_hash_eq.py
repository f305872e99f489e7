print(hash(1), hash(0), hash(-1), hash(100))
print(hash(True), hash(False))
print(1 == 1.0, hash(1) == hash(1.0))
d = {1: "a"}
d[1.0] = "b"
print(d)
d[True] = "c"
print(d)
print(len({1, 1.0, True}))
