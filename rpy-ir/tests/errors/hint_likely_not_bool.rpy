# error: hint_likely_not_bool.rpy:3:14: error: 'likely' needs a bool, found int
def f(x: int) -> int:
    y = hint(x, likely=True)
    return y
