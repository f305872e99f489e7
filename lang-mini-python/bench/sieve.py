# Lists: the sieve of Eratosthenes over a list of booleans, repeated, with a prime-gap
# histogram kept in a list.
# Usage: sieve.py [N]  (default 5000000)
import sys


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    return flags


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000000
    flags = sieve(n)
    primes = [i for i in range(n + 1) if flags[i]]
    gaps = [0] * 200
    for k in range(1, len(primes)):
        gaps[primes[k] - primes[k - 1]] += 1
    total = 0
    for _ in range(3):
        total += sum(1 for f in sieve(n // 2) if f)
    print("sieve", n, len(primes), primes[-1], sum(primes) % 1000000007, total)
    print("gaps", [(g, gaps[g]) for g in range(1, 30) if gaps[g]])


main()
