# error: for_values_assign_type.rpy:5:13: error: 'v' has type int, found str
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    for v in d.values():
        v = "s"
    return x
