# error: isinstance_unrelated.rpy:7:26: error: A and B are unrelated structs
struct A:
    pass
struct B:
    pass
def f(a: A) -> bool:
    return isinstance(a, B)
