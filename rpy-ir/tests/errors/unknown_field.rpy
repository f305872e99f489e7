# error: unknown_field.rpy:5:13: error: struct 'P' has no field 'z'
struct P:
    x: int
def f(p: P) -> int:
    return p.z
