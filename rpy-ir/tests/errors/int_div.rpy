# error: int_div.rpy:3:14: error: '/' divides floats; use '//' for integer division
def f(x: int) -> int:
    return x / 2
