# special methods in a subclass of int: operators, reflected operators, comparisons and
# hashing override int's; what is not overridden is int's, also through super() and int.__add__
class Mod7(int):
    def __new__(cls, v):
        return super().__new__(cls, v % 7)
    def __add__(self, other):
        return Mod7(int(self) + int(other))
    __radd__ = __add__
    def __mul__(self, other):
        return Mod7(super().__mul__(other))
    def __eq__(self, other):
        return int(self) % 7 == int(other) % 7
    def __hash__(self):
        return hash(int(self))
    def __lt__(self, other):
        return int(self) < int(other) % 7
    def __repr__(self):
        return 'Mod7(%d)' % int(self)

a = Mod7(5)
b = Mod7(4)
print(a, b, a + b, a + 3, 3 + a, a * 3, a - 3, a // 2, -a, abs(a), a ** 2)
print(a == 12, a == 5, a != 12, b < a, a < b, a > b, sorted([a, b, Mod7(6)]), max(a, b))
print(hash(a) == hash(5), {a: 'five'}[Mod7(12)], len({Mod7(1), Mod7(8), 1}), a in [12])
print(int.__add__(a, 1), int.__add__(2, 3), a.__add__(1), super(Mod7, a).__add__(1), int.__add__(1, 2.5))
print(type(a + 1).__name__, type(a - 1).__name__, isinstance(a, int), a.bit_length(), int(a), float(a))
total = Mod7(0)
for i in range(10):
    total = total + i
    total += 1
print(total, sum([Mod7(3), Mod7(4)]), sum([Mod7(3), 4], Mod7(0)))

class Loud(int):
    def __bool__(self):
        print('bool of', int(self))
        return int(self) > 10
    def __len__(self):
        return 99
print(bool(Loud(3)), bool(Loud(30)), 'yes' if Loud(20) else 'no', not Loud(1))

class Picky(int):
    def __add__(self, other):
        if isinstance(other, Picky):
            return Picky(int(self) + int(other))
        return NotImplemented
    def __radd__(self, other):
        return 'radd from ' + type(other).__name__
print(Picky(1) + Picky(2), 1 + Picky(2), Picky(1) + 5, 2.5 + Picky(1))

class OnlyEq(int):
    def __eq__(self, other):
        return True
print(OnlyEq(1) == 2, OnlyEq(1) != 2, 2 == OnlyEq(1))
try:
    hash(OnlyEq(1))
except TypeError as e:
    print(e)
print((5).__add__(3), (5).__add__(1.5), 'ab'.__eq__('ab'), (1, 2).__getitem__(1), 'xyz'.__contains__('y'), 2.5.__mul__(2))
print(list(map(int.__mul__, [1, 2, 3], [4, 5, 6])), sorted(['bb', 'a', 'ccc'], key=str.__len__))
