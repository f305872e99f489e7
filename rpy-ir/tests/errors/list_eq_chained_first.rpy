# error: list_eq_chained_first.rpy:5:14: error: '==' on list[int] would compare identity: use 'is' / 'is not'
def f(x: int) -> bool:
    a: list[int] = []
    b: list[int] = []
    return a == b == a
