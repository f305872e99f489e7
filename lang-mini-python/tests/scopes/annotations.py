limit: int = 10
def f(a: int, b: "str" = "") -> list:
    n: int = 0
    m: float
    return [a, b, n]
class Point:
    x: int = 0
    y: int
