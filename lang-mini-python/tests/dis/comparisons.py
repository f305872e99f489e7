def check(a, b, c):
    if a < b < c and not (a == c or b is None):
        return a in [1, 2] and b not in (3, 4)
    return a if a > b else c

print(check(1, 2, 3), 1 <= 2 != 3 >= 0, None is not None)
