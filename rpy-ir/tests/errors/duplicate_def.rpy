# error: duplicate_def.rpy:4:1: error: 'f' is already defined
def f(x: int) -> int:
    return x
def f(x: int) -> int:
    return x
