# Integer loops: Collatz sequence lengths, digit sums and a modular LCG, all on small ints.
# Usage: intloop.py [N]  (default 500000)
import sys


def collatz_steps(limit):
    best = 0
    best_at = 0
    total = 0
    i = 1
    while i < limit:
        x = i
        steps = 0
        while x != 1:
            if x & 1:
                x = 3 * x + 1
            else:
                x = x >> 1
            steps += 1
        total += steps
        if steps > best:
            best = steps
            best_at = i
        i += 1
    return total, best, best_at


def digit_sums(limit):
    s = 0
    for i in range(limit):
        n = i
        while n > 0:
            s += n % 10
            n //= 10
    return s


def lcg(limit):
    x = 12345
    acc = 0
    for _ in range(limit):
        x = (x * 1103515245 + 12345) % 2147483648
        acc ^= x
    return acc


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500000
    print("collatz", collatz_steps(n // 4))
    print("digits", digit_sums(n))
    print("lcg", lcg(n * 2))


main()
