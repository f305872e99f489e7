# error: str_chars_kwargs.rpy:3:29: error: unexpected keyword argument 'sep'
def f(s: str) -> int:
    return len(str_chars(s, sep=","))
