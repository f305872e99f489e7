#! sets.rpy: `set` and `frozenset` (an `rdict` of the items, hashed and compared by the
#! guest's `hash_of`/`eq_of`; the values are unused), their operators and methods, and the
#! opcodes that build them (`op_build_set`, `op_set_add`, `op_set_update`).
#!
#! Invariants: `frozen` sets are never mutated after construction; `repr` follows
#! CPython (`set()`, `{1, 2}`, `frozenset({1})`).

struct W_Set(W_Object):
    d: rdict[W_Object, W_Object]
    is_frozen: bool

    def get_type(self) -> W_Type:
        if self.is_frozen:
            return SETS.frozenset_type
        return SETS.set_type

struct SetTypes:
    set_type: W_Type
    frozenset_type: W_Type

const SETS = SetTypes(set_type=None, frozenset_type=None)

def new_set(fz: bool) -> W_Set:
    d: rdict[W_Object, W_Object] = dict_with(guest_hash, guest_eq)
    return W_Set(d=d, is_frozen=fz)

def set_add_all(s: W_Set, w: W_Object):
    items = list_of_iterable(w)
    i = 0
    while i < len(items):
        s.d[items[i]] = W_NONE
        i += 1

def set_items(s: W_Set) -> list[W_Object]:
    return s.d.keys()

def set_repr(s: W_Set) -> str:
    keys = s.d.keys()
    if len(keys) == 0:
        if s.is_frozen:
            return "frozenset()"
        return "set()"
    body = repr_items(list_array(keys), "{", "}", False)
    if s.is_frozen:
        return "frozenset(" + body + ")"
    return body

def set_arg(a: Args, name: str) -> W_Set:
    w = a.vals[0]
    if not isinstance(w, W_Set):
        raise type_error("descriptor '" + name + "' requires a 'set' object")
    return w as W_Set

# a OP b for sets (| & - ^), or None when b is not a set.
def set_binop(a: W_Set, op: int, b: W_Object) -> W_Object:
    if not isinstance(b, W_Set):
        return None
    other = b as W_Set
    out = new_set(a.is_frozen)
    keys = a.d.keys()
    i = 0
    if op == OP_OR:
        set_add_all(out, a)
        set_add_all(out, other)
        return out
    if op == OP_AND:
        while i < len(keys):
            if keys[i] in other.d:
                out.d[keys[i]] = W_NONE
            i += 1
        return out
    if op == OP_SUB:
        while i < len(keys):
            if not (keys[i] in other.d):
                out.d[keys[i]] = W_NONE
            i += 1
        return out
    if op == OP_XOR:
        while i < len(keys):
            if not (keys[i] in other.d):
                out.d[keys[i]] = W_NONE
            i += 1
        okeys = other.d.keys()
        j = 0
        while j < len(okeys):
            if not (okeys[j] in a.d):
                out.d[okeys[j]] = W_NONE
            j += 1
        return out
    return None

def is_subset(a: W_Set, b: W_Set) -> bool:
    keys = a.d.keys()
    i = 0
    while i < len(keys):
        if not (keys[i] in b.d):
            return False
        i += 1
    return True

# Set comparisons (equality and inclusion), or None when b is not a set.
def set_compare(a: W_Set, op: int, b: W_Object) -> W_Object:
    if not isinstance(b, W_Set):
        return None
    other = b as W_Set
    la = len(a.d)
    lb = len(other.d)
    if op == CMP_EQ:
        return wrap_bool(la == lb and is_subset(a, other))
    if op == CMP_NE:
        return wrap_bool(not (la == lb and is_subset(a, other)))
    if op == CMP_LE:
        return wrap_bool(is_subset(a, other))
    if op == CMP_LT:
        return wrap_bool(la < lb and is_subset(a, other))
    if op == CMP_GE:
        return wrap_bool(is_subset(other, a))
    return wrap_bool(la > lb and is_subset(other, a))

def op_build_set(f: Frame, n: int):
    vals = pop_values(f, n)
    s = new_set(False)
    i = 0
    while i < n:
        s.d[vals[i]] = W_NONE
        i += 1
    push(f, s)

def op_set_add(f: Frame, depth: int):
    w = pop(f)
    (peek(f, depth - 1) as W_Set).d[w] = W_NONE

def op_set_update(f: Frame, depth: int):
    w = pop(f)
    set_add_all(peek(f, depth - 1) as W_Set, w)

def bi_set(a: Args) -> W_Object:
    check_args(a, "set", 0, 1)
    s = new_set(False)
    if npos(a) == 1:
        set_add_all(s, a.vals[0])
    return s

def bi_frozenset(a: Args) -> W_Object:
    check_args(a, "frozenset", 0, 1)
    s = new_set(True)
    if npos(a) == 1:
        set_add_all(s, a.vals[0])
    return s

def set_add_m(a: Args) -> W_Object:
    check_args(a, "add", 2, 2)
    set_arg(a, "add").d[a.vals[1]] = W_NONE
    return W_NONE

def set_remove_m(a: Args) -> W_Object:
    check_args(a, "remove", 2, 2)
    s = set_arg(a, "remove")
    if not (a.vals[1] in s.d):
        raise key_error(a.vals[1])
    del s.d[a.vals[1]]
    return W_NONE

def set_discard_m(a: Args) -> W_Object:
    check_args(a, "discard", 2, 2)
    s = set_arg(a, "discard")
    if a.vals[1] in s.d:
        del s.d[a.vals[1]]
    return W_NONE

def set_pop_m(a: Args) -> W_Object:
    check_args(a, "pop", 1, 1)
    s = set_arg(a, "pop")
    keys = s.d.keys()
    if len(keys) == 0:
        raise guest_error("KeyError", "pop from an empty set")
    del s.d[keys[0]]
    return keys[0]

def set_clear_m(a: Args) -> W_Object:
    check_args(a, "clear", 1, 1)
    s = set_arg(a, "clear")
    keys = s.d.keys()
    i = 0
    while i < len(keys):
        del s.d[keys[i]]
        i += 1
    return W_NONE

def set_update_m(a: Args) -> W_Object:
    s = set_arg(a, "update")
    i = 1
    while i < npos(a):
        set_add_all(s, a.vals[i])
        i += 1
    return W_NONE

def set_copy_m(a: Args) -> W_Object:
    s = set_arg(a, "copy")
    out = new_set(s.is_frozen)
    set_add_all(out, s)
    return out

def set_method_binop(a: Args, op: int, name: str) -> W_Object:
    check_args(a, name, 2, 2)
    other = new_set(True)
    set_add_all(other, a.vals[1])
    return set_binop(set_arg(a, name), op, other)

def set_union_m(a: Args) -> W_Object:
    return set_method_binop(a, OP_OR, "union")

def set_intersection_m(a: Args) -> W_Object:
    return set_method_binop(a, OP_AND, "intersection")

def set_difference_m(a: Args) -> W_Object:
    return set_method_binop(a, OP_SUB, "difference")

def set_issubset_m(a: Args) -> W_Object:
    check_args(a, "issubset", 2, 2)
    other = new_set(True)
    set_add_all(other, a.vals[1])
    return wrap_bool(is_subset(set_arg(a, "issubset"), other))

def set_issuperset_m(a: Args) -> W_Object:
    check_args(a, "issuperset", 2, 2)
    other = new_set(True)
    set_add_all(other, a.vals[1])
    return wrap_bool(is_subset(other, set_arg(a, "issuperset")))

def add_set_methods(t: W_Type, mutable: bool):
    if mutable:
        add_method(t, "add", set_add_m)
        add_method(t, "remove", set_remove_m)
        add_method(t, "discard", set_discard_m)
        add_method(t, "pop", set_pop_m)
        add_method(t, "clear", set_clear_m)
        add_method(t, "update", set_update_m)
    add_method(t, "copy", set_copy_m)
    add_method(t, "union", set_union_m)
    add_method(t, "intersection", set_intersection_m)
    add_method(t, "difference", set_difference_m)
    add_method(t, "issubset", set_issubset_m)
    add_method(t, "issuperset", set_issuperset_m)

def setup_sets():
    st = new_type("set", SPACE.object_type, KIND_BUILTIN)
    st.constructor = W_Builtin(name="set", f=bi_set)
    SETS.set_type = st
    ns_set(SPACE.builtins, intern("set"), st)
    add_set_methods(st, True)
    ft = new_type("frozenset", SPACE.object_type, KIND_BUILTIN)
    ft.constructor = W_Builtin(name="frozenset", f=bi_frozenset)
    SETS.frozenset_type = ft
    ns_set(SPACE.builtins, intern("frozenset"), ft)
    add_set_methods(ft, False)
