# error: str_slice_bad_bound.rpy:3:14: error: a slice start has type int, found float
def f(s: str) -> str:
    return s[1.5:]
