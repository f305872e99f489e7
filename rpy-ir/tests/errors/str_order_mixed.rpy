# error: str_order_mixed.rpy:3:14: error: operator '<' cannot be applied to str and int
def f(s: str) -> bool:
    return s < 3
