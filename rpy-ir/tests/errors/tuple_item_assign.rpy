# error: tuple_item_assign.rpy:4:6: error: a tuple is immutable: its items cannot be assigned
def f(a: int) -> int:
    t = (a, a + 1)
    t[0] = 3
    return a
