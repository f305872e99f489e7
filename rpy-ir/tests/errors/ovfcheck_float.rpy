# error: ovfcheck_float.rpy:3:21: error: 'ovfcheck' works on int operands, found float
def f(x: float) -> float:
    return ovfcheck(x + 1.0)
