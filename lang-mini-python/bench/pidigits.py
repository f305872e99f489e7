# Big ints: the digits of pi by Gibbons's unbounded spigot algorithm (big-int arithmetic
# only), printed ten to a line with a running count, as the shootout prints them.
# Usage: pidigits.py [DIGITS]  (default 4000)
import sys


def pidigits(ndigits):
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    out = []
    line = ""
    while len(out) < ndigits:
        if 4 * q + r - t < m * t:
            out.append(m)
            line += str(m)
            if len(line) == 10:
                print("%s\t:%d" % (line, len(out)))
                line = ""
            q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m
        else:
            q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2
    if line:
        print("%s\t:%d" % (line + " " * (10 - len(line)), len(out)))
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    digits = pidigits(n)
    print("sum", sum(digits))


main()
