class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    @property
    def norm(self):
        return abs(self.x) + abs(self.y)

p = Point(1, 2)
p.z = 3
del p.x
print(hasattr(p, "x"), p.y, p.z)
p.x = 10
print(p.x, p.y, p.z, p.norm)
delattr(p, "y")
print(hasattr(p, "y"), getattr(p, "y", "gone"))
q = Point(5, 6)
del q.y
q.y = 7
print(q.x, q.y)
for obj, name in [(p, "y"), (p, "missing"), (q, "norm"), (5, "nope"), (len, "x"), ([], "append")]:
    try:
        delattr(obj, name)
    except AttributeError as e:
        print("AttributeError:", e)
try:
    delattr(p, 5)
except TypeError as e:
    print("TypeError:", e)
try:
    getattr(p, None)
except TypeError as e:
    print("TypeError:", e)
try:
    p.norm = 3
except AttributeError as e:
    print("AttributeError:", e)

class Config:
    debug = True
    level = 1
del Config.debug
print(hasattr(Config, "debug"), Config.level)
try:
    del Config.debug
except AttributeError as e:
    print("AttributeError:", e)
try:
    del int.real
except TypeError as e:
    print("TypeError:", e)

import math
math.answer = 42
print(math.answer)
del math.answer
print(hasattr(math, "answer"))

# Instances that end with the same attributes behave alike whichever order got them there.
a = Point(1, 2)
b = Point(3, 4)
a.w = 0
del a.w
b.extra = 1
del b.extra
print(a.x + b.x, a.y + b.y, sorted(n for n in ["x", "y", "w", "extra"] if hasattr(a, n)))
