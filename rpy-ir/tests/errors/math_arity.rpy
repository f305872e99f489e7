# error: math_arity.rpy:3:12: error: 'log' takes 1 argument, 2 given
def f(x: float) -> float:
    return log(x, 2.0)
