# for loops: range with one, two and three arguments (negative and run-time steps, a zero
# run-time step), strings, arrays, tuple targets, break, continue, else, nested loops.
# run: sum_range 10 => 45
# run: sum_range 0 => 0
# run: sum_from 3 7 => 18
# run: down 10 => 22
# run: stepped 0 10 3 => 18
# run: stepped 10 0 -4 => 18
# run: stepped 0 10 -1 => 0
# run: stepped 0 10 0 => error: division by zero
# run: count_a 0 => 3
# run: first_big 5 => 7
# run: first_big 100 => -1
# run: skip_odd 10 => 20
# run: pairs 3 => 21
# run: nested 4 => 30
# run: last_value 5 => 4
# run: chars 0 => 0
# output: h.e.y.

def sum_range(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s

def sum_from(a: int, b: int) -> int:
    s = 0
    for i in range(a, b):
        s += i
    return s

def down(n: int) -> int:
    s = 0
    for i in range(n, 0, -3):
        s += i
    return s

def stepped(a: int, b: int, step: int) -> int:
    s = 0
    for i in range(a, b, step):
        s += i
    return s

def count_a(x: int) -> int:
    n = x
    for c in "banana":
        if c == 'a':
            n += 1
    return n

def first_big(limit: int) -> int:
    found = -1
    for x in [1, 3, 7, 2, 9]:
        if x > limit:
            found = x
            break
    else:
        found = -1
    return found

def skip_odd(n: int) -> int:
    s = 0
    for i in range(n):
        if i % 2 == 1:
            continue
        s += i
    return s

def pairs(n: int) -> int:
    s = 0
    for a, b in [(1, 2), (3, 4), (n, 8)]:
        s += a + b
    return s

def nested(n: int) -> int:
    s = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            s += i + j
    return s

def last_value(n: int) -> int:
    i = -1
    for i in range(n):
        pass
    return i

def chars(x: int) -> int:
    for c in "hey":
        print_char(c)
        print_char('.')
    print_newline()
    return x
