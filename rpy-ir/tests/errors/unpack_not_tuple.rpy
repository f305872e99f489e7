# error: unpack_not_tuple.rpy:3:12: error: cannot unpack int: only a tuple can be unpacked
def f(a: int) -> int:
    x, y = a
    return x
