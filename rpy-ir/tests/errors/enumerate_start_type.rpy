# error: enumerate_start_type.rpy:3:34: error: the start of enumerate() has type int, found char
def f(x: int) -> int:
    for i, c in enumerate("abc", 'a'):
        x += i
    return x
