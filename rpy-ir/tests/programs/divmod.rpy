# Python floor division and modulo on wrapping 64-bit ints, and division by zero.
# run: check 0 => 0
# run: divide 0 => error: division by zero

def check(x: int) -> int:
    bad = 0
    if 7 // 2 != 3: bad += 1
    if -7 // 2 != -4: bad += 1
    if 7 // -2 != -4: bad += 1
    if -7 % 2 != 1: bad += 1
    if 7 % -2 != -1: bad += 1
    if (-9223372036854775807 - 1) // -1 != -9223372036854775807 - 1: bad += 1
    if 9223372036854775807 + 1 != -9223372036854775807 - 1: bad += 1
    if 1 << 62 != 4611686018427387904: bad += 1
    if -16 >> 2 != -4: bad += 1
    if (5 & 3) != 1 or (5 | 3) != 7 or (5 ^ 3) != 6 or ~5 != -6: bad += 1
    return bad

def divide(x: int) -> int:
    return 10 // x
