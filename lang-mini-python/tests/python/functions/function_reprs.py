f = lambda: 1
print(repr(f)[:20])
def g():
    def inner(): pass
    return inner
print(repr(g)[:14], repr(g())[:30])
print(repr(len), repr(print), str(abs))
class A:
    def m(self): pass
    def __repr__(self): return "A()"
print(repr(A().m), repr(A.m)[:17], repr([].append)[:37])
