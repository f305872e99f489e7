# error: assign_type.rpy:4:9: error: 'y' has type int, found str
def f(x: int) -> int:
    y = 1
    y = "one"
    return y
