# error: parent_unknown_method.rpy:7:17: error: struct 'A' has no method 'g'
struct A:
    def f(self) -> int:
        return 1
struct B(A):
    def f(self) -> int:
        return A.g(self)
