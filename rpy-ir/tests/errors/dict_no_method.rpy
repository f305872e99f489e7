# error: dict_no_method.rpy:4:5: error: dict[int, int] has no method 'items'
def f(x: int) -> int:
    d: dict[int, int] = dict()
    d.items()
    return len(d)
