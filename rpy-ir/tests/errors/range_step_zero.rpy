# error: range_step_zero.rpy:3:26: error: range() step must not be zero
def f(a: int) -> int:
    for i in range(0, a, 0):
        pass
    return a
