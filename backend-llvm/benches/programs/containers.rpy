# Container benchmarks: list append + index, dict set + get (int keys), translated mode.

def list_bench(n: int) -> int:
    l: list[int] = []
    i = 0
    while i < n:
        l.append(i * 3)
        i += 1
    s = 0
    r = 0
    while r < 4:
        i = 0
        while i < n:
            s += l[i]
            i += 1
        r += 1
    return s

def dict_bench(n: int) -> int:
    d: dict[int, int] = dict()
    i = 0
    while i < n:
        d[(i * 7919) % 1000003] = i
        i += 1
    s = 0
    r = 0
    while r < 4:
        i = 0
        while i < n:
            s += d[(i * 7919) % 1000003]
            i += 1
        r += 1
    return s + len(d)
