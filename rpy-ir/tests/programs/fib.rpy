# Double recursion and an iterative version.
# run: fib 20 => 6765
# run: fib_iter 90 => 2880067194370816120

def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def fib_iter(n: int) -> int:
    a = 0
    b = 1
    i = 0
    while i < n:
        t = a + b
        a = b
        b = t
        i += 1
    return a
