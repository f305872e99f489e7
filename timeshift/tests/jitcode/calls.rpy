# portal: f greens: a
# Followed calls name the callee's JitCode (one per colour pattern); recursive calls are
# residual (rcall).
def double(x: int) -> int:
    return x * 2

def fact(n: int) -> int:
    if n <= 1:
        return 1
    return n * fact(n - 1)

def f(a: int, b: int) -> int:
    return double(a) + double(b) + fact(b)
