# error: for_dict_values_kwarg.rpy:4:23: error: unexpected keyword argument 'n'
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    for v in d.values(n=x):
        x += v
    return x
