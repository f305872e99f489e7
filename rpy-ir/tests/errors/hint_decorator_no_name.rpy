# error: hint_decorator_no_name.rpy:2:2: error: expected name, found newline
@
def f(x: int) -> int:
    return x
