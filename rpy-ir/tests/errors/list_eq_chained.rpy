# error: list_eq_chained.rpy:6:19: error: '==' on list[int] would compare identity: use 'is' / 'is not'
def f(x: int) -> bool:
    a: list[int] = []
    b: list[int] = []
    c: list[int] = []
    return a is b == c
