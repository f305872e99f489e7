#! ranges.rpy: slicing a `range` gives a `range` (CPython's `range(2, 20, 3)[1:3]` is
#! `range(5, 11, 3)`): the slice is adjusted to the range's length as
#! `PySlice_AdjustIndices` does, and its start, stop and step are mapped through the range.
#! Two ranges are equal when they give the same sequence (`range(0) == range(5, 5)`).

# The adjusted start (which_end False) or stop (True) of slice `s` over `n` items with
# step `step` (non-zero), as CPython's PySlice_AdjustIndices.
def slice_adjusted(s: W_Slice, n: int, step: int, which_end: bool) -> int:
    v = 0
    if which_end:
        if s.stop is W_NONE:
            if step > 0:
                return n
            return -1
        v = int_of(s.stop)
    else:
        if s.start is W_NONE:
            if step > 0:
                return 0
            return n - 1
        v = int_of(s.start)
    if v < 0:
        v += n
        if v < 0:
            if step > 0:
                v = 0
            else:
                v = -1
    elif v >= n:
        if step > 0:
            v = n
        else:
            v = n - 1
    return v

def range_slice(r: W_Range, s: W_Slice) -> W_Object:
    step = slice_part(s.step, 1)
    if step == 0:
        raise guest_error("ValueError", "slice step cannot be zero")
    n = range_len(r)
    start = slice_adjusted(s, n, step, False)
    stop = slice_adjusted(s, n, step, True)
    return W_Range(start=r.start + start * r.step, stop=r.start + stop * r.step, step=r.step * step)

# Ranges are equal when they give the same sequence (CPython's range_equals).
def range_eq(a: W_Range, b: W_Range) -> bool:
    n = range_len(a)
    if n != range_len(b):
        return False
    if n == 0:
        return True
    if a.start != b.start:
        return False
    if n == 1:
        return True
    return a.step == b.step
