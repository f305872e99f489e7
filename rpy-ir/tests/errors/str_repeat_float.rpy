# error: str_repeat_float.rpy:3:14: error: operator '*' cannot be applied to str and float
def f(s: str) -> str:
    return s * 2.0
