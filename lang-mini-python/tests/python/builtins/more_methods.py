# Methods and builtins beyond the spec's list that ordinary programs use.
t = (3, 1, 3, 2, 3)
print(t.count(3), t.count(9), t.index(1), t.index(3, 1), t.index(3, -2), t.index(2, 0, 4))
for args in [(9,), (3, 3, 4), (1, 2)]:
    try:
        print(t.index(*args))
    except ValueError as e:
        print("ValueError:", e)
print(((1, 2), [3]).count([3]), (1.0, True).index(1))

d = {"a": 1, "b": 2, "c": 3}
print(d.popitem(), d)
d["z"] = 26
print(d.popitem(), d.popitem(), d)
try:
    {}.popitem()
except KeyError as e:
    print("KeyError:", e)
print(dict.fromkeys("abc"), dict.fromkeys([1, 2], 0), dict.fromkeys(range(3), []))
shared = dict.fromkeys(["x", "y"], [])
shared["x"].append(1)
print(shared)

class Registry(dict):
    pass
r = Registry.fromkeys(["k"], 5)
print(type(r).__name__, r)
print({"a": 1, "b": 2} | {"b": 3, "c": 4}, {} | {1: 2})
m = {"a": 1}
m |= {"b": 2}
m |= [("c", 3)]
print(m)
try:
    {"a": 1} | [("b", 2)]
except TypeError as e:
    print("TypeError:", e)

for n in [0, 1, 5, 255, 256, -1, -256, 2 ** 64, -(2 ** 100), True]:
    print(n, n.bit_length(), bin(n), oct(n))
print((2.0).is_integer(), (2.5).is_integer(), (-0.0).is_integer(), float("inf").is_integer(), float("nan").is_integer())

class Idx:
    def __init__(self, v):
        self.v = v
    def __index__(self):
        return self.v
print(bin(Idx(10)), oct(Idx(-9)), hex(255))
for bad in [1.5, "7", None]:
    try:
        bin(bad)
    except TypeError as e:
        print("TypeError:", e)

a = {1, 2, 3, 4}
print(a.isdisjoint({5, 6}), a.isdisjoint([4, 7]), frozenset([1]).isdisjoint(range(2, 5)))
print(sorted(a.symmetric_difference([3, 4, 5, 6])), sorted(frozenset([1, 2]).symmetric_difference({2, 3})))
b = {1, 2, 3}
b.symmetric_difference_update({3, 4})
print(sorted(b))
b.difference_update([1], {4})
print(sorted(b))
c = {1, 2, 3, 4, 5}
c.intersection_update([2, 3, 9])
print(sorted(c))
c.symmetric_difference_update(c)
print(c)

print("test_case.py".removesuffix(".py"), "prefix_name".removeprefix("prefix_"), "abc".removeprefix(""), "abc".removesuffix("x"))
try:
    "abc".removeprefix(1)
except TypeError as e:
    print("TypeError:", e)
