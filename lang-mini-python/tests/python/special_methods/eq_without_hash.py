class P:
    def __init__(self, x):
        self.x = x
    def __eq__(self, other):
        return self.x == other.x
print(P(1) == P(1), P(1) != P(2), P(1) == P(2))
try:
    s = {P(1)}
except TypeError as e:
    print("TypeError:", e)
class Q:
    pass
a = Q()
print(a == a, a == Q(), a != Q())
print(len({a, a}))
