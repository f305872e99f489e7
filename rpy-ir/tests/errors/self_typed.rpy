# error: self_typed.rpy:3:15: error: 'self' is typed implicitly: write it without a type
struct A:
    def f(self: A) -> int:
        return 1
