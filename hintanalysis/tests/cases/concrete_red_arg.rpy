# portal: f greens: a
# error: concrete_red_arg.rpy:6:9: error: this value cannot be green as 'concrete' requires: it depends on argument 'b' of the portal 'f', which is not among its greens
# note: concrete_red_arg.rpy:5:1: note: argument 'b' of the portal 'f', which is not among its greens is here

def f(a: int, b: int) -> int:
    c = hint(a + b, concrete=True)
    return c
