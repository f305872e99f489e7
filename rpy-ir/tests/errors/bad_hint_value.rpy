# error: bad_hint_value.rpy:3:25: error: hint flags are written promote=True
def f(x: int) -> int:
    y = hint(x, promote=1)
    return y
