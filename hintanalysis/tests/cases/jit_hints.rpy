# portal: f greens: op
# Function hints and green function pointers: an elidable call on green arguments is green,
# on a red one red; a dont_look_inside call is residual however green its arguments; a call
# through a function pointer read from a frozen table with a green index follows each
# possible target (both of the table's); one through a red pointer stays red.
struct Box:
    v: int

@elidable
def square(x: int) -> int:
    return x * x

@dont_look_inside
def helper(x: int) -> int:
    return x + 1

def add1(x: int) -> int:
    return x + 1

def dbl(x: int) -> int:
    return x * 2

const TABLE: frozen[fn(int) -> int] = [add1, dbl]

def f(op: int, n: int, g: fn(int) -> int) -> int:
    a = square(op)
    b = square(n)
    c = helper(op)
    fp = TABLE[op]
    d = fp(op)
    e = fp(n)
    h = g(op)
    return a + b + c + d + e + h
