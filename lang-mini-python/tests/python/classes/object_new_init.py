class Base:
    def __init__(self):
        super().__init__()
        self.ready = True

class Named(Base):
    def __init__(self, name):
        super().__init__()
        self.name = name

n = Named("n")
print(n.ready, n.name)

class Explicit(object):
    def __init__(self, v):
        object.__init__(self)
        self.v = v

print(Explicit(3).v)
for call in [lambda: object.__init__(Explicit(1), 5), lambda: Named("a", "b"), lambda: Base(1)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)

class Singleton:
    instance = None

    def __new__(cls):
        if cls.instance is None:
            cls.instance = super().__new__(cls)
            print("created")
        return cls.instance

    def __init__(self):
        print("init")

a = Singleton()
b = Singleton()
print(a is b, type(a).__name__)

class Point:
    def __new__(cls, x, y):
        p = object.__new__(cls)
        p.x = x
        return p

    def __init__(self, x, y):
        self.y = y

pt = Point(1, 2)
print(pt.x, pt.y)

class Factory:
    def __new__(cls, kind):
        if kind == "list":
            return [kind]
        return super().__new__(cls)

    def __init__(self, kind):
        self.kind = kind

print(Factory("list"), Factory("obj").kind)
print(object.__new__(Named).__class__.__name__, hasattr(object.__new__(Named), "name"))
try:
    object.__new__(Point, 1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    object.__new__(int)
except TypeError as e:
    print("TypeError:", e)
try:
    super(Named, n).missing
except AttributeError as e:
    print("AttributeError:", e)
