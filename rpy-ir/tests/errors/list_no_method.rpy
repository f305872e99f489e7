# error: list_no_method.rpy:4:5: error: list[int] has no method 'push'
def f(x: int) -> int:
    l: list[int] = []
    l.push(x)
    return len(l)
