# error: dict_literal_untyped.rpy:3:9: error: cannot infer the type of a dict literal here; declare it: x: dict[K, V] = {...}
def f(x: int) -> int:
    d = {1: x}
    return 0
