# Structs with inheritance, isa, downcasts, and a failed downcast.
# run: total 5 => 15
# run: describe 0 => 1
# run: describe 1 => 2
# run: describe 2 => 3
# run: bad_cast 0 => error: cannot cast

struct Obj:
    pass

struct IntObj(Obj) immutable:
    value: int

struct PairObj(Obj):
    left: Obj
    right: Obj

struct NilObj(Obj):
    pass

def make(n: int) -> Obj:
    if n == 0:
        return NilObj()
    return PairObj(left = IntObj(value = n), right = make(n - 1))

def sum(o: Obj) -> int:
    if o isa IntObj:
        return (o as IntObj).value
    if o isa PairObj:
        p = o as PairObj
        return sum(p.left) + sum(p.right)
    return 0

def total(n: int) -> int:
    return sum(make(n))

def describe(k: int) -> int:
    o: Obj = NilObj()
    if k == 1:
        o = IntObj(value = 7)
    elif k == 2:
        o = PairObj(left = o, right = o)
    if o isa IntObj:
        return 2
    elif o isa PairObj:
        return 3
    return 1

def bad_cast(k: int) -> int:
    o: Obj = NilObj()
    return (o as IntObj).value
