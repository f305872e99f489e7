# The edges of the bytecode loop's fast paths (fastpaths.rpy): each case next to the one the
# general operation takes, in a loop so that compiled code sees both.
class Empty:
    pass


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


class Falsy:
    def __bool__(self):
        return False


def run():
    out = []
    zero = 0.0
    for i in range(40):
        k = i - 20
        out.append((-zero, -(k * 0.5), -k))
        out.append((k // 7, k % 7, k // -7, k % -7))
        out.append((k << 3, k >> 2, (k * 1000003) << 40, 5 >> (i + 50)))
        out.append((k / 4, (2 ** 60 + k) / 3, 2 ** 53 + 1 > 2.0 ** 53, 2.0 ** 53 < 2 ** 53 + 1))
        out.append((1.5 < k, k <= 1.5, k * 0.25 == k / 4))
        out.append((2.0 ** (k / 8), (k * 1.0) ** 2, (k * 1.0) ** 3))
        for w in [None, [], [k], (), (k,), Empty(), Sized(i % 2), Falsy(), k, k * 0.5, True]:
            out.append((not w, bool(w), (w and 1) == w, (w or 2) == w))
    try:
        print(0.0 ** -1.0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        print(1 // 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        print(1 << -1)
    except ValueError as e:
        print("ValueError", e)
    print(len(out))
    for row in out[:60]:
        print(row)
    print(str(out).count("True"), str(out).count("-0.0"))


run()
