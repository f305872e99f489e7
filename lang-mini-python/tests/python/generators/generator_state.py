def gen():
    print("started")
    yield 1
    print("resumed")
    yield 2
    print("ending")
g = gen()
print("created")
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration:
    print("stop")
print(list(gen()))
