# error: in_bounds_outside_prelude.rpy:2:2: error: '@in_bounds' is reserved to the container prelude (it removes the array checks the function's own tests are trusted to make)
@in_bounds
def f(a: array[int], i: int) -> int:
    return a[i]
