# error: ovfcheck_division.rpy:3:23: error: 'ovfcheck' takes an int '+', '-', '*' or '<<', or a unary '-'
def f(x: int) -> int:
    return ovfcheck(x // 2)
