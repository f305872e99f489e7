#! fastpaths.rpy: the bytecode loop's in-line fast paths (issue 18): the common cases of
#! BINARY_OP, COMPARE_OP, BINARY_SUBSCR, STORE_SUBSCR, the conditional jumps, LOAD_ATTR
#! and STORE_ATTR, inlined into `eval_frame` (`@always_inline`), so that int arithmetic and comparisons, a
#! list's item, the test of a bool and an instance's own attribute cost no call into the
#! object space; `+`, `-`, `*`, `/`, `**` of floats (and of a float and an int) and
#! comparisons of two floats (or of a float and an int) likewise, after the int cases
#! (`float_binop_fast`); int `//`, `%`, `<<`, `>>` (`int_binop_fast`), UNARY_NEGATIVE and the
#! truth of None, lists, tuples and plain instances too.
#!
#! Invariant: each fast path computes exactly what the general operation it stands before
#! computes (`binop`, `compare`, `is_true`, `getitem`, `setitem` of operations.rpy and items.rpy: their int, bool
#! and list cases come first there too, and `W_Int` covers bools and user int
#! subclasses; an int subclass overriding arithmetic or comparisons goes to the general
#! operation, tested only once `OVERRIDES.seen` is set: valueoverrides.rpy;
#! `getattr_of`/`setattr_of` of classes.rpy and attrhooks.rpy: an instance's attribute when
#! its class has no property of that name, and no class has `__setattr__`), and hands every
#! other case, an overflow included, to it unchanged. For the JIT, each type test is a
#! `likely` guard (the fast side compiled with the loop, the other side when first taken:
#! no class dispatch per operation, no state split by a red branch), and an instance's class
#! is promoted before its lookup (the lookup folds). So is every bound a fast path tests
#! (a divisor, a shift count, an overflow, an attribute found): the object space is one
#! recursive component of the call graph, the JIT follows only the first call into it, and
#! a red branch there compiles the general operation's residual call, which forces the
#! frame, with the loop (`scripts/residual_calls.py` lists such calls by callee).

# `binop(a, op, b, inplace)`, with +, - and * of words in line (and `int_binop_fast`'s).
@always_inline
def binop_fast(a: W_Object, op: int, b: W_Object, inplace: bool) -> W_Object:
    if OVERRIDES.seen != 0:
        if value_overridden(a) or value_overridden(b):
            return binop(a, op, b, inplace)
    if hint(isinstance(a, W_Int), likely=True) and hint(isinstance(b, W_Int), likely=True):
        x = (a as W_Int).value
        y = (b as W_Int).value
        try:
            if op == OP_ADD:
                return W_Int(value=ovfcheck(x + y))
            if op == OP_SUB:
                return W_Int(value=ovfcheck(x - y))
            if op == OP_MUL:
                return W_Int(value=ovfcheck(x * y))
        except OverflowError:
            return binop(a, op, b, inplace)
        r = int_binop_fast(x, op, y)
        if r is not None:
            return r
        return binop(a, op, b, inplace)
    r = float_binop_fast(a, op, b)
    if r is not None:
        return r
    return binop(a, op, b, inplace)

# The largest int a float holds exactly, as `is_exact_float_int` (longs.rpy) bounds it.
const EXACT_FLOAT_INT = 9007199254740992

# `int_binop(x, op, y)` (ints.rpy) for `//` and `%` by a positive divisor, `/` of ints a
# float holds exactly by a nonzero one, and `<<`, `>>` by 0 to 62 bits without overflow, each bound a guard (a divisor of 0 or -1, a negative or
# long shift, an overflow: cold, the general operation's); None for every other case. A
# bool operand is an int here as there (these operators give ints for bools).
@always_inline
def int_binop_fast(x: int, op: int, y: int) -> W_Object:
    if op == OP_FLOORDIV:
        if hint(y > 0, likely=True):
            return W_Int(value=floor_div(x, y))
        return None
    if op == OP_MOD:
        # `int_mod` of a divisor other than 0 and -1.
        if hint(y > 0, likely=True):
            return W_Int(value=x - floor_div(x, y) * y)
        return None
    if op == OP_TRUEDIV:
        # `int_binop`'s case of a nonzero divisor and two ints a float holds exactly.
        if hint(y != 0, likely=True) and hint(x <= EXACT_FLOAT_INT, likely=True) and hint(x >= 0 - EXACT_FLOAT_INT, likely=True):
            if hint(y <= EXACT_FLOAT_INT, likely=True) and hint(y >= 0 - EXACT_FLOAT_INT, likely=True):
                return W_Float(value=float(x) / float(y))
        return None
    if op == OP_RSHIFT:
        if hint(y >= 0, likely=True) and hint(y < 63, likely=True):
            return W_Int(value=x >> y)
        return None
    if op == OP_LSHIFT:
        if hint(y >= 0, likely=True) and hint(y < 63, likely=True):
            r = x << y
            if hint((r >> y) == x, likely=True):
                return W_Int(value=r)
        return None
    return None

# `binop(a, op, b, inplace)` of two floats, or of a float and an int (`as_float` of it), for
# +, -, *, / and ** (a zero divisor left to `binop`, which raises, and so the two cases of
# `**` that raise: zero to a negative power, a negative base to a fractional one); None for
# every other case. `binop_generic` computes the same (`float_binop` of `as_float`s): no
# int or bool pair reaches it (the int cases come first), and a float subclass overriding
# arithmetic was sent to the general operation before. Each float test a guard, as the int
# ones; so is the divisor's test (a red branch there compiled `binop_generic`'s call and
# the ZeroDivisionError with every division of a loop) and the base's sign for `**`.
@always_inline
def float_binop_fast(a: W_Object, op: int, b: W_Object) -> W_Object:
    if op != OP_ADD and op != OP_SUB and op != OP_MUL and op != OP_TRUEDIV and op != OP_POW:
        return None
    x = 0.0
    y = 0.0
    if hint(isinstance(a, W_Float), likely=True):
        x = (a as W_Float).value
        if hint(isinstance(b, W_Float), likely=True):
            y = (b as W_Float).value
        elif hint(isinstance(b, W_Int), likely=True):
            y = float((b as W_Int).value)
        else:
            return None
    elif hint(isinstance(a, W_Int), likely=True) and hint(isinstance(b, W_Float), likely=True):
        x = float((a as W_Int).value)
        y = (b as W_Float).value
    else:
        return None
    if op == OP_ADD:
        return W_Float(value=x + y)
    if op == OP_SUB:
        return W_Float(value=x - y)
    if op == OP_MUL:
        return W_Float(value=x * y)
    if op == OP_TRUEDIV:
        if hint(y != 0.0, likely=True):
            return W_Float(value=x / y)
        return None
    # `**`: a positive base never raises; a negative one only to a fractional power.
    if hint(x > 0.0, likely=True):
        return W_Float(value=float_pow(x, y))
    if x < 0.0 and y == float_floor(y):
        return W_Float(value=float_pow(x, y))
    return None

# `compare(a, op, b)`, with the comparison of two ints in line.
@always_inline
def compare_fast(a: W_Object, op: int, b: W_Object) -> W_Object:
    if OVERRIDES.seen != 0:
        if value_overridden(a) or value_overridden(b):
            return compare(a, op, b)
    if hint(isinstance(a, W_Int), likely=True) and hint(isinstance(b, W_Int), likely=True):
        return wrap_bool(int_compare((a as W_Int).value, op, (b as W_Int).value))
    # Two floats (`compare_generic`'s `float_compare`: no exact comparison is needed).
    if hint(isinstance(a, W_Float), likely=True) and hint(isinstance(b, W_Float), likely=True):
        return wrap_bool(float_compare((a as W_Float).value, op, (b as W_Float).value))
    # A float and an int a float holds exactly (`needs_exact_compare` false: `compare_generic`
    # compares `as_float`s), either way round; compiled only once the float test above failed.
    if isinstance(a, W_Float) and hint(isinstance(b, W_Int), likely=True):
        y = (b as W_Int).value
        if hint(is_exact_float_int(y), likely=True):
            return wrap_bool(float_compare((a as W_Float).value, op, float(y)))
    elif isinstance(a, W_Int) and hint(isinstance(b, W_Float), likely=True):
        x = (a as W_Int).value
        if hint(is_exact_float_int(x), likely=True):
            return wrap_bool(float_compare(float(x), op, (b as W_Float).value))
    return compare(a, op, b)

# `getitem(w, k)`, with a list's item at an int index in range in line (`getitem` handles
# the rest: negative indexes past the start, errors, subclasses, other containers).
@always_inline
def getitem_fast(w: W_Object, k: W_Object) -> W_Object:
    # Each test a guard of its own (`likely` on an `and` bets on the join of a red branch,
    # which splits the state first: the slow path compiled with the loop).
    lst = hint(isinstance(w, W_List), likely=True)
    # Of lists, only a `W_ListUser` is a sub-object (`is_sub_object`, whose other tests
    # would each split the state): one guard.
    if lst and hint(isinstance(k, W_Int), likely=True) and hint(not isinstance(w, W_ListUser), likely=True):
        items = (w as W_List).items
        i = (k as W_Int).value
        if i < 0:
            i += len(items)
        # Each bound a guard: an index out of range is cold (the general operation's
        # error), not a red branch compiling `getitem` in line.
        if hint(i >= 0, likely=True):
            if hint(i < len(items), likely=True):
                return items[i]
    return getitem(w, k)

# `setitem(w, k, v)`, with the store into a list's item at an int index in range in line
# (`setitem` handles the rest, as `getitem_fast` leaves it `getitem`'s). Without it a
# STORE_SUBSCR compiled every case of `setitem` (slices, dicts, `__setitem__`) in line.
@always_inline
def setitem_fast(w: W_Object, k: W_Object, v: W_Object):
    lst = hint(isinstance(w, W_List), likely=True)
    if lst and hint(isinstance(k, W_Int), likely=True) and hint(not isinstance(w, W_ListUser), likely=True):
        items = (w as W_List).items
        i = (k as W_Int).value
        if i < 0:
            i += len(items)
        if hint(i >= 0, likely=True):
            if hint(i < len(items), likely=True):
                items[i] = v
                return
    setitem(w, k, v)

# `is_true(w)`, with the two bools and an int in line (`is_true_generic`'s int case, taken
# before any `__bool__` of an int subclass only while no class overrides one). The bools
# are tested by identity first: a comparison's result is often one of the two constants,
# and the identity tests fold where an int guard on the constant would not. When the int
# guard fails: None, a list or tuple's length, and an instance whose class defines neither
# `__bool__` nor `__len__` (true: `is_true_generic`'s last case; the class promoted, its
# lookups fold), each compiled only once seen.
@always_inline
def is_true_fast(w: W_Object) -> bool:
    if w is W_TRUE:
        return True
    if w is W_FALSE:
        return False
    if OVERRIDES.seen == 0 and hint(isinstance(w, W_Int), likely=True):
        return (w as W_Int).value != 0
    if w is W_NONE:
        return False
    if OVERRIDES.seen == 0:
        if isinstance(w, W_List) and hint(not isinstance(w, W_ListUser), likely=True):
            return len((w as W_List).items) != 0
        if isinstance(w, W_Tuple) and hint(not is_sub_object(w), likely=True):
            return len((w as W_Tuple).items) != 0
    if isinstance(w, W_Instance) and FAST_NAMES.bool_id >= 0:
        cls = hint((w as W_Instance).cls, promote=True)
        if type_lookup(cls, FAST_NAMES.bool_id) is None and type_lookup(cls, FAST_NAMES.len_id) is None:
            return True
    return is_true(w)

# `unary_negative(w)` (UNARY_NEGATIVE) of an int or a float in line, an overflow handed to it.
@always_inline
def unary_negative_fast(w: W_Object) -> W_Object:
    if hint(isinstance(w, W_Int), likely=True):
        try:
            return W_Int(value=ovfcheck(0 - (w as W_Int).value))
        except OverflowError:
            return unary_negative(w)
    if hint(isinstance(w, W_Float), likely=True):
        return W_Float(value=-(w as W_Float).value)
    return unary_negative(w)

# `getattr_of(w, nid)`, with an instance's own attribute in line (as `lookup_attr` finds it:
# a property of the class comes first).
@always_inline
def getattr_fast(w: W_Object, nid: int) -> W_Object:
    if hint(isinstance(w, W_Instance), likely=True):
        inst = w as W_Instance
        cls = hint(inst.cls, promote=True)
        if not isinstance(type_lookup(cls, nid), W_Property):
            v = instance_get(inst, nid)
            # A guard: an attribute the instance lacks (its class's, or `__getattr__`'s) is
            # cold, not a red branch compiling `getattr_of`'s calls with every read.
            if hint(v is not None, likely=True):
                return v
    return getattr_of(w, nid)

# `setattr_of(w, nid, v)`, with the store into an instance in line (as `generic_setattr`
# makes it when no class has `__setattr__` and the class has no property of that name).
@always_inline
def setattr_fast(w: W_Object, nid: int, v: W_Object):
    if ATTR_HOOKS.setattr_seen == 0 and hint(isinstance(w, W_Instance), likely=True):
        inst = w as W_Instance
        cls = hint(inst.cls, promote=True)
        if not isinstance(type_lookup(cls, nid), W_Property):
            instance_set(inst, nid, v)
            return
    setattr_of(w, nid, v)

# The special-method names the fast paths look up, interned once (`intern` is not followed
# by the JIT: a name interned at each use would be a residual call); -1 before setup.
struct FastNames:
    bool_id: int quasi
    len_id: int quasi

const FAST_NAMES = FastNames(bool_id=-1, len_id=-1)

def setup_fastpaths():
    FAST_NAMES.bool_id = intern("__bool__")
    FAST_NAMES.len_id = intern("__len__")
