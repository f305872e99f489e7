# collections.namedtuple: construction, field access, tuple behaviour, helpers.
from collections import namedtuple

Point = namedtuple('Point', 'x y')
p = Point(1, 2)
print(p, p.x, p.y, p[0], p[-1], len(p))
print(list(p), tuple(p), p[:1], p[::-1])
x, y = p
print(x, y)
print(p == (1, 2), (1, 2) == p, p != Point(2, 1), p < Point(1, 3))
print(hash(p) == hash((1, 2)), {p: 'a'}[(1, 2)], (1, 2) in {p})
print(Point._fields, Point.__name__, type(p).__name__, isinstance(p, tuple))
print(repr(Point), Point.__doc__)
print(p._replace(x=10), p._asdict(), Point._make([3, 4]), Point._make(range(2)))
print(p + (3,), p * 2, "%d/%d" % p, "{}:{}".format(*p), f"{p}")
print(p.count(1), p.index(2), max(p), sum(p), sorted(Point(3, 1)))

# Field names as a list, a comma string, keywords.
Color = namedtuple('Color', ['red', 'green', 'blue'])
print(Color(blue=3, red=1, green=2))
Pair = namedtuple('Pair', 'first, second')
print(Pair('a', second='b'))
Row = namedtuple('Row', 'id name   score')
print(Row._fields)

# Defaults apply to the last fields.
Opt = namedtuple('Opt', 'a b c', defaults=[0, None])
print(Opt(1), Opt(1, 2), Opt(1, 2, 3), Opt._field_defaults)
print(namedtuple('Renamed', 'a def _c a b', rename=True)._fields)

# Instances as dict keys, sorted, unpacked in loops.
points = [Point(3, 1), Point(1, 2), Point(2, 0)]
for px, py in sorted(points):
    print(px, py, end='; ')
print()
print(sorted(points, key=lambda q: q.y))
counts = {}
for q in [Point(0, 0), Point(0, 0), Point(1, 1)]:
    counts[q] = counts.get(q, 0) + 1
print(counts)
print([q.x * q.y for q in points], min(points), str(Point('a', [1])))

# Nested namedtuples and repr of their contents.
Line = namedtuple('Line', 'start end')
ln = Line(Point(0, 0), Point(3, 4))
print(ln, ln.end.x, ln._asdict())
Empty = namedtuple('Empty', '')
print(Empty(), len(Empty()), Empty._fields)

# Fields are read-only; a plain namedtuple has no other attributes.
try:
    p.x = 5
except AttributeError as e:
    print('AttributeError:', e)
try:
    p.z = 5
except AttributeError as e:
    print('AttributeError:', e)
try:
    p[0] = 5
except TypeError as e:
    print('TypeError:', e)

# Class attributes and the generated __new__'s defaults.
print(Point.__module__, Point.__qualname__, Opt.__match_args__, Point.__slots__)
print(p.__class__ is Point, type(p) is Point, type(p) is tuple)
print(dict(zip(Point._fields, p)), Point(*reversed(p)), Point(**{'x': 7, 'y': 8}))
print(isinstance(Point(1, 2), Point), isinstance((1, 2), Point), issubclass(Point, tuple))
print(Point.x, Point.y, type(Point.x), namedtuple('M', 'a', module='geometry'))
print(namedtuple('M', 'a', module='geometry').__module__, Point.x.__class__.__name__)
