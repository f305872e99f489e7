# Dicts: int, str, char and struct-identity keys, rdict with user hash and eq; get/set, del,
# in, get with default, pop, clear, len, keys/values in insertion order, KeyError caught and
# uncaught, growth with deletions (compaction).
# run: basics 5 => 1125
# run: missing 3 => -1
# run: uncaught_key 3 => error: KeyError: key not found
# run: growth 500 => 124750
# run: deletions 300 => 150
# run: order 0 => 4213
# run: strs 0 => 12
# run: chars 0 => 3
# run: identity 0 => 21
# run: custom 0 => 7
# run: pops 0 => 109
# run: nested 4 => 8
# run: prices 0 => 47
# run: squares 34 => 1153
# run: squares 66 => 4353
# run: squares 5 => error: KeyError: key not found
# run: literal 7 => 7
# run: literal 1 => 7

const PRICES: dict[str, int] = {"apple": 3, "pear": 5, "apple": 4}
const SQUARES: dict[int, int] = {1: 1, 2: 4, -3: 9, 34: 1156, 66: 4356, 0: 0}

struct Point:
    x: int
    y: int

def basics(n: int) -> int:
    d: dict[int, int] = dict()
    d[1] = 100
    d[n] = 1000
    d[1] += 20
    r = d[1] + d[n] + len(d)
    if 1 in d and 7 not in d:
        r += 3
    return r

def missing(k: int) -> int:
    d: dict[int, int] = dict()
    d[1] = 1
    try:
        return d[k]
    except KeyError:
        return -1

def uncaught_key(k: int) -> int:
    d: dict[int, int] = dict()
    return d[k]

def growth(n: int) -> int:
    d: dict[int, int] = dict()
    i = 0
    while i < n:
        d[i * 7] = i
        i += 1
    s = 0
    i = 0
    while i < n:
        s += d[i * 7]
        i += 1
    return s

def deletions(n: int) -> int:
    d: dict[int, int] = dict()
    i = 0
    while i < n:
        d[i] = i
        if i % 2 == 1:
            del d[i - 1]
        i += 1
    return len(d)

def order(x: int) -> int:
    d: dict[int, int] = dict()
    d[4] = 0
    d[9] = 0
    d[2] = 0
    d[1] = 0
    d[3] = 0
    del d[9]
    del d[3]
    d[3] = 0
    ks = d.keys()
    r = 0
    i = 0
    while i < len(ks):
        r = r * 10 + ks[i]
        i += 1
    return r

def strs(x: int) -> int:
    d: dict[str, int] = dict()
    d["apple"] = 5
    d["pear"] = 7
    d["app" + "le"] += 0
    return d["apple"] + d.get("pear", 0) + d.get("fig", 0)

def chars(x: int) -> int:
    d: dict[char, int] = dict()
    d['a'] = 1
    d['b'] = 2
    return d['a'] + d['b']

def identity(x: int) -> int:
    p = Point(1, 2)
    q = Point(1, 2)
    d: dict[Point, int] = dict()
    d[p] = 1
    d[q] = 20
    return d[p] + d[q]

def point_hash(p: Point) -> int:
    return p.x * 31 + p.y

def point_eq(a: Point, b: Point) -> bool:
    return a.x == b.x and a.y == b.y

def custom(x: int) -> int:
    d: rdict[Point, int] = dict_with(point_hash, point_eq)
    d[Point(1, 2)] = 3
    d[Point(1, 2)] += 4
    return d[Point(1, 2)] + len(d) - 1

def pops(x: int) -> int:
    d: dict[int, int] = dict()
    d[1] = 100
    d[2] = 9
    a = d.pop(1)
    b = d.pop(1, 0)
    vs = d.values()
    d.clear()
    return a + b + vs[0] + len(d)

def nested(n: int) -> int:
    d: dict[int, list[int]] = dict()
    i = 0
    while i < n:
        l: list[int] = [i]
        d[i % 2] = l
        i += 1
    d[0].append(1)
    return d[0][0] + d[1][0] + len(d[0]) - 1 + len(d)

def prices(x: int) -> int:
    PRICES["fig"] = 1
    del PRICES["fig"]
    return PRICES["apple"] * 10 + PRICES["pear"] + len(PRICES)

def squares(x: int) -> int:
    return SQUARES[x] + SQUARES[1] + SQUARES[-3] - SQUARES[2] - SQUARES[-3] + 0 * len(SQUARES)

def literal(x: int) -> int:
    d: dict[int, int] = {1: 2, x: 3}
    return d[1] + d[x] + len(d)
