# error: str_to_int_type.rpy:3:23: error: argument 1 of 'str_to_int' has type str, found int
def f(x: int) -> int:
    return str_to_int(x, 10)
