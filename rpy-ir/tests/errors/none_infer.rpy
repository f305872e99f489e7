# error: none_infer.rpy:3:9: error: cannot infer the type of 'y' from None; declare it: y: T = None
def f(x: int) -> int:
    y = None
    return x
