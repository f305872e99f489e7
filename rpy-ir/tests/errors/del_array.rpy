# error: del_array.rpy:4:5: error: 'del' needs a list or dict item, found an item of array[int]
def f(x: int) -> int:
    a = array[int](3)
    del a[0]
    return 0
