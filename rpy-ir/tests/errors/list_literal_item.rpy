# error: list_literal_item.rpy:3:24: error: array item has type int, found str
def f(x: int) -> int:
    l: list[int] = [1, "a"]
    return len(l)
