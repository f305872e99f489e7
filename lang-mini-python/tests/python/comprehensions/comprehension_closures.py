def make_multipliers():
    return [lambda x, k=k: x * k for k in range(4)]
print([m(10) for m in make_multipliers()])
base = 100
print([base + i for i in range(3)])
def scoped(n):
    offset = n * 2
    return {i: offset + i for i in range(n)}
print(scoped(3))
class Holder:
    items = [1, 2, 3]
    doubled = [i * 2 for i in items]
print(Holder.doubled)
