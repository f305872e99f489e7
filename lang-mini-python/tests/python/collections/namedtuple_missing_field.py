# A namedtuple called with a field missing: CPython's TypeError, uncaught.
from collections import namedtuple

Point3 = namedtuple('Point3', ['x', 'y', 'z'])
print(Point3(1, 2, 3))
print(Point3(z=0, y=0, x=0))


def make(x, y):
    return Point3(x, y)


print(make(1, 2))
