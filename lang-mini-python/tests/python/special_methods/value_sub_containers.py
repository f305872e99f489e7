# special methods in subclasses of tuple, float, set and frozenset
class Vec(tuple):
    def __add__(self, other):
        return Vec(x + y for x, y in zip(self, other))
    def __mul__(self, k):
        return Vec(x * k for x in self)
    __rmul__ = __mul__
    def __getitem__(self, i):
        if isinstance(i, str):
            return tuple.__getitem__(self, 'xyz'.index(i))
        return super().__getitem__(i)
    def __len__(self):
        return 3
    def __bool__(self):
        return any(self)
    def __eq__(self, other):
        return tuple(self) == tuple(other)
    def __hash__(self):
        return hash(tuple(self))

v = Vec((1, 2, 3))
w = Vec((10, 20, 30))
print(v + w, v * 2, 2 * v, v['y'], v[0], v[1:], len(Vec((1,))), bool(Vec((0, 0))), bool(v))
print(v == (1, 2, 3), v == [1, 2, 3], (1, 2, 3) == v, {v: 'v'}[Vec((1, 2, 3))], list(v), tuple(v))
x, y, z = w
print(x, y, z, sum(v), max(v), v.count(2), v.index(3))

class Meters(float):
    def __add__(self, other):
        return Meters(float(self) + float(other))
    def __truediv__(self, other):
        return 'divided'
    def __lt__(self, other):
        return float(self) > float(other)
    def __repr__(self):
        return '%gm' % float(self)
m = Meters(1.5)
print(m + 1, 1 + m, m / 2, 2 / m, m * 2, m < 0.5, m > 0.5, sorted([Meters(1), Meters(3), Meters(2)]))

class Tags(set):
    def __contains__(self, x):
        return super().__contains__(x.lower())
    def __or__(self, other):
        return Tags(set(self) | set(other) | {'merged'})
    def __len__(self):
        return 100
t = Tags({'a', 'b'})
print('A' in t, 'c' in t, sorted(t | {'c'}), len(t), sorted(t), bool(Tags()))

class FS(frozenset):
    def __eq__(self, other):
        return True
    def __hash__(self):
        return 7
print(FS({1}) == {2}, hash(FS({1})), FS({1}) != {1}, frozenset.__eq__(FS({1}), frozenset({1})))
