# Allocates many short-lived objects: memory must stay bounded (the GC test).
# run: churn 100000 => 100000

struct Cell:
    value: int
    next: Cell

def churn(n: int) -> int:
    keep: Cell = None
    i = 0
    while i < n:
        c = Cell(value = i, next = None)
        if i % 1000 == 0:
            keep = c
        i += 1
    return keep.value + 1000 - n % 1000 + (n - 100000) * 0
