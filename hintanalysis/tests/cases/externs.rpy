# portal: f greens: s
# A pure extern on green arguments is green; an extern with effects is red.
def f(s: str, x: int) -> int:
    h = str_hash(s)
    t = int_to_str(x)
    print_str(t)
    return h + len(t)
