# portal: f greens: a
# error: green_param_error.rpy:7:5: error: this value cannot be green as 'concrete' requires: it depends on a read of the mutable field 'Box.value'
# note: green_param_error.rpy:12:22: note: a read of the mutable field 'Box.value' is here
struct Box:
    value: int
def pick(k: int) -> int:
    hint(k, concrete=True)
    return k

def f(a: int, b: Box) -> int:
    x = pick(a)
    return x + pick(b.value)
