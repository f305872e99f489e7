# error: str_chars_kwargs.rpy:3:25: error: unexpected keyword argument 'sep'
def f(s: str) -> int:
    return len(chars(s, sep=","))
