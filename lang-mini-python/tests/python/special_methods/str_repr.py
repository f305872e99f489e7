class P:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "P(" + repr(self.x) + ", " + repr(self.y) + ")"
    def __str__(self):
        return "<" + str(self.x) + "," + str(self.y) + ">"
p = P(1, "a")
print(p)
print(repr(p), str(p))
print([p, p])
print((p,), {"k": p})
print("%s %r" % (p, p))
print(f"{p}")
class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr!"
print(OnlyRepr(), str(OnlyRepr()))
