# error: str_split_type.rpy:3:25: error: argument 2 of 'split' has type str, found int
def f(s: str) -> int:
    return len(split(s, 44))
