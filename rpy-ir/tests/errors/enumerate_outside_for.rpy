# error: enumerate_outside_for.rpy:4:9: error: enumerate() is only the iterable of a 'for' loop: for i, x in enumerate(l)
def f(x: int) -> int:
    l: list[int] = [1, 2]
    e = enumerate(l)
    return x
