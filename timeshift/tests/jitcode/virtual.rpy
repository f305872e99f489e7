# portal: f greens:
# Allocations and field accesses are red ops, handled on virtual objects at compile time.
struct Point:
    x: int
    y: int

def f(a: int, b: int) -> int:
    p = Point(x = a, y = b)
    p.x += 1
    return p.x * p.y
