# portal: f greens: p
# error: concrete_mutable_field.rpy:9:5: error: this value cannot be green as 'concrete' requires: it depends on a read of the mutable field 'Box.value'
# note: concrete_mutable_field.rpy:8:10: note: a read of the mutable field 'Box.value' is here
struct Box:
    value: int

def f(p: Box) -> int:
    v = p.value
    hint(v, concrete=True)
    return v
