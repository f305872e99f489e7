class Point:
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y
    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)
p = Point(3, 4)
print(p.x, p.y, p.norm2(), Point.dims, p.dims)
q = p.moved(1, -1)
print(q.x, q.y)
p.x = 10
print(p.norm2())
p.label = "P"
print(p.label)
print(type(p).__name__, type(p) is Point, isinstance(p, Point))
print(type(p))
