# error: struct_ctor_field.rpy:5:21: error: struct 'P' has no field 'y'
struct P:
    x: int
def f(a: int) -> P:
    return P(x = a, y = a)
