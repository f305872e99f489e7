# error: bad_condition.rpy:3:8: error: expected bool, found int
def f(x: int) -> int:
    if x:
        return 1
    return 0
