# portal: f greens:
# likely turns a red bool green, as promote does (its true case is compiled with the code).
def f(x: int, y: int) -> int:
    c = hint(x < y, likely=True)
    if c:
        return x + 1
    return y
