# error: dict_no_method.rpy:4:5: error: dict[int, int] has no method 'setdefault'
def f(x: int) -> int:
    d: dict[int, int] = dict()
    d.setdefault(1, 2)
    return len(d)
