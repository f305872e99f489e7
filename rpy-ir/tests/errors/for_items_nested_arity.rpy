# error: for_items_nested_arity.rpy:4:35: error: cannot unpack 2 items into 3 names
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    for i, (k, v, w) in enumerate(d.items()):
        x += k
    return x
