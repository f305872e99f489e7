# error: hint_decorator_indented.rpy:3:5: error: expected expression, found '@'
def f(x: int) -> int:
    @elidable
    return x
