# error: missing_colon.rpy:2:21: error: expected ':', found newline
def f(x: int) -> int
    return x
