# error: hint_both.rpy:3:2: error: a function cannot be both @elidable and @dont_look_inside
@elidable
@dont_look_inside
def f(x: int) -> int:
    return x
