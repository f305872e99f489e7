# Lists: literals, len, indexing (negative, out of range raising IndexError), append, pop,
# insert, del, slices, extend, +, in, index, count, reverse, sort (natural and by key), copy,
# reserve.
# run: basics 3 => 6007
# run: negative 0 => 30
# run: out_of_range 5 => -1
# run: out_of_range 1 => 20
# run: uncaught_index 9 => error: IndexError: list index out of range
# run: growth 1000 => 499500
# run: pop_insert 0 => 4123
# run: pop_empty 0 => error: IndexError: pop from empty list
# run: slices 0 => 2345
# run: concat 4 => 9
# run: membership 3 => 111
# run: sorting 0 => 12345
# run: sort_by_key 0 => 1132
# run: sort_strs 0 => 3
# run: reverse_copy 0 => 321
# run: nested 3 => 6
# run: structs 4 => 6
# run: aug 5 => 15
# run: index_missing 7 => error: ValueError: value is not in list
# run: reserved 5 => 1009

struct Point:
    x: int
    y: int

struct Bag:
    items: list[int]

def basics(n: int) -> int:
    l: list[int] = [1, 2, 3]
    l.append(n)
    s = 0
    i = 0
    while i < len(l):
        s += l[i]
        i += 1
    l[0] = 1000
    return l[0] * 6 + s + len(l) - 4 - 2

def negative(x: int) -> int:
    l: list[int] = [10, 20, 30]
    return l[-1] + l[-3] - l[0]

def out_of_range(i: int) -> int:
    l: list[int] = [10, 20, 30]
    try:
        return l[i]
    except IndexError:
        return -1

def uncaught_index(i: int) -> int:
    l: list[int] = []
    l.append(1)
    return l[i]

def growth(n: int) -> int:
    l: list[int] = list()
    i = 0
    while i < n:
        l.append(i)
        i += 1
    s = 0
    i = 0
    while i < len(l):
        s += l[i]
        i += 1
    return s

def pop_insert(x: int) -> int:
    l: list[int] = [1, 2, 3]
    l.insert(0, 4)
    l.insert(100, 5)
    v = l.pop()
    l.insert(-1, 9)
    del l[-2]
    w = l.pop(1)
    l.insert(1, w)
    return l[0] * 1000 + l[1] * 100 + l[2] * 10 + l[3] + (v - 5) * len(l)

def pop_empty(x: int) -> int:
    l: list[int] = [7]
    l.pop()
    return l.pop()

def digits(l: list[int]) -> int:
    r = 0
    i = 0
    while i < len(l):
        r = r * 10 + l[i]
        i += 1
    return r

def slices(x: int) -> int:
    l: list[int] = [1, 2, 3, 4, 5, 6]
    a = l[1:5]
    b = l[-2:]
    c = l[:100]
    d = l[4:2]
    a[0] = 2
    return digits(a) + (len(b) - 2) + (len(c) - 6) + len(d) + l[1] - 2

def concat(n: int) -> int:
    a: list[int] = [1, 2]
    b: list[int] = [3]
    c = a + b
    a.extend(b)
    a.extend(a)
    return len(c) + len(a) + n - 4 - 0

def membership(x: int) -> int:
    l: list[int] = [1, 3, 5, 3]
    r = 0
    if x in l:
        r += 100
    if 4 not in l:
        r += 10
    if l.index(x) == 1 and l.count(x) == 2:
        r += 1
    return r

def sorting(x: int) -> int:
    l: list[int] = [5, 3, 1, 4, 2]
    l.sort()
    return digits(l)

def by_tens(v: int) -> int:
    return v // 10

def sort_by_key(x: int) -> int:
    l: list[int] = [52, 31, 10, 43, 21]
    l.sort(key=by_tens)
    k = 0
    r = 0
    while k < len(l):
        r = r * 10 + l[k] % 10
        k += 1
    return r

def sort_strs(x: int) -> int:
    l: list[str] = ["pear", "apple", "fig"]
    l.sort()
    if l[0] == "apple" and l[2] == "pear":
        return len(l)
    return 0

def reverse_copy(x: int) -> int:
    l: list[int] = [1, 2, 3]
    m = l.copy()
    l.reverse()
    m.clear()
    return digits(l) + len(m)

def nested(n: int) -> int:
    rows: list[list[int]] = []
    i = 0
    while i < n:
        row: list[int] = [i]
        rows.append(row)
        i += 1
    rows[1].append(2)
    return rows[0][0] + rows[1][0] + rows[1][1] + rows[2][0] + len(rows[1]) - 1

def structs(n: int) -> int:
    ps: list[Point] = []
    i = 0
    while i < n:
        ps.append(Point(i, i))
        i += 1
    b = Bag([1])
    b.items.append(2)
    s = 0
    i = 0
    while i < len(ps):
        s += ps[i].x
        i += 1
    return s + len(b.items) - 2

def aug(n: int) -> int:
    l: list[int] = [n, 0]
    l[0] += 10
    l[-1] -= 0
    return l[0]

def index_missing(x: int) -> int:
    l: list[int] = [1]
    return l.index(x)

# `reserve(n)` makes room for n items without changing the list; appends past it still grow.
def reserved(n: int) -> int:
    l: list[int] = []
    l.reserve(n)
    i = 0
    while i < n * 2:
        l.append(i)
        i += 1
    l.reserve(1)
    return len(l) * 100 + l[n * 2 - 1]
