# error: for_not_iterable.rpy:3:14: error: cannot iterate over int: a 'for' loop walks range(...), a str, an array, a list or a dict
def f(a: int) -> int:
    for x in a:
        pass
    return a
