import math

class Pos:
    def __init__(self, i):
        self.i = i

    def __index__(self):
        return self.i

class Ratio:
    def __init__(self, n, d):
        self.n = n
        self.d = d

    def __float__(self):
        return self.n / self.d

p = Pos(2)
items = ["a", "b", "c", "d"]
print(items[p], (10, 20, 30)[p], "xyz"[Pos(-1)], list(range(Pos(4))), list(range(1, Pos(7), Pos(2))))
print(bin(p), oct(Pos(9)), hex(Pos(255)), math.gcd(Pos(12), 18), float(Pos(3)), math.factorial(Pos(5)))
r = Ratio(1, 4)
print(float(r), math.sqrt(Ratio(9, 1)), math.floor(Ratio(7, 2)), round(float(r), 1))
for bad in [lambda: items[Ratio(1, 1)], lambda: float(object()), lambda: math.sqrt("4"), lambda: range(Ratio(1, 1))]:
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)

class Countdown:
    def __init__(self, n):
        self.n = n

    def __reversed__(self):
        return iter(range(1, self.n + 1))

    def __iter__(self):
        return iter(range(self.n, 0, -1))

class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return i * 10

print(list(Countdown(3)), list(reversed(Countdown(3))), list(reversed(Seq())))
print(list(reversed([1, 2, 3])), list(reversed((4, 5))), "".join(reversed("abc")), list(reversed(range(3))))
print(list(reversed({"a": 1, "b": 2})), list(reversed({"a": 1, "b": 2}.items())), list(reversed({"a": 1}.values())))
for bad in [{1, 2}, (x for x in [1]), 5, object()]:
    try:
        reversed(bad)
    except TypeError as e:
        print("TypeError:", e)
