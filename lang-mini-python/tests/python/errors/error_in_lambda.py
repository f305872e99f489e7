ops = {"half": lambda x: x / 2, "inv": lambda x: 1 / x}
for name in ["half", "inv"]:
    print(name, ops[name](4))
print(ops["inv"](0))
