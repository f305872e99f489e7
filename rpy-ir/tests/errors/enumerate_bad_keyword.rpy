# error: enumerate_bad_keyword.rpy:3:34: error: unexpected keyword argument 'begin'
def f(x: int) -> int:
    for i, c in enumerate("abc", begin=1):
        x += i
    return x
