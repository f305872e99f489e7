# dir() of user classes and their instances: the names inherited from object, the class
# attributes along the MRO, the instance's own attributes, sorted
print(dir(object()) == dir(object))
print(len(dir(object)), dir(object)[:3], dir(object)[-3:])

class Shape:
    sides = 0
    def area(self):
        return 0
    def describe(self):
        return type(self).__name__

class Square(Shape):
    """A square."""
    sides = 4
    def __init__(self, size):
        self.size = size
    def area(self):
        return self.size ** 2

sq = Square(3)
sq.color = 'red'
print(dir(Shape))
print(dir(Square))
print(dir(sq))
print([n for n in dir(sq) if not n.startswith('_')])
print('size' in dir(sq), 'size' in dir(Square), '__weakref__' in dir(Square))

class A:
    a = 1
class B:
    b = 2
class AB(A, B):
    pass
print([n for n in dir(AB) if not n.startswith('__')], dir(AB) == sorted(set(dir(A)) | set(dir(B))))

class Custom:
    def __dir__(self):
        return ['zeta', 'alpha', 'mid']
print(dir(Custom()))
