# error: dict_ne_chained.rpy:5:22: error: '!=' on dict[int, int] would compare identity: use 'is' / 'is not'
def f(x: int) -> bool:
    a: dict[int, int] = {}
    b: dict[int, int] = {}
    if a is not None != b:
        return True
    return False
