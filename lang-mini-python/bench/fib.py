# Recursive calls: the doubly recursive Fibonacci function.
# Usage: fib.py [N]  (default 32); prints fib(N-2) + fib(N-1) + fib(N).
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    total = 0
    for k in range(n - 2, n + 1):
        total += fib(k)
    print("fib", n, total)


main()
