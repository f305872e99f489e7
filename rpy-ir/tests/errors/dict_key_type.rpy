# error: dict_key_type.rpy:4:14: error: the key has type int, found str
def f(x: int) -> int:
    d: dict[int, int] = dict()
    return d["a"]
