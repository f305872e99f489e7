# error: unpack_arity.rpy:3:12: error: cannot unpack 3 items into 2 names
def f(a: int) -> int:
    x, y = (a, a, a)
    return x
