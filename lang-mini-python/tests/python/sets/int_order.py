# Sets of ints print in CPython's table order (open addressing, dummies, resizes).
s = {30, 1, 2, 9, 17, 25}
print(s)
s = {0, 8}
s.discard(0)
s.add(16)
print(s)
t = set()
for i in range(20):
    t.add(i * 7 % 23)
print(t)
for i in range(0, 20, 3):
    t.discard(i)
print(t, len(t))
t.add(100)
t.add(-5)
t.add(-1)
print(t)
a = {1, 2, 3, 40}
b = {40, 3, 99}
print(a | b, a & b, a - b, a ^ b, b ^ a)
print({1, 2, 3, 4, 5, 6, 7, 8, 9, 10} - {2}, set(range(12)) - set(range(2, 4)))
c = set([64, 32, 16, 8, 0])
print(c, c.copy(), frozenset(c))
print(c.pop(), c.pop(), c)
c |= {5, 69}
print(c)
c &= {69, 32, 5, 7}
print(c)
c ^= {1, 5, 33}
print(c)
c -= {1}
print(c)
print(list({-3, -2, -1, 0, 1, 2}), sorted({-3, 5, 1}))
print({1000, 2000, 3000, 4000, 8, 16})
d = {8: "a", 0: "b", 16: "c"}
print(set(d), set(d.keys()))
print({1, 2}.union([33, 1, 65]), {1, 2, 33}.intersection([33, 2]), {9, 1, 17}.difference([1]))
u = set()
for i in range(100):
    u.add(i * i)
for i in range(100):
    if i % 3:
        u.discard(i * i)
print(u)
