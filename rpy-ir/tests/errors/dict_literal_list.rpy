# error: dict_literal_list.rpy:3:25: error: a list literal cannot be a dict[int, int]
def f(x: int) -> int:
    d: dict[int, int] = [1, 2]
    return 0
