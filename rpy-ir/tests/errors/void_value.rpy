# error: void_value.rpy:5:9: error: this expression has no value
def g(x: int):
    pass
def f(x: int) -> int:
    y = g(x)
    return 1
