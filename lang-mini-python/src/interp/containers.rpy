#! containers.rpy: `list`, `tuple`, `dict`, `range`, slices and the builtin iterators.
#!
#! Vocabulary and invariants:
#! - `W_List.items` is an RPy `list[W_Object]`; `W_Tuple.items` an array never written after
#!   construction; `W_Dict.d` an `rdict` hashed and compared by the guest's `hash_of` and
#!   `eq_of` (which may raise guest errors: an unhashable key is a `TypeError`).
#! - Iterators are `W_Iter` subclasses whose `next_or_none` returns None at exhaustion
#!   (FOR_ITER tests for None; `next()` turns it into StopIteration).
#! - Methods are builtins registered in `setup_containers` (receiver first).

struct W_List(W_Object):
    items: list[W_Object]

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.list_type

struct W_Tuple(W_Object) immutable:
    items: array[W_Object]

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.tuple_type

struct W_Dict(W_Object):
    d: rdict[W_Object, W_Object]

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.dict_type

struct W_Range(W_Object) immutable:
    start: int
    stop: int
    step: int

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.range_type

struct W_Slice(W_Object) immutable:
    start: W_Object
    stop: W_Object
    step: W_Object

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.slice_type

    def default_repr(self) -> str:
        return slice_repr(self)

struct W_Iter(W_Object):
    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.iterator_type

    def next_or_none(self) -> W_Object:
        return None

struct W_SeqIter(W_Iter):
    seq: W_Object
    index: int

    def next_or_none(self) -> W_Object:
        s = self.seq
        i = self.index
        if isinstance(s, W_List):
            l = (s as W_List).items
            if i < len(l):
                self.index = i + 1
                return l[i]
            return None
        if isinstance(s, W_Tuple):
            t = (s as W_Tuple).items
            if i < len(t):
                self.index = i + 1
                return t[i]
            return None
        st = (s as W_Str).value
        if i < len(st):
            self.index = i + 1
            return W_Str(value=char_to_str(st[i]))
        return None

struct W_RangeIter(W_Iter):
    cur: int
    stop: int
    step: int

    def next_or_none(self) -> W_Object:
        c = self.cur
        if self.step > 0:
            if c >= self.stop:
                return None
        elif c <= self.stop:
            return None
        self.cur = c + self.step
        return W_Int(value=c)

# An iterator over a snapshot of a list (a set's keys; dicts have `W_DictIter`).
struct W_ListIter(W_Iter):
    items: list[W_Object]
    index: int

    def next_or_none(self) -> W_Object:
        i = self.index
        if i < len(self.items):
            self.index = i + 1
            return self.items[i]
        return None

def new_list() -> W_List:
    items: list[W_Object] = []
    return W_List(items=items)

def guest_hash(w: W_Object) -> int:
    return hash_of(w)

def guest_eq(a: W_Object, b: W_Object) -> bool:
    return eq_of(a, b)

def new_dict() -> W_Dict:
    d: rdict[W_Object, W_Object] = dict_with(guest_hash, guest_eq)
    return W_Dict(d=d)

def new_tuple2(a: W_Object, b: W_Object) -> W_Tuple:
    items = array[W_Object](2)
    items[0] = a
    items[1] = b
    return W_Tuple(items=items)

def tuple_of_list(l: list[W_Object]) -> W_Tuple:
    items = array[W_Object](len(l))
    i = 0
    while i < len(l):
        items[i] = l[i]
        i += 1
    return W_Tuple(items=items)

# Every item of an iterable, in order.
# Not looked inside by the JIT: its loop appends to a list that stays virtual, so each
# iteration's state is new and the loop unrolled until the compilation's budget (an
# `a, b = t` gave up at every position before it); a residual call instead.
@dont_look_inside
def list_of_iterable(w: W_Object) -> list[W_Object]:
    out: list[W_Object] = []
    if isinstance(w, W_List) and user_override(w, "__iter__") is None:
        l = (w as W_List).items
        i = 0
        while i < len(l):
            out.append(l[i])
            i += 1
        return out
    it = iter_of(w)
    while True:
        x = next_of(it)
        if x is None:
            return out
        out.append(x)

# A normalised index into a sequence of `n` items, or an IndexError naming `what`.
def seq_index(w: W_Object, n: int, what: str) -> int:
    if not isinstance(w, W_Int):
        if special(w, "__index__") is not None:
            return seq_index(index_of(w), n, what)
        raise type_error(what + " indices must be integers or slices, not " + type_name(w))
    i = (w as W_Int).value
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise guest_error("IndexError", what + " index out of range")
    return i

def slice_part(w: W_Object, dflt: int) -> int:
    if w is W_NONE:
        return dflt
    return int_of(w)

# The indexes a slice selects in a sequence of `n` items, as CPython's PySlice_AdjustIndices.
def slice_indices(s: W_Slice, n: int) -> list[int]:
    step = slice_part(s.step, 1)
    if step == 0:
        raise guest_error("ValueError", "slice step cannot be zero")
    out: list[int] = []
    if step > 0:
        start = slice_part(s.start, 0)
        stop = slice_part(s.stop, n)
        if start < 0:
            start += n
            if start < 0:
                start = 0
        if start > n:
            start = n
        if stop < 0:
            stop += n
            if stop < 0:
                stop = 0
        if stop > n:
            stop = n
        i = start
        while i < stop:
            out.append(i)
            i += step
    else:
        start = slice_part(s.start, n - 1)
        stop = slice_part(s.stop, -1 - n)
        if start < 0:
            start += n
            if start < 0:
                start = -1
        if start >= n:
            start = n - 1
        if stop < 0:
            stop += n
            if stop < 0:
                stop = -1
        if stop >= n:
            stop = n - 1
        i = start
        while i > stop:
            out.append(i)
            i += step
    return out

def list_append(a: Args) -> W_Object:
    check_args(a, "append", 2, 2)
    (a.vals[0] as W_List).items.append(a.vals[1])
    return W_NONE

def list_pop(a: Args) -> W_Object:
    check_args(a, "pop", 1, 2)
    l = (a.vals[0] as W_List).items
    if len(l) == 0:
        raise guest_error("IndexError", "pop from empty list")
    i = len(l) - 1
    if npos(a) == 2:
        i = int_of(a.vals[1])
        if i < 0:
            i += len(l)
        if i < 0 or i >= len(l):
            raise guest_error("IndexError", "pop index out of range")
    return l.pop(i)

def list_extend(a: Args) -> W_Object:
    check_args(a, "extend", 2, 2)
    l = (a.vals[0] as W_List).items
    items = list_of_iterable(a.vals[1])
    i = 0
    while i < len(items):
        l.append(items[i])
        i += 1
    return W_NONE

def list_insert(a: Args) -> W_Object:
    check_args(a, "insert", 3, 3)
    l = (a.vals[0] as W_List).items
    i = int_of(a.vals[1])
    if i < 0:
        i += len(l)
        if i < 0:
            i = 0
    if i > len(l):
        i = len(l)
    l.insert(i, a.vals[2])
    return W_NONE

def list_reverse(a: Args) -> W_Object:
    check_args(a, "reverse", 1, 1)
    l = (a.vals[0] as W_List).items
    i = 0
    j = len(l) - 1
    while i < j:
        t = l[i]
        l[i] = l[j]
        l[j] = t
        i += 1
        j -= 1
    return W_NONE

def list_index_of(l: list[W_Object], x: W_Object) -> int:
    i = 0
    while i < len(l):
        if eq_of(l[i], x):
            return i
        i += 1
    return -1

def list_remove(a: Args) -> W_Object:
    check_args(a, "remove", 2, 2)
    l = (a.vals[0] as W_List).items
    i = list_index_of(l, a.vals[1])
    if i < 0:
        raise guest_error("ValueError", "list.remove(x): x not in list")
    l.pop(i)
    return W_NONE

def list_index(a: Args) -> W_Object:
    check_args(a, "index", 2, 2)
    i = list_index_of((a.vals[0] as W_List).items, a.vals[1])
    if i < 0:
        raise guest_error("ValueError", repr_of(a.vals[1]) + " is not in list")
    return W_Int(value=i)

def list_count(a: Args) -> W_Object:
    check_args(a, "count", 2, 2)
    l = (a.vals[0] as W_List).items
    n = 0
    i = 0
    while i < len(l):
        if eq_of(l[i], a.vals[1]):
            n += 1
        i += 1
    return W_Int(value=n)

def list_copy(a: Args) -> W_Object:
    check_args(a, "copy", 1, 1)
    return W_List(items=list_of_iterable(a.vals[0]))

def list_clear(a: Args) -> W_Object:
    check_args(a, "clear", 1, 1)
    l = (a.vals[0] as W_List).items
    while len(l) > 0:
        l.pop(len(l) - 1)
    return W_NONE

def dict_pop(a: Args) -> W_Object:
    check_args(a, "pop", 2, 3)
    d = (a.vals[0] as W_Dict).d
    k = a.vals[1]
    if k in d:
        v = d[k]
        del d[k]
        return v
    if npos(a) == 3:
        return a.vals[2]
    raise key_error(k)

def dict_setdefault(a: Args) -> W_Object:
    check_args(a, "setdefault", 2, 3)
    d = (a.vals[0] as W_Dict).d
    k = a.vals[1]
    if k in d:
        return d[k]
    v: W_Object = W_NONE
    if npos(a) == 3:
        v = a.vals[2]
    d[k] = v
    return v

def dict_update(a: Args) -> W_Object:
    check_args(a, "update", 1, 2)
    target = a.vals[0] as W_Dict
    src = bi_dict(Args(vals=array_tail(a.vals, 1), kwnames=a.kwnames)) as W_Dict
    keys = src.d.keys()
    i = 0
    while i < len(keys):
        target.d[keys[i]] = src.d[keys[i]]
        i += 1
    return W_NONE

def array_tail(vals: array[W_Object], start: int) -> array[W_Object]:
    out = array[W_Object](len(vals) - start)
    i = start
    while i < len(vals):
        out[i - start] = vals[i]
        i += 1
    return out

def dict_copy(a: Args) -> W_Object:
    check_args(a, "copy", 1, 1)
    return bi_dict(args1(a.vals[0]))

def dict_clear(a: Args) -> W_Object:
    check_args(a, "clear", 1, 1)
    d = (a.vals[0] as W_Dict).d
    keys = d.keys()
    i = 0
    while i < len(keys):
        del d[keys[i]]
        i += 1
    return W_NONE

def dict_get(a: Args) -> W_Object:
    check_args(a, "get", 2, 3)
    d = (a.vals[0] as W_Dict).d
    k = a.vals[1]
    w = d.get(k, None)
    if w is not None:
        return w
    if npos(a) == 3:
        return a.vals[2]
    return W_NONE

def bi_list(a: Args) -> W_Object:
    check_args(a, "list", 0, 1)
    if npos(a) == 0:
        return new_list()
    return W_List(items=list_of_iterable(a.vals[0]))

def bi_tuple(a: Args) -> W_Object:
    check_args(a, "tuple", 0, 1)
    if npos(a) == 0:
        return W_Tuple(items=array[W_Object](0))
    w = a.vals[0]
    if isinstance(w, W_Tuple) and not value_overridden(w):
        if isinstance(w, W_TupleUser) or is_sub_object(w):
            return W_Tuple(items=(w as W_Tuple).items)
        return w
    return tuple_of_list(list_of_iterable(w))

def bi_dict(a: Args) -> W_Object:
    check_args(a, "dict", 0, 1)
    d = new_dict()
    if npos(a) == 1:
        w = a.vals[0]
        if isinstance(w, W_Dict):
            src = (w as W_Dict).d
            keys = src.keys()
            i = 0
            while i < len(keys):
                d.d[keys[i]] = src[keys[i]]
                i += 1
        elif not isinstance(w, W_Instance) and lookup_attr(w, intern("keys")) is not None:
            # a builtin mapping (mappingproxy): its keys, then its items
            ks = list_of_iterable(call_object(lookup_attr(w, intern("keys")), make_args(array[W_Object](0))))
            i = 0
            while i < len(ks):
                d.d[ks[i]] = getitem(w, ks[i])
                i += 1
        else:
            items = list_of_iterable(w)
            i = 0
            while i < len(items):
                pair = list_of_iterable(items[i])
                if len(pair) != 2:
                    raise guest_error("ValueError", "dictionary update sequence element #" + int_to_str(i) + " has length " + int_to_str(len(pair)) + "; 2 is required")
                d.d[pair[0]] = pair[1]
                i += 1
    n = nkw(a)
    first = len(a.vals) - n
    i = 0
    while i < n:
        d.d[W_Str(value=a.kwnames[i])] = a.vals[first + i]
        i += 1
    return d

def bi_range(a: Args) -> W_Object:
    check_args(a, "range", 1, 3)
    n = npos(a)
    if n == 1:
        return W_Range(start=0, stop=int_of(a.vals[0]), step=1)
    step = 1
    if n == 3:
        step = int_of(a.vals[2])
        if step == 0:
            raise guest_error("ValueError", "range() arg 3 must not be zero")
    return W_Range(start=int_of(a.vals[0]), stop=int_of(a.vals[1]), step=step)

def range_len(r: W_Range) -> int:
    if r.step > 0:
        if r.stop <= r.start:
            return 0
        return (r.stop - r.start + r.step - 1) // r.step
    if r.stop >= r.start:
        return 0
    return (r.start - r.stop - r.step - 1) // (0 - r.step)

def setup_containers():
    o = SPACE.object_type
    lt = new_type("list", o, KIND_BUILTIN)
    TYPES_BY_KIND.list_type = lt
    lt.constructor = W_Builtin(name="list", f=bi_list)
    ns_set(SPACE.builtins, intern("list"), lt)
    add_method(lt, "append", list_append)
    add_method(lt, "pop", list_pop)
    add_method(lt, "extend", list_extend)
    add_method(lt, "insert", list_insert)
    add_method(lt, "reverse", list_reverse)
    add_method(lt, "remove", list_remove)
    add_method(lt, "index", list_index)
    add_method(lt, "count", list_count)
    add_method(lt, "copy", list_copy)
    add_method(lt, "clear", list_clear)
    tt = new_type("tuple", o, KIND_BUILTIN)
    TYPES_BY_KIND.tuple_type = tt
    tt.constructor = W_Builtin(name="tuple", f=bi_tuple)
    ns_set(SPACE.builtins, intern("tuple"), tt)
    dt = new_type("dict", o, KIND_BUILTIN)
    TYPES_BY_KIND.dict_type = dt
    dt.constructor = W_Builtin(name="dict", f=bi_dict)
    ns_set(SPACE.builtins, intern("dict"), dt)
    add_method(dt, "get", dict_get)
    add_method(dt, "pop", dict_pop)
    add_method(dt, "setdefault", dict_setdefault)
    add_method(dt, "update", dict_update)
    add_method(dt, "copy", dict_copy)
    add_method(dt, "clear", dict_clear)
    rt = new_type("range", o, KIND_BUILTIN)
    TYPES_BY_KIND.range_type = rt
    rt.constructor = W_Builtin(name="range", f=bi_range)
    ns_set(SPACE.builtins, intern("range"), rt)
    TYPES_BY_KIND.slice_type = new_type("slice", o, KIND_BUILTIN)
    TYPES_BY_KIND.iterator_type = new_type("iterator", o, KIND_BUILTIN)
