# error: self_in_function.rpy:2:7: error: 'self' is only a parameter of methods (a 'def' inside a struct)
def f(self: int) -> int:
    return self
