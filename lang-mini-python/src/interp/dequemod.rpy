#! dequemod.rpy: `collections.deque`, a list in its representation only.
#!
#! Vocabulary and invariants:
#! - A deque is a `W_Deque`, a `W_ListUser` (so iteration, `len`, `in`, truth, `sorted`,
#!   `list(d)` use the list paths) whose class `deque` derives from `object`, not `list`
#!   (`isinstance(d, list)` is False, no list method is found on it). What differs from a
#!   list goes through the special methods in the type's dict, found by `user_override` as
#!   for a user subclass: the repr `deque([...])`, indexes without slices and with the
#!   deque's messages, `==` only with deques, `+`/`*`/`+=` making deques.
#! - `maxlen` (-1: unbounded): appending at one end drops items at the other, as CPython.
#! - Not done: `RuntimeError` for a deque mutated while iterated (the iterator sees the
#!   change, as a list's does).

struct W_Deque(W_ListUser):
    maxlen: int

struct DequeTypes:
    deque_type: W_Type

const DEQUES = DequeTypes(deque_type=None)

def deque_self(a: Args, name: str) -> W_Deque:
    if npos(a) == 0 or not isinstance(a.vals[0], W_Deque):
        raise type_error("descriptor '" + name + "' requires a 'collections.deque' object")
    return a.vals[0] as W_Deque

# A deque has no attributes of its own; an instance of a user subclass of it has.
def new_deque(t: W_Type, maxlen: int) -> W_Deque:
    items: list[W_Object] = []
    attrs: W_Instance = None
    if t is not DEQUES.deque_type:
        attrs = new_instance(t)
    return W_Deque(items=items, cls=t, attrs=attrs, maxlen=maxlen)

def deque_new(a: Args) -> W_Object:
    t = new_cls_arg(a, DEQUES.deque_type)
    return new_deque(t, -1)

def deque_init(a: Args) -> W_Object:
    d = deque_self(a, "__init__")
    it: W_Object = kwarg(a, "iterable")
    ml: W_Object = kwarg(a, "maxlen")
    if npos(a) > 3:
        raise type_error("deque() takes at most 2 arguments (" + int_to_str(npos(a) - 1) + " given)")
    if npos(a) >= 2:
        it = a.vals[1]
    if npos(a) == 3:
        ml = a.vals[2]
    d.maxlen = -1
    if ml is not None and ml is not W_NONE:
        d.maxlen = int_of(ml)
        if d.maxlen < 0:
            raise guest_error("ValueError", "maxlen must be non-negative")
    items: list[W_Object] = []
    d.items = items
    if it is not None:
        deque_extend_with(d, list_of_iterable(it))
    return W_NONE

def deque_push(d: W_Deque, w: W_Object):
    if d.maxlen == 0:
        return
    if d.maxlen > 0 and len(d.items) >= d.maxlen:
        d.items.pop(0)
    d.items.append(w)

def deque_push_left(d: W_Deque, w: W_Object):
    if d.maxlen == 0:
        return
    if d.maxlen > 0 and len(d.items) >= d.maxlen:
        d.items.pop(len(d.items) - 1)
    d.items.insert(0, w)

def deque_extend_with(d: W_Deque, items: list[W_Object]):
    i = 0
    while i < len(items):
        deque_push(d, items[i])
        i += 1

def deque_append(a: Args) -> W_Object:
    check_args(a, "append", 2, 2)
    deque_push(deque_self(a, "append"), a.vals[1])
    return W_NONE

def deque_appendleft(a: Args) -> W_Object:
    check_args(a, "appendleft", 2, 2)
    deque_push_left(deque_self(a, "appendleft"), a.vals[1])
    return W_NONE

def deque_pop(a: Args) -> W_Object:
    check_args(a, "pop", 1, 1)
    d = deque_self(a, "pop")
    if len(d.items) == 0:
        raise guest_error("IndexError", "pop from an empty deque")
    return d.items.pop(len(d.items) - 1)

def deque_popleft(a: Args) -> W_Object:
    check_args(a, "popleft", 1, 1)
    d = deque_self(a, "popleft")
    if len(d.items) == 0:
        raise guest_error("IndexError", "pop from an empty deque")
    return d.items.pop(0)

def deque_extend(a: Args) -> W_Object:
    check_args(a, "extend", 2, 2)
    d = deque_self(a, "extend")
    deque_extend_with(d, list_of_iterable(a.vals[1]))
    return W_NONE

def deque_extendleft(a: Args) -> W_Object:
    check_args(a, "extendleft", 2, 2)
    d = deque_self(a, "extendleft")
    items = list_of_iterable(a.vals[1])
    i = 0
    while i < len(items):
        deque_push_left(d, items[i])
        i += 1
    return W_NONE

def deque_rotate(a: Args) -> W_Object:
    check_args(a, "rotate", 1, 2)
    d = deque_self(a, "rotate")
    n = 1
    if npos(a) == 2:
        n = int_of(a.vals[1])
    size = len(d.items)
    if size <= 1:
        return W_NONE
    k = n % size
    if k < 0:
        k += size
    out: list[W_Object] = []
    i = 0
    while i < size:
        out.append(d.items[(i - k + size) % size])
        i += 1
    d.items = out
    return W_NONE

def deque_clear(a: Args) -> W_Object:
    check_args(a, "clear", 1, 1)
    d = deque_self(a, "clear")
    items: list[W_Object] = []
    d.items = items
    return W_NONE

def deque_count(a: Args) -> W_Object:
    check_args(a, "count", 2, 2)
    d = deque_self(a, "count")
    n = 0
    i = 0
    while i < len(d.items):
        if eq_of(d.items[i], a.vals[1]):
            n += 1
        i += 1
    return W_Int(value=n)

def deque_index(a: Args) -> W_Object:
    check_args(a, "index", 2, 4)
    d = deque_self(a, "index")
    start = 0
    stop = len(d.items)
    if npos(a) > 2:
        start = index_bound(a.vals[2], len(d.items))
    if npos(a) > 3:
        stop = index_bound(a.vals[3], len(d.items))
    i = start
    while i < stop:
        if eq_of(d.items[i], a.vals[1]):
            return W_Int(value=i)
        i += 1
    raise guest_error("ValueError", repr_of(a.vals[1]) + " is not in deque")

def deque_remove(a: Args) -> W_Object:
    check_args(a, "remove", 2, 2)
    d = deque_self(a, "remove")
    i = list_index_of(d.items, a.vals[1])
    if i < 0:
        raise guest_error("ValueError", repr_of(a.vals[1]) + " is not in deque")
    d.items.pop(i)
    return W_NONE

def deque_reverse(a: Args) -> W_Object:
    check_args(a, "reverse", 1, 1)
    d = deque_self(a, "reverse")
    out: list[W_Object] = []
    i = len(d.items) - 1
    while i >= 0:
        out.append(d.items[i])
        i -= 1
    d.items = out
    return W_NONE

def deque_insert(a: Args) -> W_Object:
    check_args(a, "insert", 3, 3)
    d = deque_self(a, "insert")
    if d.maxlen >= 0 and len(d.items) >= d.maxlen:
        raise guest_error("IndexError", "deque already at its maximum size")
    i = int_of(a.vals[1])
    n = len(d.items)
    if i < 0:
        i += n
        if i < 0:
            i = 0
    if i > n:
        i = n
    d.items.insert(i, a.vals[2])
    return W_NONE

def deque_copy_of(d: W_Deque) -> W_Deque:
    out = new_deque(d.cls, d.maxlen)
    deque_extend_with(out, d.items)
    return out

def deque_copy(a: Args) -> W_Object:
    check_args(a, "copy", 1, 1)
    return deque_copy_of(deque_self(a, "copy"))

def deque_maxlen(a: Args) -> W_Object:
    d = deque_self(a, "maxlen")
    if d.maxlen < 0:
        return W_NONE
    return W_Int(value=d.maxlen)

def deque_repr(a: Args) -> W_Object:
    d = deque_self(a, "__repr__")
    s = d.cls.name + "(" + repr_of(W_List(items=d.items))
    if d.maxlen >= 0:
        s = s + ", maxlen=" + int_to_str(d.maxlen)
    return W_Str(value=s + ")")

def deque_position(d: W_Deque, k: W_Object) -> int:
    if not isinstance(k, W_Int) and special(k, "__index__") is None:
        raise type_error("sequence index must be integer, not '" + type_name(k) + "'")
    i = int_of(k)
    n = len(d.items)
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise guest_error("IndexError", "deque index out of range")
    return i

def deque_getitem(a: Args) -> W_Object:
    check_args(a, "__getitem__", 2, 2)
    d = deque_self(a, "__getitem__")
    return d.items[deque_position(d, a.vals[1])]

def deque_setitem(a: Args) -> W_Object:
    check_args(a, "__setitem__", 3, 3)
    d = deque_self(a, "__setitem__")
    d.items[deque_position(d, a.vals[1])] = a.vals[2]
    return W_NONE

def deque_delitem(a: Args) -> W_Object:
    check_args(a, "__delitem__", 2, 2)
    d = deque_self(a, "__delitem__")
    d.items.pop(deque_position(d, a.vals[1]))
    return W_NONE

# deque OP other for the comparisons: only with another deque (a list is never equal).
def deque_cmp(a: Args, op: int) -> W_Object:
    d = deque_self(a, "__eq__")
    other = a.vals[1]
    if not isinstance(other, W_Deque):
        return NOT_IMPLEMENTED
    return wrap_bool(seq_compare(list_array(d.items), op, list_array((other as W_Deque).items)))

def deque_ne(a: Args) -> W_Object:
    r = deque_cmp(a, CMP_EQ)
    if r is NOT_IMPLEMENTED:
        if isinstance(a.vals[1], W_List):
            return W_TRUE
        return r
    return wrap_bool(r is W_FALSE)

def deque_eq(a: Args) -> W_Object:
    r = deque_cmp(a, CMP_EQ)
    if r is NOT_IMPLEMENTED and isinstance(a.vals[1], W_List):
        return W_FALSE
    return r

def deque_lt(a: Args) -> W_Object:
    return deque_order(a, CMP_LT)

def deque_le(a: Args) -> W_Object:
    return deque_order(a, CMP_LE)

def deque_gt(a: Args) -> W_Object:
    return deque_order(a, CMP_GT)

def deque_ge(a: Args) -> W_Object:
    return deque_order(a, CMP_GE)

def deque_order(a: Args, op: int) -> W_Object:
    r = deque_cmp(a, op)
    if r is NOT_IMPLEMENTED and isinstance(a.vals[1], W_List):
        raise type_error("'" + cmp_symbol(op) + "' not supported between instances of '" + type_name(a.vals[0]) + "' and '" + type_name(a.vals[1]) + "'")
    return r

def deque_add(a: Args) -> W_Object:
    check_args(a, "__add__", 2, 2)
    d = deque_self(a, "__add__")
    other = a.vals[1]
    if not isinstance(other, W_Deque):
        raise type_error("can only concatenate deque (not \"" + type_name(other) + "\") to deque")
    out = deque_copy_of(d)
    deque_extend_with(out, (other as W_Deque).items)
    return out

def deque_iadd(a: Args) -> W_Object:
    check_args(a, "__iadd__", 2, 2)
    d = deque_self(a, "__iadd__")
    deque_extend_with(d, list_of_iterable(a.vals[1]))
    return d

def deque_mul(a: Args) -> W_Object:
    check_args(a, "__mul__", 2, 2)
    d = deque_self(a, "__mul__")
    if not isinstance(a.vals[1], W_Int):
        return NOT_IMPLEMENTED
    out = new_deque(d.cls, d.maxlen)
    deque_extend_with(out, repeat_list(d.items, (a.vals[1] as W_Int).value))
    return out

def setup_deque():
    t = new_type("deque", SPACE.object_type, KIND_SUBCLASS)
    t.module = "collections"
    DEQUES.deque_type = t
    add_new(t, deque_new)
    add_method(t, "__init__", deque_init)
    add_method(t, "append", deque_append)
    add_method(t, "appendleft", deque_appendleft)
    add_method(t, "pop", deque_pop)
    add_method(t, "popleft", deque_popleft)
    add_method(t, "extend", deque_extend)
    add_method(t, "extendleft", deque_extendleft)
    add_method(t, "rotate", deque_rotate)
    add_method(t, "clear", deque_clear)
    add_method(t, "count", deque_count)
    add_method(t, "index", deque_index)
    add_method(t, "remove", deque_remove)
    add_method(t, "reverse", deque_reverse)
    add_method(t, "insert", deque_insert)
    add_method(t, "copy", deque_copy)
    add_method(t, "__repr__", deque_repr)
    add_method(t, "__getitem__", deque_getitem)
    add_method(t, "__setitem__", deque_setitem)
    add_method(t, "__delitem__", deque_delitem)
    add_method(t, "__eq__", deque_eq)
    add_method(t, "__ne__", deque_ne)
    add_method(t, "__lt__", deque_lt)
    add_method(t, "__le__", deque_le)
    add_method(t, "__gt__", deque_gt)
    add_method(t, "__ge__", deque_ge)
    add_method(t, "__add__", deque_add)
    add_method(t, "__iadd__", deque_iadd)
    add_method(t, "__mul__", deque_mul)
    type_set(t, intern("maxlen"), W_Property(fget=W_Builtin(name="maxlen", f=deque_maxlen), fset=None))
    m = SPACE.modules[intern("collections")] as W_Module
    ns_set(m.ns, intern("deque"), t)
