# error: for_not_iterable.rpy:3:14: error: cannot iterate over int: a 'for' loop walks range(...), a str or an array
def f(a: int) -> int:
    for x in a:
        pass
    return a
