# portal: f greens: a
# A concrete hint on a helper's parameter requires every caller to pass it green.
def pick(k: int, x: int) -> int:
    hint(k, concrete=True)
    return x + k

def f(a: int, b: int) -> int:
    i = 0
    s = 0
    while i < 3:
        s += pick(i + a, b)
        i += 1
    return s
