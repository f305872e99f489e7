# portal: f greens:
# promote and promote_class are hints; what depends on their results is green.
struct Obj:
    pass
struct IntObj(Obj) immutable:
    value: int

def f(x: int, o: Obj) -> int:
    k = hint(x, promote=True)
    hint(o, promote_class=True)
    if o isa IntObj:
        return (o as IntObj).value * k
    return k * k
