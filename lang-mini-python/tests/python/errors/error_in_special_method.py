class Vec:
    def __init__(self, *xs):
        self.xs = xs
    def __add__(self, other):
        return Vec(*[a + b for a, b in zip(self.xs, other.xs)])
    def __getitem__(self, i):
        return self.xs[i]
v = Vec(1, 2) + Vec(3, 4)
print(v[0], v[1])
print(v[2])
