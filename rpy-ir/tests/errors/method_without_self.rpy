# error: method_without_self.rpy:3:11: error: the first parameter of a method of 'A' must be 'self'
struct A:
    def f(x: int) -> int:
        return x
