class Counter:
    count = 0
    registry = []
    def __init__(self, name):
        Counter.count += 1
        self.id = Counter.count
        Counter.registry.append(name)
a = Counter("a")
b = Counter("b")
print(Counter.count, a.id, b.id, Counter.registry)
a.count = 100
print(a.count, b.count, Counter.count)
class Vec:
    def __init__(self, v):
        self.v = v
Vec.ZERO = Vec(0)
print(Vec.ZERO.v)
Counter.extra = "added later"
print(a.extra)
