# error: dict_pop_arity.rpy:4:12: error: 'pop' of dict[int, int] takes 1 or 2 argument(s), 0 given
def f(x: int) -> int:
    d: dict[int, int] = dict()
    return d.pop()
