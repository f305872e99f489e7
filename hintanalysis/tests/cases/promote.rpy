# portal: f greens:
# promote turns a red value green (a flexswitch at run time); what depends on it is green.
def f(x: int) -> int:
    y = hint(x, promote=True)
    z = y * 2
    if z > 10:
        return z
    return x
