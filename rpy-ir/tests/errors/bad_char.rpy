# error: bad_char.rpy:3:16: error: unexpected character '$'
def f(x: int) -> int:
    return x + $
