# error: undefined_name.rpy:3:12: error: undefined name 'y'
def f(x: int) -> int:
    return y + 1
