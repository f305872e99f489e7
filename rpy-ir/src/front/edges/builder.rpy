# The string builder (rpy-ir/src/front/edges.rs): an array[char] with doubling.

struct strbuilder:
    chars: array[char]
    n: int

def new_builder() -> strbuilder:
    return strbuilder(chars=array[char](16), n=0)

def builder_reserve(b: strbuilder, extra: int):
    need = b.n + extra
    cap = len(b.chars)
    if need <= cap:
        return
    while cap < need:
        cap = cap * 2
    bigger = array[char](cap)
    i = 0
    while i < b.n:
        bigger[i] = b.chars[i]
        i = i + 1
    b.chars = bigger

def builder_append_char(b: strbuilder, c: char):
    builder_reserve(b, 1)
    b.chars[b.n] = c
    b.n = b.n + 1

def builder_append(b: strbuilder, s: str):
    k = len(s)
    builder_reserve(b, k)
    n = b.n
    i = 0
    while i < k:
        b.chars[n + i] = s[i]
        i = i + 1
    b.n = n + k

def builder_build(b: strbuilder) -> str:
    return str_from_chars(b.chars)[0:b.n]
