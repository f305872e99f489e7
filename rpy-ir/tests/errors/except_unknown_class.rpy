# error: except_unknown_class.rpy:5:25: error: unknown exception class 'Nope'
def f(x: int) -> int:
    try:
        return x
    except (ValueError, Nope) as e:
        return 0
