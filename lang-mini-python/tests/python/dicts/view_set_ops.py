a = {1: "one", 2: "two", 3: "three"}
b = {2: "deux", 4: "quatre"}
print(a.keys() & b.keys(), a.keys() | b.keys(), a.keys() - b.keys(), a.keys() ^ b.keys())
print(a.keys() & {1, 9}, {1, 9} & a.keys(), a.keys() - [2], {5, 1} - a.keys())
print(a.keys() | [7], {0} | b.keys(), b.keys() ^ [4, 5], a.keys() & [3, 3, 1], a.keys() & range(2, 10))
print(sorted(a.items() & {(1, "one"), (2, "zwei")}), sorted(b.items() | {(9, "x")}), sorted(a.items() - b.items()))
common = [k for k in sorted(a.keys() & b.keys())]
print(common, type(a.keys() & b.keys()).__name__, len(a.keys() | b.keys()))
try:
    a.values() & {1}
except TypeError as e:
    print("TypeError:", e)

readings = iter([3, 1, 4, 0, 5, 9])
print(list(iter(lambda: next(readings), 0)), list(readings))
stack = [1, 2, 3, 4]
print(list(iter(stack.pop, 2)), stack)
class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self):
        self.n += 1
        return self.n
print(list(iter(Counter(), 4)))
try:
    iter(5, 0)
except TypeError as e:
    print("TypeError:", e)
