# error: except_empty_tuple.rpy:5:13: error: 'except ()' names no exception class
def f(x: int) -> int:
    try:
        x += 1
    except () as e:
        x += 2
    return x
