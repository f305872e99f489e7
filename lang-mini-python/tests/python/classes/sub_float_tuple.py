# Subclasses of float and tuple: real floats and tuples for every builtin and operator,
# extra methods and properties, __new__ and super().__new__, repr overrides with
# super().__repr__(), isinstance, plain results of operations.
import math


class Celsius(float):
    def fahrenheit(self):
        return self * 9 / 5 + 32

    def __repr__(self):
        return "Celsius(" + super().__repr__() + ")"


c = Celsius(21.5)
print(c, repr(c), str(c), c.fahrenheit(), c + 1, type(c + 1).__name__, -c, abs(Celsius(-2)))
print(isinstance(c, float), isinstance(c, Celsius), type(c).__name__, c == 21.5, c < 30, hash(c) == hash(21.5))
print(math.sqrt(Celsius(16)), round(c), int(c), float(c), type(float(c)).__name__, f"{c:.2f}", f"{c}")
print(sorted([Celsius(3), 1.5, Celsius(2)]), max(Celsius(1), Celsius(4)), Celsius("2.5"), Celsius())
print({c: "warm"}[21.5], [1.0, 21.5].index(c), c.is_integer(), Celsius(3).is_integer())


class Money(float):
    def __new__(cls, amount, currency="EUR"):
        self = super().__new__(cls, round(amount, 2))
        self.currency = currency
        return self

    def __str__(self):
        return "%.2f %s" % (self, self.currency)


m = Money(3.14159, "USD")
print(m, repr(m), m * 2, m.currency, Money(1).currency, str(Money(2.5)))


class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))

    @property
    def x(self):
        return self[0]

    @property
    def y(self):
        return self[1]

    def __repr__(self):
        return "Point(x=%r, y=%r)" % self

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)


p = Point(1, 2)
print(p, p.x, p.y, len(p), p[0], p[-1], p[:1], list(p), p + (3,), type(p + (3,)).__name__)
print(p == (1, 2), (1, 2) == p, hash(p) == hash((1, 2)), isinstance(p, tuple), p.moved(2, 3))
x, y = p
print(x, y, {p: "home"}[(1, 2)], sorted([Point(2, 1), Point(1, 5)]), 2 in p, p.count(1), p.index(2))
print(tuple(p), type(tuple(p)).__name__, str(p), "%s and %s" % (p, "q"), f"{p}", [p], (p,))


class Pair(tuple):
    pass


q = Pair([5, 6])
print(q, repr(q), Pair(), type(q).__name__, q * 2, max(q), sum(q), Pair(range(3)))
q.label = "pair"
print(q.label, getattr(q, "label"), hasattr(q, "nope"))


class Base3(tuple):
    def total(self):
        return sum(self)


class Left(Base3):
    def describe(self):
        return "L" + str(self.total())


class Right(Base3):
    def describe(self):
        return "R"


class Both(Left, Right):
    pass


print(Both([1, 2, 3]).describe(), [k.__name__ for k in Both.__mro__])
