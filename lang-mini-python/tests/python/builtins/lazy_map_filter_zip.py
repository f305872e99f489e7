def noisy(x):
    print("map sees", x)
    return x * 10
m = map(noisy, [1, 2, 3])
print("map created")
print(next(m))
print("rest", list(m))
def keep(x):
    print("filter sees", x)
    return x % 2 == 1
f = filter(keep, range(4))
print("filter created")
for v in f:
    print("kept", v)
def gen(tag, n):
    for i in range(n):
        print(tag, "yields", i)
        yield i
z = zip(gen("a", 3), gen("b", 2))
print("zip created")
print(list(z))
r = range(10 ** 12)
print(len(r), r[10 ** 11], r[-1], r[5:8], list(r[5:8]), 10 ** 12 - 1 in r)
