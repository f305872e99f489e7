# Total Collatz steps of 1..limit: integer arithmetic with Python's // and %.

def steps(n: int) -> int:
    s = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        s += 1
    return s

def bench(limit: int) -> int:
    total = 0
    i = 1
    while i < limit:
        total += steps(i)
        i += 1
    return total
