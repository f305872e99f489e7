# error: field_shadows_method.rpy:6:5: error: field 'f' of 'B' has the name of a method of 'A'
struct A:
    def f(self) -> int:
        return 1
struct B(A):
    f: int
