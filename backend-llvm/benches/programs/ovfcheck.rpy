# An overflow-checked add against a plain add in the same loop (callgrind: issue 15).
def plain(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        s = (s ^ i) + (i & 7)
        i += 1
    return s

def checked(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        try:
            s = ovfcheck((s ^ i) + (i & 7))
        except OverflowError:
            s = 0
        i += 1
    return s
