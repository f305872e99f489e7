# portal: f greens: a
# error: concrete_dont_look_inside.rpy:10:12: error: this value cannot be green as 'concrete' requires: it depends on the result of 'h', a @dont_look_inside call
# note: concrete_dont_look_inside.rpy:9:9: note: the result of 'h', a @dont_look_inside call is here
@dont_look_inside
def h(x: int) -> int:
    return x + 1

def f(a: int, b: int) -> int:
    k = h(a)
    return hint(k, concrete=True) + b
