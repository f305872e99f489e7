class A(object):
    __slots__ = ("x", "y")
    def __init__(self):
        self.x = 1
        self.y = 2
a = A()
print(a.x + a.y)
print(a.__class__.__name__, a.__class__ is A)
o = object()
print(type(o).__name__, isinstance(a, object))
class B(A):
    pass
print(B().__class__.__name__, issubclass(B, A))
