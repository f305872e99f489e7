# error: list_index_str.rpy:4:14: error: the index has type int, found str
def f(x: int) -> int:
    l: list[int] = [1]
    return l["a"]
