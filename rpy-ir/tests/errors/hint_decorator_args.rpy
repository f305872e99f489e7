# error: hint_decorator_args.rpy:2:10: error: expected newline, found '('
@elidable(True)
def f(x: int) -> int:
    return x
