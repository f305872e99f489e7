# error: list_type_arity.rpy:2:10: error: 'list' takes 1 type argument, 2 given
def f(l: list[int, int]) -> int:
    return 0
