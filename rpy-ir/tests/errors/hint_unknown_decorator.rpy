# error: hint_unknown_decorator.rpy:2:2: error: unknown decorator '@elideable' (expected @elidable, @dont_look_inside, @always_inline or @dont_inline)
@elideable
def f(x: int) -> int:
    return x
