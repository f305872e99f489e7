# error: rdict_bad_hash.rpy:9:36: error: the hash function has type fn(int) -> int, found fn(str) -> int
def h(x: str) -> int:
    return 0

def e(a: int, b: int) -> bool:
    return a == b

def f(x: int) -> int:
    d: rdict[int, int] = dict_with(h, e)
    return len(d)
