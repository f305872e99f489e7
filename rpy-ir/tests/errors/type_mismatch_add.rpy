# error: type_mismatch_add.rpy:3:14: error: operator '+' cannot be applied to int and float
def f(x: int) -> int:
    return x + 1.5
