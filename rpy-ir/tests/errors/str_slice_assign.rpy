# error: str_slice_assign.rpy:3:5: error: cannot assign to this expression
def f(s: str) -> int:
    s[1:2] = "x"
    return 0
