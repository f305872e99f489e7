# error: enumerate_arity.rpy:3:17: error: enumerate() takes 1 or 2 arguments, 0 given
def f(x: int) -> int:
    for i, c in enumerate():
        x += i
    return x
