# for loops over containers: a list (its length read each time round), a dict's keys,
# values and items in insertion order (deleted entries skipped), enumerate, a dict whose size
# changes during the loop (RuntimeError, at the next step), break/else, nested loops.
# run: sum_list 10 => 45
# run: sum_list 0 => 0
# run: grows 3 => 42
# run: shrinks 6 => 3
# run: keys_in_order 0 => 42315
# output: 4,2,3,1,5,
# run: values_sum 20 => 190
# run: items_pairs 0 => 123
# output: a=1 b=2 c=3
# run: items_as_tuples 5 => 20
# run: numbered 0 => 1201
# output: 0:x 1:y 2:z
# run: numbered_from 3 => 27
# run: numbered_items 0 => 259
# run: changed_size 1 => error: RuntimeError: dictionary changed size during iteration
# run: caught_change 4 => -1
# run: break_after_change 0 => 4
# run: search 7 => 70
# run: search 99 => -1
# run: nested 4 => 16
# run: empty 0 => 1

def sum_list(n: int) -> int:
    l: list[int] = []
    for i in range(n):
        l.append(i)
    s = 0
    for x in l:
        s += x
    return s

def grows(n: int) -> int:
    l: list[int] = [1, 2, 3]
    s = 0
    for x in l:
        if x <= n:
            l.append(x + 10)
        s += x
    return s

def shrinks(n: int) -> int:
    l: list[int] = []
    for i in range(n):
        l.append(i)
    seen = 0
    for x in l:
        l.pop()
        seen += 1
    return seen

def keys_in_order(x: int) -> int:
    d: dict[int, int] = {4: 40, 2: 20, 9: 90, 3: 30}
    del d[9]
    d[1] = 10
    d[5] = 50
    r = 0
    for k in d:
        print_str(int_to_str(k) + ",")
        r = r * 10 + k
    print_str("\n")
    t = 0
    for k in d.keys():
        t = t * 10 + k
    if t != r:
        return -1
    return r

def values_sum(n: int) -> int:
    d: dict[int, int] = dict()
    for i in range(n):
        d[i * 7] = i
    s = 0
    for v in d.values():
        s += v
    return s

def items_pairs(x: int) -> int:
    d: dict[str, int] = {"a": 1, "b": 2, "c": 3}
    r = 0
    line = ""
    for k, v in d.items():
        if line != "":
            line = line + " "
        line = line + k + "=" + int_to_str(v)
        r = r * 10 + v
    print_str(line + "\n")
    return r

def items_as_tuples(n: int) -> int:
    d: dict[int, int] = dict()
    for i in range(n):
        d[i] = i * 2
    s = 0
    for kv in d.items():
        s += kv[1]
    return s

def numbered(x: int) -> int:
    l: list[str] = ["x", "y", "z"]
    line = ""
    r = 0
    for i, s in enumerate(l):
        if i > 0:
            line = line + " "
        line = line + int_to_str(i) + ":" + s
        r = r * 2 + i + 1
    print_str(line + "\n")
    for i, c in enumerate("ab"):
        r = r * 10 + i
    return r + 100

def numbered_from(start: int) -> int:
    s = 0
    for i, x in enumerate([10, 20, 30], start):
        s += i
    for i, x in enumerate(range(2)):
        s += i + x
    return s + 13

def numbered_items(x: int) -> int:
    d: dict[int, int] = {7: 70, 8: 80}
    r = 0
    for i, (k, v) in enumerate(d.items()):
        r += i * 100 + k + v
    return r - 6

def changed_size(n: int) -> int:
    d: dict[int, int] = {1: 1, 2: 2}
    s = 0
    for k in d:
        d[k + 10 * n] = 0
        s += k
    return s

def caught_change(n: int) -> int:
    d: dict[int, int] = {1: 1, 2: 2, 3: 3}
    try:
        for k in d.items():
            del d[2]
    except RuntimeError:
        return -1
    return 0

def break_after_change(x: int) -> int:
    d: dict[int, int] = {1: 1, 2: 2, 3: 3}
    for k in d:
        d[4] = 4
        break
    return len(d)

def search(want: int) -> int:
    d: dict[int, int] = {1: 10, 7: 70, 3: 30}
    found = 0
    for k, v in d.items():
        if k == want:
            found = v
            break
    else:
        found = -1
    return found

def nested(n: int) -> int:
    rows: list[list[int]] = []
    for i in range(n):
        row: list[int] = []
        for j in range(n):
            row.append(1)
        rows.append(row)
    s = 0
    for row in rows:
        for x in row:
            s += x
    return s

def empty(x: int) -> int:
    l: list[int] = []
    d: dict[int, int] = dict()
    for a in l:
        return -1
    for b in d:
        return -2
    for c, e in d.items():
        return -3
    return 1
