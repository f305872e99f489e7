# Chained comparisons (each operand evaluated once, the rest skipped after a false one),
# isinstance with one class and with a tuple of classes, and id().
# run: between 5 => True
# run: between 50 => False
# run: traced 1 2 3 => True
# output: 1
# output: 2
# output: 3
# run: traced 3 2 9 => False
# output: 3
# output: 2
# run: mixed 2 => 3
# run: kinds 0 => 0
# run: kinds 1 => 11
# run: kinds 2 => 101
# run: same_id 0 => True

struct Animal:
    pass

struct Cat(Animal):
    pass

struct Dog(Animal):
    pass

def between(x: int) -> bool:
    return 0 <= x < 10

def show(x: int) -> int:
    print_int(x)
    print_newline()
    return x

def traced(a: int, b: int, c: int) -> bool:
    return show(a) < show(b) < show(c)

def mixed(x: int) -> int:
    n = 0
    if 1 < x <= 2 == x:
        n += 1
    if x != 3 != 4:
        n += 2
    if 5 < x < 1:
        n += 100
    return n

def make(k: int) -> Animal:
    if k == 1:
        return Cat()
    if k == 2:
        return Dog()
    return Animal()

def kinds(k: int) -> int:
    a = make(k)
    n = 0
    if isinstance(a, (Cat, Dog)):
        n += 1
    if isinstance(a, Cat):
        n += 10
    if isinstance(a, Dog):
        n += 100
    return n

def same_id(k: int) -> bool:
    a = make(k)
    b = a
    c = make(k)
    return id(a) == id(b) and id(a) != id(c) and id(a) != 0
