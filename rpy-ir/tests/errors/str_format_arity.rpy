# error: str_format_arity.rpy:3:12: error: 'float_format_f' takes 2 arguments, 1 given
def f(x: float) -> str:
    return float_format_f(x)
