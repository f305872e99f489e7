# error: bare_except_not_last.rpy:5:5: error: a bare 'except:' must be the last handler
def f(x: int) -> int:
    try:
        x += 1
    except:
        x += 2
    except ValueError:
        x += 3
    return x
