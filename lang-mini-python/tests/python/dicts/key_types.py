d = {1: "int", 2.5: "float", "s": "str", True: "bool?", None: "none", (1, 2): "tuple"}
print(d)
print(d[1], d[2.5], d[None], d[(1, 2)])
print(d[1.0])
d[False] = "false"
print(d[0])
try:
    d[[1]] = "list"
except TypeError as e:
    print("TypeError:", e)
try:
    print({[1]: 2})
except TypeError as e:
    print("TypeError:", e)
