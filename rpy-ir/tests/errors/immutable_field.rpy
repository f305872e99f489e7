# error: immutable_field.rpy:5:6: error: cannot assign to field 'x' of immutable struct 'P'
struct P immutable:
    x: int
def f(p: P):
    p.x = 3
