# error: for_list_unpack_ints.rpy:4:17: error: cannot unpack int: only a tuple can be unpacked
def f(x: int) -> int:
    l: list[int] = [1, 2]
    for a, b in l:
        x += a
    return x
