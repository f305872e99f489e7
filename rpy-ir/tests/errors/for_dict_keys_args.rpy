# error: for_dict_keys_args.rpy:4:14: error: 'keys' takes no arguments, 1 given
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    for k in d.keys(x):
        x += k
    return x
