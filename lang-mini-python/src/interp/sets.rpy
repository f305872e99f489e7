#! sets.rpy: `set` and `frozenset` (an `rdict` of the items, hashed and compared by the
#! guest's `hash_of`/`eq_of`; the values are unused), their operators and methods, and the
#! opcodes that build them (`op_build_set`, `op_set_add`, `op_set_update`).
#!
#! Invariants: `frozen` sets are never mutated after construction; `repr` follows
#! CPython (`set()`, `{1, 2}`, `frozenset({1})`).

struct W_Set(W_Object):
    d: rdict[W_Object, W_Object]
    is_frozen: bool
    table: SetTable

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
    return W_Set(d=d, is_frozen=fz, table=new_set_table(SET_MINSIZE))

# Adds the items of an iterable (CPython's set_update_internal).
def set_add_all(s: W_Set, w: W_Object):
    if isinstance(w, W_Set):
        set_merge(s, w as W_Set)
        return
    if isinstance(w, W_Dict):
        n = len((w as W_Dict).d)
        t = s.table
        if (t.fill + n) * 5 >= (len(t.slots) - 1) * 3:
            table_resize(s, (t.used + n) * 2)
    items = list_of_iterable(w)
    i = 0
    while i < len(items):
        set_insert(s, items[i])
        i += 1

def set_items(s: W_Set) -> list[W_Object]:
    return table_items(s)

def set_repr(s: W_Set) -> str:
    keys = table_items(s)
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

# a OP b for sets (| & - ^), or None when b is not a set; the result's order is CPython's
# (set_or, set_intersection, set_difference, set_symmetric_difference).
def set_binop(a: W_Set, op: int, b: W_Object) -> W_Object:
    if not isinstance(b, W_Set):
        return None
    other = b as W_Set
    out = new_set(a.is_frozen)
    if op == OP_OR:
        set_merge(out, a)
        set_merge(out, other)
        return out
    if op == OP_AND:
        big = a
        small = other
        if len(other.d) > len(a.d):
            big = other
            small = a
        keys = table_items(small)
        i = 0
        while i < len(keys):
            if keys[i] in big.d:
                set_insert(out, keys[i])
            i += 1
        return out
    if op == OP_SUB:
        if (len(a.d) >> 2) > len(other.d):
            set_merge(out, a)
            set_discard_all(out, table_items(other))
            return out
        keys = table_items(a)
        i = 0
        while i < len(keys):
            if not (keys[i] in other.d):
                set_insert(out, keys[i])
            i += 1
        return out
    if op == OP_XOR:
        set_merge(out, other)
        set_xor_update(out, a)
        return out
    return None

# s ^= other in place (CPython's set_symmetric_difference_update over a set).
def set_xor_update(s: W_Set, other: W_Set):
    keys = table_items(other)
    if other is s:
        set_clear(s)
        return
    i = 0
    while i < len(keys):
        if keys[i] in s.d:
            set_delete(s, keys[i])
        else:
            set_insert(s, keys[i])
        i += 1

# a OP= b for a mutable set: updates `a` in place as CPython does, or None when b is not a
# set or OP is not a set operator.
def set_inplace(a: W_Set, op: int, b: W_Object) -> W_Object:
    if not isinstance(b, W_Set):
        return None
    other = b as W_Set
    if op == OP_OR:
        set_merge(a, other)
        return a
    if op == OP_AND:
        r = set_binop(a, op, other) as W_Set
        a.d = r.d
        a.table = r.table
        return a
    if op == OP_SUB:
        if other is a:
            set_clear(a)
            return a
        set_discard_all(a, table_items(other))
        return a
    if op == OP_XOR:
        set_xor_update(a, other)
        return a
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
        set_insert(s, vals[i])
        i += 1
    push(f, s)

def op_set_add(f: Frame, depth: int):
    w = pop(f)
    set_insert(peek(f, depth - 1) as W_Set, w)

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
    set_insert(set_arg(a, "add"), a.vals[1])
    return W_NONE

def set_remove_m(a: Args) -> W_Object:
    check_args(a, "remove", 2, 2)
    s = set_arg(a, "remove")
    if not (a.vals[1] in s.d):
        raise key_error(a.vals[1])
    set_delete(s, a.vals[1])
    return W_NONE

def set_discard_m(a: Args) -> W_Object:
    check_args(a, "discard", 2, 2)
    s = set_arg(a, "discard")
    set_delete(s, a.vals[1])
    return W_NONE

def set_pop_m(a: Args) -> W_Object:
    check_args(a, "pop", 1, 1)
    s = set_arg(a, "pop")
    if len(s.d) == 0:
        raise guest_error("KeyError", "pop from an empty set")
    return set_pop_item(s)

def set_clear_m(a: Args) -> W_Object:
    check_args(a, "clear", 1, 1)
    set_clear(set_arg(a, "clear"))
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
    set_merge(out, s)
    return out

def set_method_binop(a: Args, op: int, name: str) -> W_Object:
    check_args(a, name, 2, 2)
    other = new_set(True)
    set_add_all(other, a.vals[1])
    return set_binop(set_arg(a, name), op, other)

def set_union_m(a: Args) -> W_Object:
    check_args(a, "union", 1, 2)
    s = set_arg(a, "union")
    out = new_set(s.is_frozen)
    set_merge(out, s)
    if npos(a) == 2:
        set_add_all(out, a.vals[1])
    return out

def set_intersection_m(a: Args) -> W_Object:
    if npos(a) == 2 and isinstance(a.vals[1], W_Set):
        return set_method_binop(a, OP_AND, "intersection")
    check_args(a, "intersection", 2, 2)
    s = set_arg(a, "intersection")
    out = new_set(s.is_frozen)
    items = list_of_iterable(a.vals[1])
    i = 0
    while i < len(items):
        if items[i] in s.d:
            set_insert(out, items[i])
        i += 1
    return out

def set_difference_m(a: Args) -> W_Object:
    if npos(a) == 2 and isinstance(a.vals[1], W_Set):
        return set_method_binop(a, OP_SUB, "difference")
    check_args(a, "difference", 2, 2)
    s = set_arg(a, "difference")
    out = new_set(s.is_frozen)
    set_merge(out, s)
    set_discard_all(out, list_of_iterable(a.vals[1]))
    return out

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
    SET_TABLES.dummy = W_Str(value="<dummy>")

# The set of an iterable argument (a new frozen set), as CPython's methods build it.
def set_of_arg(w: W_Object) -> W_Set:
    other = new_set(True)
    set_add_all(other, w)
    return other

def set_isdisjoint_m(a: Args) -> W_Object:
    check_args(a, "isdisjoint", 2, 2)
    s = set_arg(a, "isdisjoint")
    items = list_of_iterable(a.vals[1])
    i = 0
    while i < len(items):
        if items[i] in s.d:
            return W_FALSE
        i += 1
    return W_TRUE

def set_symmetric_difference_m(a: Args) -> W_Object:
    check_args(a, "symmetric_difference", 2, 2)
    return set_binop(set_arg(a, "symmetric_difference"), OP_XOR, set_of_arg(a.vals[1]))

def set_symmetric_difference_update_m(a: Args) -> W_Object:
    check_args(a, "symmetric_difference_update", 2, 2)
    s = set_arg(a, "symmetric_difference_update")
    if a.vals[1] is s:
        set_clear(s)
    else:
        set_xor_update(s, set_of_arg(a.vals[1]))
    return W_NONE

def set_difference_update_m(a: Args) -> W_Object:
    s = set_arg(a, "difference_update")
    i = 1
    while i < npos(a):
        if a.vals[i] is s:
            set_clear(s)
        else:
            set_discard_all(s, list_of_iterable(a.vals[i]))
        i += 1
    return W_NONE

def set_intersection_update_m(a: Args) -> W_Object:
    check_args(a, "intersection_update", 2, 2)
    s = set_arg(a, "intersection_update")
    r = set_intersection_m(a) as W_Set
    s.d = r.d
    s.table = r.table
    return W_NONE

# The set methods beyond the spec's list (registered by `setup` in loader.rpy after
# `setup_sets`).
def setup_more_set_methods():
    st = SETS.set_type
    ft = SETS.frozenset_type
    add_method(st, "isdisjoint", set_isdisjoint_m)
    add_method(ft, "isdisjoint", set_isdisjoint_m)
    add_method(st, "symmetric_difference", set_symmetric_difference_m)
    add_method(ft, "symmetric_difference", set_symmetric_difference_m)
    add_method(st, "symmetric_difference_update", set_symmetric_difference_update_m)
    add_method(st, "difference_update", set_difference_update_m)
    add_method(st, "intersection_update", set_intersection_update_m)
