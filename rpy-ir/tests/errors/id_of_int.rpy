# error: id_of_int.rpy:3:15: error: 'id' cannot be applied to int
def f(a: int) -> int:
    return id(a)
