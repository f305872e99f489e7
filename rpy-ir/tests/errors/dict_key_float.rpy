# error: dict_key_float.rpy:3:13: error: dict keys must be int, char, str or a struct, not float; use rdict[K, V] with hash and eq functions
def f(x: int) -> int:
    d: dict[float, int] = dict()
    return len(d)
