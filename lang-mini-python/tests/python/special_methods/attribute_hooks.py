class Proxy:
    def __init__(self, target):
        self.target = target
        self.calls = 0

    def __getattr__(self, name):
        self.calls += 1
        return getattr(self.target, name)

p = Proxy([3, 1, 2])
p.append(0)
p.sort()
print(p.target, p.calls, p.index(2), p.calls)
print(hasattr(p, "pop"), hasattr(p, "nothing"), getattr(p, "nothing", "default"))
try:
    p.missing
except AttributeError as e:
    print("AttributeError:", e)

class Frozen:
    def __init__(self, x, y):
        object.__setattr__(self, "x", x)
        super().__setattr__("y", y)

    def __setattr__(self, name, value):
        raise AttributeError("cannot assign " + name)

    def __delattr__(self, name):
        raise AttributeError("cannot delete " + name)

fz = Frozen(1, 2)
print(fz.x, fz.y)
for action in ("set", "del", "setattr", "delattr"):
    try:
        if action == "set":
            fz.x = 5
        elif action == "del":
            del fz.y
        elif action == "setattr":
            setattr(fz, "z", 1)
        else:
            delattr(fz, "x")
    except AttributeError as e:
        print(action, "->", e)
print(fz.x, fz.y, hasattr(fz, "z"))

class Recorder:
    log = []

    def __setattr__(self, name, value):
        Recorder.log.append((name, value))
        super().__setattr__(name, value * 2)

    def __delattr__(self, name):
        Recorder.log.append(("del", name))
        object.__delattr__(self, name)

class Child(Recorder):
    def __init__(self):
        self.a = 1
        self.b = "x"

c = Child()
c.a += 10
print(c.a, c.b, Recorder.log)
del c.a
print(hasattr(c, "a"), Recorder.log[-1])
try:
    del c.a
except AttributeError as e:
    print("AttributeError:", e)

class Defaults:
    known = 1

    def __getattr__(self, name):
        if name.startswith("opt_"):
            return name[4:].upper()
        raise AttributeError(name + " is not an option")

d = Defaults()
print(d.known, d.opt_color, getattr(d, "opt_size"), hasattr(d, "bad"), getattr(d, "bad", None))
try:
    d.bad
except AttributeError as e:
    print("AttributeError:", e)

class Late:
    pass

def loud_setattr(self, name, value):
    print("set", name, value)
    object.__setattr__(self, name, value)

Late.__setattr__ = loud_setattr
lt = Late()
lt.q = 9
print(lt.q)

class Num:
    def __init__(self, v):
        self.v = v

    def __radd__(self, other):
        return Num(other + self.v)

total = 0 + Num(5)
print(total.v)
try:
    Num(1) + Num(2)
except TypeError as e:
    print("TypeError:", e)
