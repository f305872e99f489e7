# error: list_infer.rpy:3:9: error: cannot infer the type of 'list(...)' here; declare it: x: list[T] = list()
def f(x: int) -> int:
    l = list()
    return 0
