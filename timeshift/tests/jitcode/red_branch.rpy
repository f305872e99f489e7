# portal: f greens: c
# A red branch (rexit) splits; the join of red values starts with a merge.
def f(c: char, d: char, x: int) -> int:
    r = 0
    if d == c:
        r = x + 1
    else:
        r = x - 1
    return r * ord(c)
