# Subclassing a namedtuple: extra methods, properties, operators, __repr__ and __slots__.
from collections import namedtuple
import math


class Vector(namedtuple('Vector', 'x y')):
    __slots__ = ()

    @property
    def length(self):
        return math.hypot(self.x, self.y)

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


v = Vector(3, 4)
w = Vector(1, -1)
print(v, v.length, v + w, v * 2, v.dot(w), type(v + w).__name__)
print(v._replace(x=0), type(v._replace(x=0)).__name__, Vector._make([5, 6]))
print(isinstance(v, tuple), v == (3, 4), v[1], list(v + w))
try:
    v.z = 1
except AttributeError as e:
    print('AttributeError:', e)


class Card(namedtuple('Card', 'rank suit')):
    RANKS = '23456789TJQKA'

    def __repr__(self):
        return self.rank + self.suit

    def __lt__(self, other):
        return self.RANKS.index(self.rank) < self.RANKS.index(other.rank)

    def score(self):
        return self.RANKS.index(self.rank) + 2


hand = [Card('K', 'h'), Card('3', 's'), Card('A', 'd'), Card('T', 'c')]
print(sorted(hand), max(hand), [c.score() for c in hand])
c = Card('Q', 'h')
c.note = 'kept'  # no __slots__ in Card: instances have attributes of their own
print(c, c.note, c.rank, str(c), '%s' % (c,))


class Money(namedtuple('Money', 'amount currency', defaults=['EUR'])):
    def __new__(cls, amount, currency='EUR'):
        return super().__new__(cls, round(amount, 2), currency.upper())

    def __str__(self):
        return '%.2f %s' % self


print(Money(3.14159), Money(2, 'usd'), repr(Money(1)), Money(5) == (5, 'EUR'))


class Node(namedtuple('Node', 'value children')):
    def total(self):
        return self.value + sum(ch.total() for ch in self.children)


tree = Node(1, [Node(2, []), Node(3, [Node(4, [])])])
print(tree.total(), len(tree.children), tree.children[1].value)


# Hashing follows the subclass: its __hash__, or none when it defines __eq__ alone.
class Keyed(namedtuple('Keyed', 'key payload')):
    def __eq__(self, other):
        return self.key == other.key

    def __hash__(self):
        return hash(self.key)


print(hash(Keyed(5, 'a')) == hash(5), {Keyed(1, 'x'), Keyed(1, 'y')} == {Keyed(1, 'z')})
print(len({Keyed(1, 'x'), Keyed(1, 'y'), Keyed(2, 'x')}), Keyed(1, 'a') == Keyed(1, 'b'))


class Loose(namedtuple('Loose', 'v')):
    def __eq__(self, other):
        return True


print(Loose(1) == Loose(2), Loose(1) != Loose(2))
try:
    hash(Loose(1))
except TypeError as e:
    print('TypeError:', e)
