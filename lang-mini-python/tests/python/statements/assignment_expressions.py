import sys
data = [3, 8, 1, 9, 4]
if (n := len(data)) > 3:
    print("long", n)
print(n)
i = 0
while (chunk := data[i:i + 2]):
    print(chunk)
    i += 2
evens = [y for x in data if (y := x * 2) > 6]
print(evens, y)
print([last := v for v in range(3)], last)
def f(xs):
    total = 0
    found = [t for x in xs if (t := x % 3) == 0]
    print(found, t)
    def g():
        return [(w := k) for k in xs], w
    print(g())
    return (total := total + 1), total
print(f([3, 4, 6]))
print((a := 5), a, f"{(b := 7)} {b}", [c := 1, c + 1], {"k": (d := 2)}, d)
print(max(data, key=lambda v: (m := -v)), sum(s for s in data if (q := s) > 2), q)
class K:
    x = (z := 10)
    def m(self):
        return 0
print(K.x, K.z, K().m())
def gen():
    while (val := (yield)) is not None:
        print("got", val)
gg = gen(); next(gg); gg.send(1); gg.send("two")
def nested():
    res = [[(inner := j * k) for j in range(2)] for k in range(3)]
    return res, inner
print(nested())
print(sorted({(p := x % 4) for x in data}), p, {k: (vv := k) for k in "ab"}, vv)
