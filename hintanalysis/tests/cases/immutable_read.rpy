# portal: f greens: p
# Reads of an immutable struct through a green pointer are green; of a mutable one, red.
struct Point immutable:
    x: int
    y: int

struct Cell:
    value: int

def f(p: Point, c: Cell) -> int:
    a = p.x + p.y
    b = c.value
    return a + b
