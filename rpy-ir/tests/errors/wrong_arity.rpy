# error: wrong_arity.rpy:5:12: error: 'g' takes 2 arguments, 1 given
def g(a: int, b: int) -> int:
    return a
def f(x: int) -> int:
    return g(x)
