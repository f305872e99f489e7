# error: tuple_index_not_const.rpy:4:14: error: a tuple index must be a constant int (an int literal or a module constant)
def f(a: int) -> int:
    t = (a, a + 1)
    return t[a]
