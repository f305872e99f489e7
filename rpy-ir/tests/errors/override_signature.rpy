# error: override_signature.rpy:6:5: error: method 'B.f' overrides 'A.f' with a different signature: (int, int) -> int instead of (int) -> int
struct A:
    def f(self, x: int) -> int:
        return x
struct B(A):
    def f(self, x: int, y: int) -> int:
        return x + y
