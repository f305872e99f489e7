# error: ovfcheck_as_local.rpy:3:5: error: cannot use 'ovfcheck' as a local variable: it is a builtin
def f(x: int) -> int:
    ovfcheck = x
    return ovfcheck
