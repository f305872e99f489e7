# portal: f greens: n
# A concrete hint on the loop counter asks for unrolling: the loop header's i becomes green.
def f(n: int, x: int) -> int:
    i = 0
    s = x
    while i < n:
        k = hint(i, concrete=True)
        s = s * 2 + k
        i += 1
    return s
