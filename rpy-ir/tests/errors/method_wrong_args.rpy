# error: method_wrong_args.rpy:6:16: error: argument 1 of method 'A.f' has type int, found bool
struct A:
    def f(self, k: int) -> int:
        return k
def g(a: A) -> int:
    return a.f(True)
