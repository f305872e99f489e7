# error: duplicate_method.rpy:5:5: error: method 'f' is already defined in 'A'
struct A:
    def f(self) -> int:
        return 1
    def f(self) -> int:
        return 2
