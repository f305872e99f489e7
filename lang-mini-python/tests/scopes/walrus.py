if (n := 10) > 5:
    pass
evens = [y for x in range(5) if (y := x * 2) > 2]


def f(xs):
    found = [t for x in xs if (t := x % 3) == 0]

    def g():
        return [(w := k) for k in xs], w

    return found, t, g, (total := 1), total


def h():
    return [[(inner := j) for j in range(2)] for k in range(3)], inner


class K:
    z = (q := 1)
    items = [v for v in range(3)]
