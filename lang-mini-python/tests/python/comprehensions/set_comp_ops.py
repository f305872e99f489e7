a = {x * x for x in range(-5, 6)}
print(sorted(a), len(a))
b = {x for x in range(30) if x % 4 == 0}
print(sorted(a & b), sorted(a - b)[:5], len(a | b))
words = ["Apple", "avocado", "Banana", "blueberry", "cherry"]
print(sorted({w[0].lower() for w in words}))
print({len(w) for w in words} == {5, 6, 7, 9})
