# error: tuple_index_range.rpy:4:14: error: tuple index 2 out of range for tuple[int, int] (2 items)
def f(a: int) -> int:
    t = (a, a + 1)
    return t[2]
