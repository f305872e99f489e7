# error: maybe_unassigned.rpy:5:12: error: variable 'y' may be used before it is assigned
def f(x: int) -> int:
    if x > 0:
        y = 1
    return y
