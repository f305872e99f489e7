# portal: f greens:
# promote_class makes the class of a red object known: isa tests on it are green.
struct Obj:
    pass
struct IntObj(Obj) immutable:
    value: int

def f(o: Obj) -> int:
    hint(o, promote_class=True)
    if o isa IntObj:
        return (o as IntObj).value
    return 0
