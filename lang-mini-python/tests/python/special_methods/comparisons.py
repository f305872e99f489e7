class V:
    def __init__(self, n):
        self.n = n
    def __eq__(self, other):
        return isinstance(other, V) and self.n == other.n
    def __ne__(self, other):
        return not self == other
    def __lt__(self, other):
        return self.n < other.n
    def __le__(self, other):
        return self.n <= other.n
    def __gt__(self, other):
        return self.n > other.n
    def __ge__(self, other):
        return self.n >= other.n
    def __hash__(self):
        return hash(self.n)
    def __repr__(self):
        return "V%d" % self.n
a, b, c = V(1), V(2), V(1)
print(a == c, a != b, a < b, a <= c, b > a, b >= b, a == 1)
print(sorted([V(3), V(1), V(2)]))
print(max(V(5), V(9), V(2)), min([V(4), V(0)]))
print(len({a, b, c}), {a: "x"}[c])
print(a in [b, c], V(7) in [a, b])
