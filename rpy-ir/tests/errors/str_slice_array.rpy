# error: str_slice_array.rpy:3:9: error: only a str can be sliced, not array[int]
def f(a: array[int]) -> int:
    b = a[1:2]
    return 0
