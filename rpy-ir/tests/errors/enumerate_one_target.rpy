# error: enumerate_one_target.rpy:4:9: error: the target of a loop over enumerate(...) is two names: for i, x in ...
def f(x: int) -> int:
    l: list[int] = [1, 2]
    for p in enumerate(l):
        x += 1
    return x
