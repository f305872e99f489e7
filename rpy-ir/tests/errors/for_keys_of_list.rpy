# error: for_keys_of_list.rpy:4:14: error: list[int] has no method 'keys'
def f(x: int) -> int:
    l: list[int] = [1, 2]
    for a in l.keys():
        x += a
    return x
