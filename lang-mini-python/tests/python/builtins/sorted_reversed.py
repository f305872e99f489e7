data = [5, 3, 8, 1]
print(sorted(data), data)
print(sorted(data, reverse=True))
print(sorted("Hello"), sorted(("b", "a")))
print(sorted({3: "c", 1: "a"}))
print(list(reversed(data)), list(reversed("abc")), list(reversed((1, 2))))
people = [("ann", 31), ("bob", 25), ("cat", 31), ("dan", 19)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(sorted([3, 1, 2], key=lambda x: -x, reverse=True))
