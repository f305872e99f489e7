# error: bigint_not_int.rpy:3:14: error: operator '+' cannot be applied to str and int
def f(x: bigint) -> int:
    return x + 1
