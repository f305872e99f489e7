# Multiple inheritance: C3 method resolution order, cooperative super() chains in diamonds,
# attribute lookup through every base, isinstance/issubclass, and class attributes changed
# after the classes were made (the lookup cache must follow).


class Base:
    tag = "base"

    def __init__(self, log):
        log.append("Base")
        self.log = log

    def who(self):
        return "Base"

    def chain(self):
        return ["Base"]


class Left(Base):
    def __init__(self, log):
        log.append("Left")
        super().__init__(log)

    def who(self):
        return "Left"

    def chain(self):
        return ["Left"] + super().chain()


class Right(Base):
    tag = "right"

    def __init__(self, log):
        log.append("Right")
        super().__init__(log)

    def chain(self):
        return ["Right"] + super().chain()

    def only_right(self):
        return "only in Right"


class Diamond(Left, Right):
    def __init__(self, log):
        log.append("Diamond")
        super().__init__(log)

    def chain(self):
        return ["Diamond"] + super().chain()


log = []
d = Diamond(log)
print(log)
print(d.chain())
print(d.who(), d.tag, d.only_right())
print(Diamond.__mro__)
print(Diamond.mro())
print(Diamond.__bases__, Left.__bases__, Base.__bases__)
print([c.__name__ for c in Diamond.__mro__])
for cls in (Diamond, Left, Right, Base, object):
    print(cls.__name__, isinstance(d, cls), issubclass(Diamond, cls))
print(issubclass(Left, Right), issubclass(Right, Left), isinstance(Left([]), Right))
print(isinstance(d, (int, Right)), issubclass(Diamond, (str, Left)))


# The classic example from the C3 paper.
class O:
    pass


class F(O):
    pass


class E(O):
    pass


class Dd(O):
    pass


class C(Dd, F):
    pass


class B(Dd, E):
    pass


class A(B, C):
    pass


print([k.__name__ for k in A.mro()])
print([k.__name__ for k in B.__mro__], [k.__name__ for k in C.__mro__])


# Class attributes changed after creation: lookups through the MRO see the change.
class M1:
    x = 1


class M2:
    x = 2
    y = 20


class Both(M1, M2):
    pass


b = Both()
print(b.x, b.y, Both.x)
M1.x = 10
print(b.x, Both.x)
del M1.x
print(b.x, Both.x)
M2.y = 30
Both.y = 40
print(b.y, M2.y)
M1.x = 100
print(b.x)


# super() with explicit arguments, in classmethods and through several levels.
class P:
    @classmethod
    def make(cls):
        return "P.make(" + cls.__name__ + ")"

    def hello(self):
        return "P"


class Q(P):
    @classmethod
    def make(cls):
        return "Q+" + super().make()

    def hello(self):
        return "Q" + super(Q, self).hello()


class R(P):
    def hello(self):
        return "R" + super().hello()


class S(Q, R):
    def hello(self):
        return "S" + super().hello()


print(S.make(), S().hello(), super(R, S()).hello(), super(Q, S()).hello())


# Keyword-argument cooperative __init__ (the usual **kwargs pattern).
class Shape:
    def __init__(self, **kw):
        self.extra = sorted(kw)


class Colored(Shape):
    def __init__(self, color="none", **kw):
        self.color = color
        super().__init__(**kw)


class Named(Shape):
    def __init__(self, name="?", **kw):
        self.name = name
        super().__init__(**kw)


class Thing(Colored, Named):
    def __init__(self, **kw):
        super().__init__(**kw)

    def __repr__(self):
        return "Thing(" + self.color + ", " + self.name + ", " + str(self.extra) + ")"


print(Thing(color="red", name="box", size=3, weight=1))
print(Thing())
print(Thing.__base__, Colored.__base__, object.__base__)
