print(min(3, 1, 2), max(3, 1, 2), min([5, 4]), max("abc"))
print(max([1, -5, 3], key=abs), min(["bb", "a", "ccc"], key=len))
print(max((1, "b"), (1, "a")), min([[2], [1, 9]]))
print(sum([]), sum([1, 2, 3]), sum(range(101)), sum([0.5, 0.25]), sum([[1], [2]], []))
print(max([0]))
try:
    min([])
except ValueError as e:
    print("ValueError:", e)
print(max(2, 2.0), max(2.0, 2))
