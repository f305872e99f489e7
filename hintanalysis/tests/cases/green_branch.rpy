# portal: f greens: a
# A branch on a green value is decided at compile time; on a red value it splits.
def f(a: int, b: int) -> int:
    r = 0
    if a > 0:
        r = 1
    if b > 0:
        r += 10
    return r
