# error: str_split_type.rpy:3:29: error: argument 2 of 'str_split' has type str, found int
def f(s: str) -> int:
    return len(str_split(s, 44))
