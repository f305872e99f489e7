def guarded(xs):
    for x in xs:
        try:
            yield 10 // x
        except ZeroDivisionError:
            yield "div0"
        finally:
            print("done with", x)
for v in guarded([5, 0, 2]):
    print("got", v)
def gen_raises():
    yield 1
    raise ValueError("inside generator")
g = gen_raises()
print(next(g))
try:
    next(g)
except ValueError as e:
    print("caught", e)
try:
    next(g)
except StopIteration:
    print("generator is finished")
