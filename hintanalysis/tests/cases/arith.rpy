# portal: f greens: a
# Green and red arithmetic: a is green, b red; mixing gives red.
def f(a: int, b: int) -> int:
    x = a + 1
    y = b * 2
    z = x * y
    w = x * 3 - 1
    return z + w
