# error: bare_raise_outside_except.rpy:4:9: error: bare 'raise' outside an 'except' handler
def f(x: int) -> int:
    try:
        raise
    finally:
        x += 1
    return x
