# error: shadow_builtin.rpy:3:5: error: cannot use 'len' as a local variable: it is a builtin
def f(x: int) -> int:
    len = 3
    return len
