# error: for_dict_unpack_keys.rpy:4:17: error: cannot unpack int: only a tuple can be unpacked
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    for k, v in d:
        x += k
    return x
