# error: str_join_type.rpy:3:26: error: argument 2 of 'str_join' has type array[str], found array[int]
def f(a: array[int]) -> str:
    return str_join(",", a)
