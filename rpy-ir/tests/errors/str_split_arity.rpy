# error: str_split_arity.rpy:3:13: error: 'str_split' takes 1 or 2 arguments, 3 given
def f(s: str) -> int:
    parts = str_split(s, ",", 2)
    return len(parts)
