# type(name, bases, dict) makes a class, as a class statement does.
def init(self, x):
    self.x = x


Point = type('Point', (), {'__init__': init, 'dims': 2, 'show': lambda self: 'P%d' % self.x})
p = Point(3)
print(Point, Point.__name__, p.x, p.dims, p.show(), type(p) is Point)
Sub = type('Sub', (Point,), {'dims': 3, '__repr__': lambda self: 'Sub(%r)' % self.x})
s = Sub(4)
print(s, s.show(), s.dims, isinstance(s, Point), issubclass(Sub, Point), Sub.__name__)
MyErr = type('MyErr', (ValueError,), {'code': 7})
try:
    raise MyErr('bad value')
except ValueError as e:
    print(type(e).__name__, e, e.code)
Bag = type('Bag', (list,), {'total': lambda self: sum(self)})
b = Bag([1, 2, 3])
b.append(4)
print(b, b.total(), len(b))
Empty = type('Empty', (object,), {})
print(Empty.__name__, type(Empty()) is Empty, type(Empty) is type)
classes = [type('C%d' % i, (), {'n': i}) for i in range(3)]
print([c.__name__ for c in classes], [c().n for c in classes])
for args in [(1, 2), ('A', [], {}), (1, (), {}), ('A', (), [])]:
    try:
        type(*args)
    except TypeError as e:
        print('TypeError:', e)
print(type(1), type('s'), type([]) is list)
print(Point.__module__, Point.__qualname__, Sub.__qualname__, type('Q', (), {'__qualname__': 'Outer.Q'}).__qualname__)
