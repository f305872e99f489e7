# Sieve of Eratosthenes over an array of bools, repeated: array accesses with bounds checks.

def sieve(n: int) -> int:
    composite = array[bool](n + 1)
    count = 0
    i = 2
    while i <= n:
        if not composite[i]:
            count += 1
            j = i * i
            while j <= n:
                composite[j] = True
                j += i
        i += 1
    return count

def bench(reps: int) -> int:
    total = 0
    r = 0
    while r < reps:
        total += sieve(1000000)
        r += 1
    return total
