# error: return_type.rpy:3:14: error: returned value has type int, found bool
def f(x: int) -> int:
    return x > 1
