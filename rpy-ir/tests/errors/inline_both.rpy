# error: inline_both.rpy:3:2: error: a function cannot be both @always_inline and @dont_inline
@always_inline
@dont_inline
def f(x: int) -> int:
    return x
