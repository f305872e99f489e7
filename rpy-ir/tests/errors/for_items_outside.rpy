# error: for_items_outside.rpy:4:9: error: 'items()' of dict[int, int] is only the iterable of a 'for' loop: for k, v in d.items()
def f(x: int) -> int:
    d: dict[int, int] = {1: 2}
    t = d.items()
    return x
