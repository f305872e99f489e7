# error: missing_colon.rpy:2:18: error: expected ':', found newline
def f(x: int) -> int
    return x
