class Shape:
    def area(self):
        raise NotImplementedError("subclass must implement")
    def __str__(self):
        return type(self).__name__ + "(" + str(self.area()) + ")"
class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
class Tri(Shape):
    def __init__(self, b, h):
        self.b = b
        self.h = h
    def area(self):
        return self.b * self.h / 2
shapes = [Rect(2, 3), Square(4), Tri(3, 5)]
for s in shapes:
    print(s)
print(sum(s.area() for s in shapes))
try:
    Shape().area()
except NotImplementedError as e:
    print("NotImplementedError:", e)
