calls = []
def f(x):
    calls.append(x)
    return x * 10
g = (f(x) for x in range(5))
print(calls)
print(next(g), calls)
print(list(g), calls)
print(sum(x for x in range(101)))
print(list(zip((i for i in range(3)), "abc")))
