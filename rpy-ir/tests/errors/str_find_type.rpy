# error: str_find_type.rpy:3:24: error: argument 2 of 'str_find' has type str, found char
def f(s: str) -> int:
    return str_find(s, 'x')
