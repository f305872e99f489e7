# portal: f greens: op
# The calls hints change: an elidable call (ecall), a dont_look_inside call (rcall however
# green its argument), and a call through a green function pointer (icall, each possible
# target with what a call to it does).
@elidable
def square(x: int) -> int:
    return x * x

@dont_look_inside
def helper(x: int) -> int:
    return x + 1

def add1(x: int) -> int:
    return x + 1

const TABLE: frozen[fn(int) -> int] = [add1, square]

def f(op: int, n: int) -> int:
    fp = TABLE[op]
    return square(n) + helper(op) + fp(n)
