def total(*args):
    print(type(args).__name__, args)
    return sum(args)
print(total(), total(1), total(1, 2, 3))
def show(first, *rest, sep="-"):
    return sep.join([str(first)] + [str(r) for r in rest])
print(show(1), show(1, 2, 3), show(1, 2, sep="+"))
nums = [4, 5, 6]
print(total(*nums), total(0, *nums, 7))
def kw(**kwargs):
    return sorted(kwargs.items())
print(kw(), kw(a=1, b=2))
opts = {"x": 1, "y": 2}
print(kw(**opts), kw(z=0, **opts))
def both(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)
print(both(1, c=3))
print(both(1, 5, 6, 7, c=8, e=9))
