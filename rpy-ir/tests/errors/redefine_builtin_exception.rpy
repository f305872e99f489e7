# error: redefine_builtin_exception.rpy:2:1: error: 'ValueError' is already defined
struct ValueError:
    code: int

def f(x: int) -> int:
    raise ValueError(code=1)
