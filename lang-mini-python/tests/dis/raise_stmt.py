class MyError(Exception):
    pass

def fail(kind):
    if kind == 1:
        raise MyError("bad")
    if kind == 2:
        raise ValueError
    try:
        fail(1)
    except MyError as e:
        raise RuntimeError("wrapped") from e
