# portal: f greens: a
# error: concrete_forget.rpy:7:9: error: this value cannot be green as 'concrete' requires: it depends on a 'forget' hint
# note: concrete_forget.rpy:6:9: note: a 'forget' hint is here

def f(a: int) -> int:
    b = hint(a, forget=True)
    c = hint(b + 1, concrete=True)
    return c
