s = "banana"
print(s.find("an"), s.find("an", 2), s.find("x"))
print(s.index("n"), s.count("a"), s.count("an"), s.count(""))
print(s.startswith("ban"), s.endswith("na"), s.startswith("na"))
print(s.startswith(("x", "b")), s.endswith(("a", "z")))
try:
    s.index("z")
except ValueError as e:
    print("ValueError:", e)
