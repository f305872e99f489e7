# error: for_target_type.rpy:4:9: error: 'c' has type int, found char
def f(a: int) -> int:
    c = 0
    for c in "abc":
        pass
    return c
