x: int = 5
y: list = []
z: "any string"
def f(a: int, b: float = 1.5) -> float:
    r: float = a * b
    return r
print(x, y, f(2), f(2, 2.0))
class P:
    name: str = "p"
    count: int
print(P.name, hasattr(P, "count"))
