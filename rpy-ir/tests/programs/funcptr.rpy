# Function pointers: as values, in struct fields, in arrays.
# run: apply_all 3 => 19
# run: choose 1 => 30
# run: choose 0 => 200

struct Op:
    f: fn(int, int) -> int
    name: str

def add(a: int, b: int) -> int:
    return a + b

def mul(a: int, b: int) -> int:
    return a * b

def twice(f: fn(int) -> int, x: int) -> int:
    return f(f(x))

def inc(x: int) -> int:
    return x + 1

def apply_all(x: int) -> int:
    ops = [Op(f = add, name = "add"), Op(f = mul, name = "mul")]
    acc = x
    i = 0
    while i < len(ops):
        acc = ops[i].f(acc, x)
        i += 1
    return twice(inc, acc) - 1 + 0 * len(ops[0].name)

def choose(k: int) -> int:
    g = add if k == 1 else mul
    return g(10, 20)
