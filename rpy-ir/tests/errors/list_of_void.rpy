# error: list_of_void.rpy:2:15: error: a list cannot hold void
def f(l: list[void]) -> int:
    return 0
