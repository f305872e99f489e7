class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
a = Vec(1, 2)
b = Vec(3, 5)
print(a + b, b - a, a * 3, -a)
a += b
print(a)
print(sum([Vec(1, 1), Vec(2, 2)], Vec(0, 0)))
try:
    a * a
except TypeError as e:
    print("TypeError", e)
