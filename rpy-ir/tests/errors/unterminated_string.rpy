# error: unterminated_string.rpy:3:9: error: unterminated string literal
def f(x: int) -> str:
    s = "abc
    return s
