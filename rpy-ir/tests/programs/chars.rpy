# Chars and bools: comparisons, conversions, and chr out of range. A char is a Unicode code
# point: chr/ord cover 0..=0x10FFFF but no surrogate.
# run: classify 0 => 3
# run: bad_chr 1114112 => error: chr
# run: bad_chr 55296 => error: chr
# run: bad_chr -1 => error: chr
# run: round_trip 1114111 => 1114111
# run: round_trip 300 => 300
# run: unicode_literals 0 => 128512

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

def round_trip(n: int) -> int:
    return ord(chr(n))

def unicode_literals(x: int) -> int:
    s = "h\u00e9\U0001F600 \u263a"
    if len(s) != 5 or s[1] != '\xe9' or s[4] != '☺' or ord('é') != 233:
        return -1
    return ord(s[2])
