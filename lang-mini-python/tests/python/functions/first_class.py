def apply(f, xs):
    return [f(x) for x in xs]
def double(x):
    return 2 * x
ops = {"double": double, "neg": lambda x: -x, "str": str}
for name in ops:
    print(name, apply(ops[name], [1, 2, 3]))
print(double.__name__)
f = double
print(f is double, f(21))
funcs = [len, abs, lambda s: s.upper()]
print(funcs[0]("abc"), funcs[1](-3), funcs[2]("up"))
