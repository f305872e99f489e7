# error: dict_slice.rpy:4:10: error: slicing cannot be applied to dict[int, int]
def f(x: int) -> int:
    d: dict[int, int] = dict()
    e = d[1:2]
    return 0
