# error: str_slice_zero_step.rpy:3:18: error: slice step cannot be zero
def f(s: str) -> str:
    return s[1:5:0]
