# error: parse_int_type.rpy:3:22: error: argument 1 of 'parse_int' has type str, found int
def f(x: int) -> int:
    return parse_int(x)
