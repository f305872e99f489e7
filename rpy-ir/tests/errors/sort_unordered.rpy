# error: sort_unordered.rpy:7:5: error: list[P] has no natural order: sort it with a key, l.sort(key=f)
struct P:
    x: int

def f(x: int) -> int:
    l: list[P] = []
    l.sort()
    return 0
