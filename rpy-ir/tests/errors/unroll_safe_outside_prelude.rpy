# error: unroll_safe_outside_prelude.rpy:2:2: error: '@unroll_safe' is reserved to the container prelude (it makes the JIT unroll the function's loops, trusted to end after a few iterations)
@unroll_safe
def f(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    return s
