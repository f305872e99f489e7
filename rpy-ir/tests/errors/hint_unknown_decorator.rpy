# error: hint_unknown_decorator.rpy:2:2: error: unknown decorator '@elideable' (expected @elidable or @dont_look_inside)
@elideable
def f(x: int) -> int:
    return x
