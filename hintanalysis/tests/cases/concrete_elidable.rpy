# portal: f greens: a
# A concrete hint on an elidable call's result asks for its arguments green: here the loop
# variable, so the loop is unrolled and each call runs at compile time.
@elidable
def sq(x: int) -> int:
    return x * x

def f(a: int, b: int) -> int:
    total = b
    i = 0
    while i < a:
        k = hint(sq(i), concrete=True)
        total += k
        i += 1
    return total
