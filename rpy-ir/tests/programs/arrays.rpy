# Arrays: allocation, indexing, length, literals, bounds errors.
# run: sieve 100 => 25
# run: sum_literal 0 => 15
# run: out_of_bounds 3 => error: index 3 out of bounds
# run: negative_length 0 => error: negative

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

def sum_literal(x: int) -> int:
    a = [1, 2, 3, 4, 5]
    s = 0
    i = 0
    while i < len(a):
        s += a[i]
        i += 1
    return s

def out_of_bounds(i: int) -> int:
    a = array[int](3)
    return a[i]

def negative_length(x: int) -> int:
    a = array[int](x - 1)
    return len(a)
