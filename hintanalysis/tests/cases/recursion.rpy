# portal: f greens: n
# A recursive helper is called residually: its result is red even on green arguments.
def fact(n: int) -> int:
    if n <= 1:
        return 1
    return n * fact(n - 1)

def f(n: int, x: int) -> int:
    return fact(n) + x
