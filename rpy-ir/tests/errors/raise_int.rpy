# error: raise_int.rpy:3:11: error: can only raise an exception (a struct deriving from Exception), found int
def f(x: int) -> int:
    raise 5
