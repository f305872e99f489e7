class Guard:
    def __init__(self, swallow):
        self.swallow = swallow
    def __enter__(self):
        return "value"
    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            print("exit saw", exc_type.__name__, exc)
        else:
            print("exit clean")
        return self.swallow
with Guard(True) as v:
    print(v)
    raise ValueError("swallowed")
print("after swallowed")
try:
    with Guard(False):
        raise KeyError("propagates")
except KeyError as e:
    print("caught outside", e)
def f():
    with Guard(False):
        return "returned"
print(f())
for i in range(3):
    with Guard(False):
        if i == 1:
            continue
        if i == 2:
            break
        print("loop", i)
