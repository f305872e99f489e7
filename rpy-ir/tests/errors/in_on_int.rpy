# error: in_on_int.rpy:3:14: error: 'in' needs a list or dict on its right, found int
def f(x: int) -> bool:
    return x in 5
