# portal: f greens: a
# A helper called with a green and with a red argument is analysed twice (polyvariance).
def double(x: int) -> int:
    return x * 2

def f(a: int, b: int) -> int:
    return double(a) + double(b)
