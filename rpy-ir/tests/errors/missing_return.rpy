# error: missing_return.rpy:2:1: error: missing return at the end of 'f', which returns int
def f(x: int) -> int:
    if x > 0:
        return 1
