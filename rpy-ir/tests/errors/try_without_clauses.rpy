# error: try_without_clauses.rpy:5:5: error: 'try' needs an 'except' or 'finally' clause
def f(x: int) -> int:
    try:
        x += 1
    return x
