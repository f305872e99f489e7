# error: try_else_without_except.rpy:5:5: error: 'else' after 'try' needs an 'except' clause
def f(x: int) -> int:
    try:
        x += 1
    else:
        x += 2
    finally:
        x += 3
    return x
