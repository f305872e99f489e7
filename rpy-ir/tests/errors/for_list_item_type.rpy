# error: for_list_item_type.rpy:5:9: error: 's' has type str, found int
def f(x: int) -> int:
    l: list[int] = [1, 2]
    s = "a"
    for s in l:
        pass
    return x
