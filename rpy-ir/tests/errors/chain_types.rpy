# error: chain_types.rpy:3:18: error: operator '<' cannot be applied to int and float
def f(a: int, b: float) -> bool:
    return 0 < a < b
