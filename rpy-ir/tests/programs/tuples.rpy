# Tuples: literals, typed declarations, constant indexes (negative, module constants),
# unpacking, swapping, several results, tuples of structs and nested tuples.
# run: divmod_sum 17 5 => 5
# run: swap 3 => 13
# run: nested 2 => 17
# run: fib_pair 10 => 55
# run: points 3 => 14
# run: singleton 4 => 4

const SECOND = 1

struct Point:
    x: int
    y: int

def div_mod(a: int, b: int) -> tuple[int, int]:
    return a // b, a % b

def divmod_sum(a: int, b: int) -> int:
    q, r = div_mod(a, b)
    return q + r

def swap(n: int) -> int:
    a = n
    b = 1
    a, b = b, a
    return a * 10 + b

def nested(n: int) -> int:
    t: tuple[int, tuple[int, bool]] = (n, (n * 7, True))
    inner = t[SECOND]
    if inner[-1]:
        return t[0] + inner[0] + 1
    return 0

def fib_pair(n: int) -> int:
    p = (0, 1)
    i = 0
    while i < n:
        p = (p[1], p[0] + p[1])
        i += 1
    return p[0]

def points(n: int) -> int:
    pq = (Point(x=n, y=1), Point(x=2, y=n))
    a, b = pq
    return a.x + a.y + b.x + b.y + n + 2

def singleton(n: int) -> int:
    one = (n,)
    return one[0]
