# Chars and bools: comparisons, conversions, and chr out of range.
# run: classify 0 => 3
# run: bad_chr 300 => error: chr

def is_digit(c: char) -> bool:
    return c >= '0' and c <= '9'

def classify(x: int) -> int:
    s = "a1b2c3"
    digits = 0
    i = 0
    while i < len(s):
        if is_digit(s[i]):
            digits += 1
        i += 1
    flag = digits == 3
    if flag == True and not (flag != True):
        return digits
    return -1

def bad_chr(n: int) -> char:
    return chr(n)
