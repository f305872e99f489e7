# Strings: literals, indexing, len, ord/chr, concatenation and equality through externs.
# run: count_char 0 => 3
# run: checksum 0 => 936
# run: concat_len 0 => 11
# run: same 0 => True
# run: greet 0 => "hello world"

def count_char(x: int) -> int:
    s = "banana"
    n = 0
    i = 0
    while i < len(s):
        if s[i] == 'a':
            n += 1
        i += 1
    return n

def checksum(x: int) -> int:
    s = "hello, RPy"
    total = 0
    i = 0
    while i < len(s):
        total += ord(s[i]) + i
        i += 1
    return total

def concat_len(x: int) -> int:
    return len("hello" + " " + "world")

def same(x: int) -> bool:
    a = "ab" + "c"
    return a == "abc" and a != "abd" and chr(97) == 'a'

def greet(x: int) -> str:
    return "hello" + " " + "world"
