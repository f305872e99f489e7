d = {"a": 1, 2: "two", (1, "x"): None}
for k in ["a", "b", 2, 3, (1, "x"), (2, "y")]:
    try:
        print(repr(k), d[k])
    except KeyError as e:
        print("KeyError:", e)
try:
    d.pop("missing")
except KeyError as e:
    print("pop KeyError:", e)
try:
    del d["gone"]
except KeyError as e:
    print("del KeyError:", repr(e))
