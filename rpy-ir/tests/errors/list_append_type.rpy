# error: list_append_type.rpy:4:14: error: argument 1 of 'append' has type int, found str
def f(x: int) -> int:
    l: list[int] = [1]
    l.append("x")
    return len(l)
