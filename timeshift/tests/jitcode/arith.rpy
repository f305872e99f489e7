# portal: f greens: a
# Green ops run at compile time, red ops are emitted; a green exit is decided now.
def f(a: int, b: int) -> int:
    x = a * 2 + 1
    y = b - x
    if x > 10:
        return y * a
    return y
