# error: tuple_return_type.rpy:3:12: error: returned value has type tuple[int, bool], found tuple[int, int]
def f(a: int) -> tuple[int, bool]:
    return a, a
