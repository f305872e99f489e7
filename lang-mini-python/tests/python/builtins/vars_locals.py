# vars(), vars(obj), locals() and globals().
def f(a, b=2):
    c = a + b

    def g():
        return c
    snap = locals()
    print(sorted(snap), snap['a'], snap['c'], vars() == locals())
    snap['a'] = 100  # a snapshot in a function: the variable keeps its value
    print(a)


f(1)


class C:
    kind = 'c'

    def __init__(self):
        self.a = 1
        self.b = [2]


c = C()
print(vars(c), sorted(vars(c).items()), len(vars(c)))
d = vars(c)
d['z'] = 9
d.update(w=5)
print(c.z, c.w, vars(c))
del d['a']
print(hasattr(c, 'a'), vars(c))


class K:
    x = 1
    y = 2
    names = sorted(k for k in locals() if not k.startswith('__'))


print(K.names)
G = 5
g = globals()
print(g['G'], 'G' in g, g['__name__'])
g['NEW_NAME'] = 7
print(NEW_NAME)
print(vars()['G'], locals()['G'])


def counter(**kwargs):
    obj = C()
    vars(obj).update(kwargs)
    return sorted(vars(obj))


print(counter(p=1, q=2))


def call(f):
    return f()


print(sorted(call(locals)), call(globals)['G'])
