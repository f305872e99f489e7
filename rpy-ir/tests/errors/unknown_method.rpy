# error: unknown_method.rpy:5:13: error: struct 'A' has no field or method 'size'
struct A:
    x: int
def g(a: A) -> int:
    return a.size()
