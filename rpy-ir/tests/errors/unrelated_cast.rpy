# error: unrelated_cast.rpy:7:11: error: A and B are unrelated structs
struct A:
    pass
struct B:
    pass
def f(a: A) -> int:
    b = a as B
    return 0
