#! numbermethods.rpy: methods of `int` and `float` and the number builtins real programs
#! use beyond the spec's list: `int.bit_length`, `float.is_integer`, `bin`, `oct`.
#!
#! Invariants: an int is a `W_Int` or a `W_Long` (see longs.rpy); results are CPython's
#! for both, `bool` included (it is an int).

def int_bit_length_m(a: Args) -> W_Object:
    check_args(a, "bit_length", 1, 1)
    w = a.vals[0]
    if isinstance(w, W_Int):
        v = (w as W_Int).value
        if v < 0:
            if v == -9223372036854775807 - 1:
                return W_Int(value=64)
            v = 0 - v
        n = 0
        while v > 0:
            v = v >> 1
            n += 1
        return W_Int(value=n)
    digits = big_to_str(big_abs((w as W_Long).value), 2)
    return W_Int(value=len(digits))

def float_is_integer_m(a: Args) -> W_Object:
    check_args(a, "is_integer", 1, 1)
    x = (a.vals[0] as W_Float).value
    if x - x != 0.0:
        return W_FALSE
    return wrap_bool(x == float_floor(x))

# bin()/oct(): an int (or an object with `__index__`) in base 2/8 with its prefix.
def int_in_base(a: Args, name: str, base: int, prefix: str) -> W_Object:
    check_args(a, name, 1, 1)
    w = index_of(a.vals[0])
    return W_Str(value=int_prefixed(w, base, prefix))

def bi_bin(a: Args) -> W_Object:
    return int_in_base(a, "bin", 2, "0b")

def bi_oct(a: Args) -> W_Object:
    return int_in_base(a, "oct", 8, "0o")

# An int, or what an object's `__index__` answers (an int), else CPython's TypeError.
def index_of(w: W_Object) -> W_Object:
    if is_int_obj(w):
        return w
    m = special(w, "__index__")
    if m is not None:
        r = call_special(m, w)
        if not is_int_obj(r):
            raise type_error("__index__ returned non-int (type " + type_name(r) + ")")
        return r
    raise type_error("'" + type_name(w) + "' object cannot be interpreted as an integer")

def setup_numbermethods():
    add_method(TYPES_BY_KIND.int_type, "bit_length", int_bit_length_m)
    add_method(TYPES_BY_KIND.float_type, "is_integer", float_is_integer_m)
    add_builtin("bin", bi_bin)
    add_builtin("oct", bi_oct)

# float(w) through `__float__` (then `__index__`), or None when w has neither.
def float_hook(w: W_Object) -> W_Object:
    m = special(w, "__float__")
    if m is not None:
        r = call_special(m, w)
        if not isinstance(r, W_Float):
            raise type_error(type_name(w) + ".__float__ returned non-float (type " + type_name(r) + ")")
        return r
    if special(w, "__index__") is not None:
        return W_Float(value=as_float(index_of(w)))
    return None

# The items `reversed(w)` goes through, in their forward order, or None when `w` has its
# own `__reversed__`; CPython's TypeError for an object that is not a sequence.
def reversible_items(w: W_Object) -> list[W_Object]:
    if special(w, "__reversed__") is not None:
        return None
    if isinstance(w, W_List):
        return list_of_iterable(W_List(items=(w as W_List).items))
    if isinstance(w, W_Tuple) or isinstance(w, W_Str) or isinstance(w, W_Range):
        return list_of_iterable(w)
    if isinstance(w, W_Dict) or isinstance(w, W_DictView):
        return list_of_iterable(w)
    if special(w, "__len__") is not None and special(w, "__getitem__") is not None:
        n = len_of(w)
        out: list[W_Object] = []
        i = 0
        while i < n:
            out.append(getitem(w, W_Int(value=i)))
            i += 1
        return out
    raise type_error("'" + type_name(w) + "' object is not reversible")
