#! valueoverrides.rpy: special methods defined in user subclasses of the value types `int`,
#! `float`, `str`, `tuple`, `set` and `frozenset` (their instances are `W_IntUser`,
#! `W_StrUser`, `W_FloatUser`, `W_TupleUser`, `W_SetUser`: subclasses.rpy and
#! valuesubclasses.rpy), and the builtin special methods of those types (`int.__add__`,
#! `super().__eq__(o)`, ...).
#!
#! Vocabulary and invariants:
#! - An *overriding class* defines (itself or a user class before the builtin base on its
#!   MRO) one of `OVERRIDABLE`: the binary operators and their reflected and in-place forms,
#!   the comparisons, `__hash__`, `__bool__`, `__len__`, `__getitem__`, `__contains__`,
#!   `__iter__`. `check_subclass_body` marks it with `OVERRIDES.marker` in its dict (looked up
#!   through the MRO, so subclasses inherit the mark); other special methods stay a
#!   NotImplementedError at class creation.
#! - `OVERRIDES.seen` is quasi-immutable and becomes 1 when the first overriding class is
#!   made; until then the int fast paths (fastpaths.rpy, `binop`, `compare`) and the value
#!   paths of the object space test nothing more (a constant-folded load in the JIT). Once
#!   set, an int subclass instance leaves the in-line int paths, and the object space asks
#!   `value_overridden` before its builtin cases: truth (`value_truth`), hashing
#!   (`value_hash`, with CPython's rule that a class defining `__eq__` without `__hash__` is
#!   unhashable), binary operators (`value_binop`, CPython's order: the reflected method of
#!   a right operand whose class derives from the left one's first, then the left one's
#!   method — its builtin base's when it has none, which answers if it takes the right
#!   operand (`base_accepts`) — then the reflected one) and comparisons (`sub_compare`);
#!   `is_sub_object` counts the instances, so items, membership, iteration and length find
#!   the overrides as they do for list and dict subclasses.
#! - What an overriding class does not define is its builtin base's behaviour, on the value.
#!   The builtin methods (`base_*`) compute the operation on `plain_view` (a plain value
#!   equal to the receiver), so they never re-enter an override; like CPython's they return
#!   NotImplemented for an operand of another kind (`int.__add__(1, 1.5)`). They are put in
#!   the types' dicts on first need (`install_value_dunders`: a value subclass is made, or
#!   a missing attribute of one of these types is looked up), so start-up pays nothing.

struct ValueOverrides:
    seen: int quasi
    marker: int
    installed: bool

const OVERRIDES = ValueOverrides(seen=0, marker=-1, installed=False)

def is_value_instance(w: W_Object) -> bool:
    return isinstance(w, W_IntUser) or isinstance(w, W_StrUser) or is_value_sub(w)

# Whether `w` is an instance of an overriding class (always False before the first one).
def value_overridden(w: W_Object) -> bool:
    if OVERRIDES.seen == 0:
        return False
    if not is_value_instance(w):
        return False
    return type_lookup(w.get_type(), OVERRIDES.marker) is not None

def overridable(name: str) -> bool:
    if name == "__hash__" or name == "__bool__" or name == "__len__" or name == "__getitem__" or name == "__contains__" or name == "__iter__":
        return True
    if name == "__eq__" or name == "__ne__" or name == "__lt__" or name == "__le__" or name == "__gt__" or name == "__ge__":
        return True
    op = 0
    while op <= OP_AND:
        base = op_special(op)
        if name == "__" + base + "__" or name == "__r" + base + "__" or name == "__i" + base + "__":
            return True
        op += 1
    return False

# Called by `check_subclass_body` for a special method `name` of a value subclass `t`:
# whether it is allowed (then `t` is marked overriding).
def note_value_override(t: W_Type, name: str) -> bool:
    if not overridable(name):
        return False
    if OVERRIDES.marker not in t.dict:
        type_set(t, OVERRIDES.marker, W_TRUE)
    OVERRIDES.seen = 1
    return True

# The truth of an overriding instance, or None for its base's: `__bool__`, then `__len__`
# except for numbers (int and float have their own truth, which `__len__` does not change).
def value_truth(w: W_Object) -> W_Object:
    m = user_override(w, "__bool__")
    if m is not None:
        r = call_special(m, w)
        if not isinstance(r, W_Bool):
            raise type_error("__bool__ should return bool, returned " + type_name(r))
        return r
    if isinstance(w, W_Int) or isinstance(w, W_Float):
        return None
    m = user_override(w, "__len__")
    if m is not None:
        n = int_of(call_special(m, w))
        if n < 0:
            raise guest_error("ValueError", "__len__() should return >= 0")
        return wrap_bool(n != 0)
    return None

# hash() of an overriding instance, or None for its base's: the first user class on the MRO
# defining `__hash__` or `__eq__` decides (`__eq__` alone makes it unhashable).
def value_hash(w: W_Object) -> W_Object:
    t = w.get_type()
    h = intern("__hash__")
    e = intern("__eq__")
    i = 0
    while i < len(t.mro) and t.mro[i].kind != KIND_BUILTIN:
        d = t.mro[i].dict
        if h in d:
            m = d[h]
            if m is W_NONE:
                raise type_error("unhashable type: '" + type_name(w) + "'")
            r = call_object(bind(w, m), make_args(array[W_Object](0)))
            if not is_int_obj(r):
                raise type_error("__hash__ method should return an integer")
            return r
        if e in d:
            raise type_error("unhashable type: '" + type_name(w) + "'")
        i += 1
    return None

# a OP b when an operand is an overriding instance and an override answers, else None (the
# builtin operation goes on with the values).
def value_binop(a: W_Object, op: int, b: W_Object, inplace: bool) -> W_Object:
    name = op_special(op)
    if inplace:
        m = user_override(a, "__i" + name + "__")
        if m is not None:
            r = call_special2(m, a, b)
            if r is not NOT_IMPLEMENTED:
                return r
    ta = type_of(a)
    tb = type_of(b)
    rm: W_Object = None
    if ta is not tb:
        rm = user_override(b, "__r" + name + "__")
    if rm is not None and is_subtype(tb, ta):
        r = call_special2(rm, b, a)
        if r is not NOT_IMPLEMENTED:
            return r
        rm = None
    m = user_override(a, "__" + name + "__")
    if m is not None:
        r = call_special2(m, a, b)
        if r is not NOT_IMPLEMENTED:
            return r
    elif base_accepts(plain_value(a), op, plain_value(b)):
        # a's builtin operation answers (`2.5 + IntSub(1)`): b's reflected one is not asked
        return None
    if rm is not None:
        r = call_special2(rm, b, a)
        if r is not NOT_IMPLEMENTED:
            return r
    if m is not None and ta is tb:
        sym = op_symbol(op)
        if inplace:
            sym = sym + "="
        raise type_error("unsupported operand type(s) for " + sym + ": '" + ta.name + "' and '" + tb.name + "'")
    return None

# The plain value equal to a value subclass instance (sharing a set's storage).
def plain_value(w: W_Object) -> W_Object:
    if isinstance(w, W_IntUser):
        return W_Int(value=(w as W_Int).value)
    if isinstance(w, W_StrUser):
        return W_Str(value=(w as W_Str).value)
    if isinstance(w, W_FloatUser):
        return W_Float(value=(w as W_Float).value)
    if isinstance(w, W_TupleUser):
        return W_Tuple(items=(w as W_Tuple).items)
    if isinstance(w, W_SetUser):
        s = w as W_Set
        return W_Set(d=s.d, is_frozen=s.is_frozen, table=s.table)
    return w

# Whether `o` is an operand the builtin method of `self`'s kind takes for `op` (-1: a
# comparison), as CPython's slots decide before answering NotImplemented.
def base_accepts(recv: W_Object, op: int, o: W_Object) -> bool:
    if isinstance(recv, W_Int):
        return is_int_obj(o)
    if isinstance(recv, W_Float):
        return is_number(o)
    if isinstance(recv, W_Str):
        if op == OP_MUL:
            return is_int_obj(o)
        if op == OP_MOD:
            return True
        return isinstance(o, W_Str) and (op == OP_ADD or op < 0)
    if isinstance(recv, W_Tuple):
        if op == OP_MUL:
            return is_int_obj(o)
        return isinstance(o, W_Tuple) and (op == OP_ADD or op < 0)
    if isinstance(recv, W_Set):
        return isinstance(o, W_Set) and (op < 0 or op == OP_OR or op == OP_AND or op == OP_SUB or op == OP_XOR)
    return False

def base_self(a: Args, name: str, n: int) -> W_Object:
    if npos(a) != n:
        raise type_error("expected " + int_to_str(n - 1) + " argument(s), got " + int_to_str(npos(a) - 1))
    w = a.vals[0]
    if not (is_number(w) or isinstance(w, W_Str) or isinstance(w, W_Tuple) or isinstance(w, W_Set)):
        raise type_error("descriptor '" + name + "' requires a value of a builtin type, not '" + type_name(w) + "'")
    return plain_value(w)

def base_binop(a: Args, op: int, reflected: bool) -> W_Object:
    recv = base_self(a, op_special(op), 2)
    o = plain_value(a.vals[1])
    if not base_accepts(recv, op, o):
        return NOT_IMPLEMENTED
    if reflected:
        return binop(o, op, recv, False)
    return binop(recv, op, o, False)

def base_compare(a: Args, op: int) -> W_Object:
    recv = base_self(a, cmp_special(op), 2)
    o = plain_value(a.vals[1])
    if not base_accepts(recv, -1, o):
        return NOT_IMPLEMENTED
    return compare(recv, op, o)

def base_add(a: Args) -> W_Object:
    return base_binop(a, OP_ADD, False)

def base_radd(a: Args) -> W_Object:
    return base_binop(a, OP_ADD, True)

def base_sub(a: Args) -> W_Object:
    return base_binop(a, OP_SUB, False)

def base_rsub(a: Args) -> W_Object:
    return base_binop(a, OP_SUB, True)

def base_mul(a: Args) -> W_Object:
    return base_binop(a, OP_MUL, False)

def base_rmul(a: Args) -> W_Object:
    return base_binop(a, OP_MUL, True)

def base_truediv(a: Args) -> W_Object:
    return base_binop(a, OP_TRUEDIV, False)

def base_rtruediv(a: Args) -> W_Object:
    return base_binop(a, OP_TRUEDIV, True)

def base_floordiv(a: Args) -> W_Object:
    return base_binop(a, OP_FLOORDIV, False)

def base_rfloordiv(a: Args) -> W_Object:
    return base_binop(a, OP_FLOORDIV, True)

def base_mod(a: Args) -> W_Object:
    return base_binop(a, OP_MOD, False)

def base_rmod(a: Args) -> W_Object:
    return base_binop(a, OP_MOD, True)

def base_pow(a: Args) -> W_Object:
    return base_binop(a, OP_POW, False)

def base_rpow(a: Args) -> W_Object:
    return base_binop(a, OP_POW, True)

def base_lshift(a: Args) -> W_Object:
    return base_binop(a, OP_LSHIFT, False)

def base_rlshift(a: Args) -> W_Object:
    return base_binop(a, OP_LSHIFT, True)

def base_rshift(a: Args) -> W_Object:
    return base_binop(a, OP_RSHIFT, False)

def base_rrshift(a: Args) -> W_Object:
    return base_binop(a, OP_RSHIFT, True)

def base_or(a: Args) -> W_Object:
    return base_binop(a, OP_OR, False)

def base_ror(a: Args) -> W_Object:
    return base_binop(a, OP_OR, True)

def base_xor(a: Args) -> W_Object:
    return base_binop(a, OP_XOR, False)

def base_rxor(a: Args) -> W_Object:
    return base_binop(a, OP_XOR, True)

def base_and(a: Args) -> W_Object:
    return base_binop(a, OP_AND, False)

def base_rand(a: Args) -> W_Object:
    return base_binop(a, OP_AND, True)

def base_eq(a: Args) -> W_Object:
    return base_compare(a, CMP_EQ)

def base_ne(a: Args) -> W_Object:
    return base_compare(a, CMP_NE)

def base_lt(a: Args) -> W_Object:
    return base_compare(a, CMP_LT)

def base_le(a: Args) -> W_Object:
    return base_compare(a, CMP_LE)

def base_gt(a: Args) -> W_Object:
    return base_compare(a, CMP_GT)

def base_ge(a: Args) -> W_Object:
    return base_compare(a, CMP_GE)

def base_hash(a: Args) -> W_Object:
    return W_Int(value=hash_of(base_self(a, "__hash__", 1)))

def base_bool(a: Args) -> W_Object:
    return wrap_bool(is_true(base_self(a, "__bool__", 1)))

def base_len(a: Args) -> W_Object:
    return W_Int(value=len_of(base_self(a, "__len__", 1)))

def base_getitem(a: Args) -> W_Object:
    return getitem(base_self(a, "__getitem__", 2), a.vals[1])

def base_contains(a: Args) -> W_Object:
    return wrap_bool(contains(base_self(a, "__contains__", 2), a.vals[1]))

def base_iter(a: Args) -> W_Object:
    return iter_of(base_self(a, "__iter__", 1))

def add_base_arith(t: W_Type):
    add_method(t, "__add__", base_add)
    add_method(t, "__radd__", base_radd)
    add_method(t, "__sub__", base_sub)
    add_method(t, "__rsub__", base_rsub)
    add_method(t, "__mul__", base_mul)
    add_method(t, "__rmul__", base_rmul)
    add_method(t, "__truediv__", base_truediv)
    add_method(t, "__rtruediv__", base_rtruediv)
    add_method(t, "__floordiv__", base_floordiv)
    add_method(t, "__rfloordiv__", base_rfloordiv)
    add_method(t, "__mod__", base_mod)
    add_method(t, "__rmod__", base_rmod)
    add_method(t, "__pow__", base_pow)
    add_method(t, "__rpow__", base_rpow)
    add_method(t, "__bool__", base_bool)

def add_base_bits(t: W_Type):
    add_method(t, "__lshift__", base_lshift)
    add_method(t, "__rlshift__", base_rlshift)
    add_method(t, "__rshift__", base_rshift)
    add_method(t, "__rrshift__", base_rrshift)

def add_base_setops(t: W_Type):
    add_method(t, "__or__", base_or)
    add_method(t, "__ror__", base_ror)
    add_method(t, "__xor__", base_xor)
    add_method(t, "__rxor__", base_rxor)
    add_method(t, "__and__", base_and)
    add_method(t, "__rand__", base_rand)

def add_base_compare(t: W_Type):
    add_method(t, "__eq__", base_eq)
    add_method(t, "__ne__", base_ne)
    add_method(t, "__lt__", base_lt)
    add_method(t, "__le__", base_le)
    add_method(t, "__gt__", base_gt)
    add_method(t, "__ge__", base_ge)

def add_base_sequence(t: W_Type):
    add_method(t, "__len__", base_len)
    add_method(t, "__getitem__", base_getitem)
    add_method(t, "__contains__", base_contains)
    add_method(t, "__iter__", base_iter)

# The builtin special methods of int, float, str, tuple, set and frozenset (once).
def install_value_dunders():
    if OVERRIDES.installed:
        return
    OVERRIDES.installed = True
    it = TYPES_BY_KIND.int_type
    add_base_arith(it)
    add_base_bits(it)
    add_base_setops(it)
    add_base_compare(it)
    add_method(it, "__hash__", base_hash)
    ft = TYPES_BY_KIND.float_type
    add_base_arith(ft)
    add_base_compare(ft)
    add_method(ft, "__hash__", base_hash)
    st = TYPES_BY_KIND.str_type
    add_method(st, "__add__", base_add)
    add_method(st, "__mul__", base_mul)
    add_method(st, "__rmul__", base_rmul)
    add_method(st, "__mod__", base_mod)
    add_base_compare(st)
    add_base_sequence(st)
    add_method(st, "__hash__", base_hash)
    tt = TYPES_BY_KIND.tuple_type
    add_method(tt, "__add__", base_add)
    add_method(tt, "__mul__", base_mul)
    add_method(tt, "__rmul__", base_rmul)
    add_base_compare(tt)
    add_base_sequence(tt)
    add_method(tt, "__hash__", base_hash)
    add_base_setops(SETS.set_type)
    add_method(SETS.set_type, "__sub__", base_sub)
    add_method(SETS.set_type, "__rsub__", base_rsub)
    add_base_compare(SETS.set_type)
    add_method(SETS.set_type, "__len__", base_len)
    add_method(SETS.set_type, "__contains__", base_contains)
    add_method(SETS.set_type, "__iter__", base_iter)
    fs = SETS.frozenset_type
    add_base_setops(fs)
    add_method(fs, "__sub__", base_sub)
    add_method(fs, "__rsub__", base_rsub)
    add_base_compare(fs)
    add_method(fs, "__len__", base_len)
    add_method(fs, "__contains__", base_contains)
    add_method(fs, "__iter__", base_iter)
    add_method(fs, "__hash__", base_hash)

# Each run starts with no overriding class and the dunders not installed (the state of a
# previous run in the same process is forgotten: its types and names are gone).
def setup_value_overrides():
    OVERRIDES.seen = 0
    OVERRIDES.marker = intern(" overrides")
    OVERRIDES.installed = False

# Whether `t` is one of the types `install_value_dunders` completes.
def is_value_type(t: W_Type) -> bool:
    if t is TYPES_BY_KIND.int_type or t is TYPES_BY_KIND.float_type or t is TYPES_BY_KIND.str_type:
        return True
    return t is TYPES_BY_KIND.tuple_type or t is SETS.set_type or t is SETS.frozenset_type

# A missing attribute `nid` of a value (`(5).__add__`): after the dunders are installed, the
# lookup again.
def value_attr_miss(w: W_Object, nid: int) -> W_Object:
    if OVERRIDES.installed:
        return None
    t = type_of(w)
    i = 0
    while i < len(t.mro) and not is_value_type(t.mro[i]):
        i += 1
    if i == len(t.mro):
        return None
    name = name_of(nid)
    if len(name) < 5 or str_slice(name, 0, 2) != "__":
        return None
    install_value_dunders()
    found = type_lookup(t, nid)
    if found is None:
        return None
    return bind(w, found)

# A missing attribute `nid` of type `t`: after the dunders are installed, the lookup again.
def value_type_attr(t: W_Type, nid: int) -> W_Object:
    if OVERRIDES.installed or not is_value_type(t):
        return None
    name = name_of(nid)
    if len(name) < 5 or str_slice(name, 0, 2) != "__":
        return None
    install_value_dunders()
    v = type_lookup(t, nid)
    if v is None:
        return None
    return bind_class(t, v)
