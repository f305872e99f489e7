# error: except_as_retyped.rpy:6:24: error: 'e' is already declared as int, the handler binds KeyError
def f(x: int) -> int:
    e = 5
    try:
        x += 1
    except KeyError as e:
        x += 2
    return x
