# portal: f greens: n
# A red loop: the header is a merge point listing the live registers.
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        s += x
        i += 1
    return s
