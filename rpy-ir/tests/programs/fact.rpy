# Recursion and a loop computing the same thing.
# run: fact 10 => 3628800
# run: fact 20 => 2432902008176640000
# run: fact 21 => -4249290049419214848
# run: fact_loop 20 => 2432902008176640000

def fact(n: int) -> int:
    if n <= 1:
        return 1
    return n * fact(n - 1)

def fact_loop(n: int) -> int:
    acc = 1
    while n > 1:
        acc *= n
        n -= 1
    return acc
