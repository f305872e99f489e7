# error: range_outside_for.rpy:3:9: error: range() is only the iterable of a 'for' loop: for i in range(n)
def f(a: int) -> int:
    r = range(a)
    return a
