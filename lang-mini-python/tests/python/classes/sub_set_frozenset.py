# Subclasses of set and frozenset: real sets for every operator and method, the class name
# in the repr, __init__ overrides with super().__init__, attributes, frozenset __new__.


class Tags(set):
    def add_all(self, *items):
        for it in items:
            self.add(it)
        return self


t = Tags([3, 1, 2])
print(t, repr(t), len(t), 2 in t, sorted(t), type(t).__name__, isinstance(t, set))
t.add_all(4, 5).discard(1)
print(t, t | {9}, type(t | {9}).__name__, t & {2, 3}, t - {2}, t ^ {5, 6}, t == {2, 3, 4, 5})
print(Tags(), Tags("aa"), t.issubset(range(10)), {2, 3} < t, t.pop() in range(10))
t.clear()
print(t, bool(t), len(t))


class Counted(set):
    def __init__(self, items, label):
        super().__init__(items)
        self.label = label

    def __repr__(self):
        return self.label + ":" + super().__repr__()


c = Counted([1, 2], "nums")
print(c, c.label, len(c), c | {3})
c.update([7])
print(sorted(c), c)


class Frozen(frozenset):
    def __new__(cls, *items):
        return super().__new__(cls, items)

    def describe(self):
        return "Frozen of " + str(len(self))


f = Frozen(1, 2, 2)
print(f, repr(f), f.describe(), hash(f) == hash(frozenset([1, 2])), f == frozenset({1, 2}))
print({f: "key"}[frozenset([1, 2])], f | {3}, type(f | {3}).__name__, Frozen(), isinstance(f, frozenset))
print(frozenset(f), type(frozenset(f)).__name__, set(f), sorted(f))


class Plain(frozenset):
    pass


print(Plain([4]), Plain(), Plain("ab") == {"a", "b"}, str(Plain([1])))
try:
    Counted([1])
except TypeError as e:
    print("TypeError:", e)
