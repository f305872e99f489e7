# Closures and generators: pipelines of generators (a prime generator, a running-sum
# generator, `yield from` chains), counters and adders made of closures with `nonlocal`,
# and generator expressions summed.
# Usage: generators.py [N]  (default 1000000)
import sys


def naturals(start):
    n = start
    while True:
        yield n
        n += 1


def take(n, gen):
    for x in gen:
        if n <= 0:
            return
        n -= 1
        yield x


def running_sum(gen):
    s = 0
    for x in gen:
        s += x
        yield s


def evens_then_odds(n):
    yield from range(0, n, 2)
    yield from range(1, n, 2)


def make_counter():
    count = 0

    def incr(k):
        nonlocal count
        count += k
        return count
    return incr


def make_adder(k):
    return lambda x: x + k


def compose(f, g):
    def h(x):
        return f(g(x))
    return h


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    last = 0
    for s in running_sum(take(n, naturals(1))):
        last = s
    print("running", last)
    print("evens/odds", sum(x * (i % 7) for i, x in enumerate(evens_then_odds(n))))
    counter = make_counter()
    add3 = make_adder(3)
    f = compose(add3, make_adder(-1))
    acc = 0
    for i in range(n):
        acc = (acc + f(i) + counter(i & 15)) % 1000000007
    print("closures", acc, counter(0))
    squares = (i * i for i in range(n) if i % 3 != 0)
    print("genexpr", sum(squares) % 1000000007)


main()
