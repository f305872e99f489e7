# error: for_items_three_names.rpy:4:20: error: cannot unpack 2 items into 3 names
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    for a, b, c in d.items():
        x += a
    return x
