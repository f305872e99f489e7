# error: hint_duplicate_decorator.rpy:3:2: error: duplicate decorator '@dont_look_inside'
@dont_look_inside
@dont_look_inside
def f(x: int) -> int:
    return x
