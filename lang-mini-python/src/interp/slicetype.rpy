#! slicetype.rpy: the guest type `slice` (the `W_Slice` that `a[i:j:k]` makes, containers.rpy):
#! the builtin `slice(...)`, its `start`/`stop`/`step` attributes (properties without a
#! setter in the type's dict: assigning one is an AttributeError, with our generic message),
#! `indices(n)`, its repr `slice(1, 5, None)`, comparisons as the tuples of its three parts
#! and CPython 3.11's unhashability (the repr is `W_Slice.default_repr`; the comparisons and
#! the hash are hooked into `compare` and `hash_of`, operations.rpy).
#!
#! Invariant: `slice_bounds` normalizes as CPython's `PySlice_AdjustIndices` (what
#! `slice_indices` in containers.rpy walks), defaults included: `indices` of a negative step
#! gives a stop of -1 for "before the first item".

def slice_items(s: W_Slice) -> array[W_Object]:
    items = array[W_Object](3)
    items[0] = s.start
    items[1] = s.stop
    items[2] = s.step
    return items

def slice_repr(s: W_Slice) -> str:
    return "slice(" + repr_of(s.start) + ", " + repr_of(s.stop) + ", " + repr_of(s.step) + ")"

def bi_slice(a: Args) -> W_Object:
    if nkw(a) != 0:
        raise type_error("slice() takes no keyword arguments")
    n = npos(a)
    if n == 0:
        raise type_error("slice expected at least 1 argument, got 0")
    if n > 3:
        raise type_error("slice expected at most 3 arguments, got " + int_to_str(n))
    if n == 1:
        return W_Slice(start=W_NONE, stop=a.vals[0], step=W_NONE)
    if n == 2:
        return W_Slice(start=a.vals[0], stop=a.vals[1], step=W_NONE)
    return W_Slice(start=a.vals[0], stop=a.vals[1], step=a.vals[2])

def slice_arg(a: Args, name: str) -> W_Slice:
    if npos(a) == 0 or not isinstance(a.vals[0], W_Slice):
        raise type_error("descriptor '" + name + "' for 'slice' objects needs a slice")
    return a.vals[0] as W_Slice

def slice_start_get(a: Args) -> W_Object:
    return slice_arg(a, "start").start

def slice_stop_get(a: Args) -> W_Object:
    return slice_arg(a, "stop").stop

def slice_step_get(a: Args) -> W_Object:
    return slice_arg(a, "step").step

def clamp_bound(v: int, n: int, lo: int, hi: int) -> int:
    if v < 0:
        v += n
        if v < 0:
            return lo
    if v > hi:
        return hi
    return v

# (start, stop, step) of slice `s` over `n` items, normalized.
def slice_bounds(s: W_Slice, n: int) -> array[int]:
    step = slice_part(s.step, 1)
    if step == 0:
        raise guest_error("ValueError", "slice step cannot be zero")
    out = array[int](3)
    out[2] = step
    if step > 0:
        out[0] = clamp_bound(slice_part(s.start, 0), n, 0, n)
        out[1] = clamp_bound(slice_part(s.stop, n), n, 0, n)
    else:
        out[0] = clamp_bound(slice_part(s.start, n - 1), n, -1, n - 1)
        out[1] = -1
        if s.stop is not W_NONE:
            out[1] = clamp_bound(slice_part(s.stop, 0), n, -1, n - 1)
    return out

def slice_indices_m(a: Args) -> W_Object:
    check_args(a, "indices", 2, 2)
    s = slice_arg(a, "indices")
    n = int_of(a.vals[1])
    if n < 0:
        raise guest_error("ValueError", "length should not be negative")
    b = slice_bounds(s, n)
    items = array[W_Object](3)
    i = 0
    while i < 3:
        items[i] = W_Int(value=b[i])
        i += 1
    return W_Tuple(items=items)

def slice_property(t: W_Type, name: str, f: fn(Args) -> W_Object):
    type_set(t, intern(name), W_Property(fget=W_Builtin(name=name, f=f), fset=None))

def setup_slicetype():
    t = TYPES_BY_KIND.slice_type
    t.constructor = W_Builtin(name="slice", f=bi_slice)
    slice_property(t, "start", slice_start_get)
    slice_property(t, "stop", slice_stop_get)
    slice_property(t, "step", slice_step_get)
    add_method(t, "indices", slice_indices_m)
    ns_set(SPACE.builtins, intern("slice"), t)
