class D(dict):
    def get_or(self, k, default):
        if k in self:
            return self[k]
        return default
d = D(a=1)
d["b"] = 2
print(d, d.get_or("a", 0), d.get_or("z", 0), len(d), isinstance(d, dict), type(d).__name__)
print(list(d), list(d.items()), d.keys(), d.get("b"), D([(1, 2)]), D({"x": 1}, y=2))

class DefaultDict(dict):
    def __init__(self, factory):
        super().__init__()
        self.factory = factory
    def __missing__(self, key):
        v = self.factory()
        self[key] = v
        return v
dd = DefaultDict(list)
dd["a"].append(1)
dd["a"].append(2)
dd["b"].append(3)
print(dd, dd.factory is list, dd.get("c"), "c" in dd, len(dd))

class Logged(dict):
    def __setitem__(self, k, v):
        print("setting", k)
        super().__setitem__(k, v)
    def __getitem__(self, k):
        return super().__getitem__(k) + 1
    def __repr__(self):
        return "Logged" + dict.__repr__(self)
lg = Logged()
lg["x"] = 1
lg.update(y=2)
print(lg, lg["x"], lg.get("x"), sorted(lg), lg == {"x": 1, "y": 2})
for k in lg:
    print(k, lg[k])
del lg["x"]
print(lg, dict(lg), type(dict(lg)).__name__)
try:
    lg["nope"]
except KeyError as e:
    print("KeyError", e)

class Eq(list):
    def __eq__(self, other):
        return True
print(Eq([1]) == [2], [2] == Eq([1]), Eq() != [1])
try:
    list.__getitem__(d, 0)
except TypeError as e:
    print(e)
