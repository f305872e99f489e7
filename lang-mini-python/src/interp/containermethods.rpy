#! containermethods.rpy: methods of `tuple` and `dict` real programs use beyond the spec's
#! list: `tuple.count`, `tuple.index`, `dict.popitem`, `dict.fromkeys` (a classmethod, so
#! a dict subclass's `fromkeys` makes an instance of it), `dict | other`, `dict |= other`,
#! the set operators of keys and items views (`d.keys() & other`, `| - ^`) and
#! `iter(callable, sentinel)`.
#!
#! Invariants: lookups compare with the guest's `eq_of` as list's methods do; `popitem`
#! takes the last inserted item (LIFO, as CPython 3.7+).

def tuple_arg(a: Args, name: str) -> W_Tuple:
    w = a.vals[0]
    if not isinstance(w, W_Tuple):
        raise type_error("descriptor '" + name + "' for 'tuple' objects doesn't apply to a '" + type_name(w) + "' object")
    return w as W_Tuple

def tuple_count_m(a: Args) -> W_Object:
    check_args(a, "count", 2, 2)
    items = tuple_arg(a, "count").items
    n = 0
    i = 0
    while i < len(items):
        if eq_of(items[i], a.vals[1]):
            n += 1
        i += 1
    return W_Int(value=n)

# A start/stop bound of `index` (CPython's slice clamping for negative and large values).
def index_bound(w: W_Object, n: int) -> int:
    i = int_of(w)
    if i < 0:
        i += n
        if i < 0:
            i = 0
    if i > n:
        i = n
    return i

def tuple_index_m(a: Args) -> W_Object:
    check_args(a, "index", 2, 4)
    items = tuple_arg(a, "index").items
    start = 0
    stop = len(items)
    if npos(a) > 2:
        start = index_bound(a.vals[2], len(items))
    if npos(a) > 3:
        stop = index_bound(a.vals[3], len(items))
    i = start
    while i < stop:
        if eq_of(items[i], a.vals[1]):
            return W_Int(value=i)
        i += 1
    raise guest_error("ValueError", "tuple.index(x): x not in tuple")

def dict_popitem_m(a: Args) -> W_Object:
    check_args(a, "popitem", 1, 1)
    d = (a.vals[0] as W_Dict).d
    if len(d) == 0:
        raise guest_error("KeyError", "popitem(): dictionary is empty")
    keys = d.keys()
    k = keys[len(keys) - 1]
    v = d[k]
    del d[k]
    return new_tuple2(k, v)

# dict.fromkeys(iterable, value=None) called on the class `cls` (dict or a subclass).
def dict_fromkeys_m(a: Args) -> W_Object:
    check_args(a, "fromkeys", 2, 3)
    value: W_Object = W_NONE
    if npos(a) == 3:
        value = a.vals[2]
    keys = list_of_iterable(a.vals[1])
    cls = a.vals[0] as W_Type
    if cls is TYPES_BY_KIND.dict_type:
        out = new_dict()
        i = 0
        while i < len(keys):
            out.d[keys[i]] = value
            i += 1
        return out
    w = call_type(cls, make_args(array[W_Object](0)))
    j = 0
    while j < len(keys):
        setitem(w, keys[j], value)
        j += 1
    return w

# a | b and a |= b for dicts (a dict copy updated from b; in place: any mapping or pairs).
def dict_or(a: W_Dict, b: W_Object, inplace: bool) -> W_Object:
    if inplace:
        dict_update(args2(a, b))
        return a
    if not isinstance(b, W_Dict):
        return None
    out = bi_dict(args1(a)) as W_Dict
    src = (b as W_Dict).d
    keys = src.keys()
    i = 0
    while i < len(keys):
        out.d[keys[i]] = src[keys[i]]
        i += 1
    return out

def setup_containermethods():
    tt = TYPES_BY_KIND.tuple_type
    add_method(tt, "count", tuple_count_m)
    add_method(tt, "index", tuple_index_m)
    dt = TYPES_BY_KIND.dict_type
    add_method(dt, "popitem", dict_popitem_m)
    type_set(dt, intern("fromkeys"), W_ClassMethod(func=W_Builtin(name="fromkeys", f=dict_fromkeys_m)))

# Whether `w` is a set-like dict view (keys or items; values views are not set-like).
def is_setlike_view(w: W_Object) -> bool:
    return isinstance(w, W_DictView) and (w as W_DictView).kind != VIEW_VALUES

# The set a view operation starts from (CPython's dictviews_to_set: a keys view's dict).
def view_to_set(w: W_Object) -> W_Set:
    out = new_set(False)
    if isinstance(w, W_DictView) and (w as W_DictView).kind == VIEW_KEYS:
        set_add_all(out, (w as W_DictView).dict)
    else:
        set_add_all(out, w)
    return out

# a OP b (| & - ^) when either operand is a set-like dict view, as CPython's dictviews_*
# compute it (the result a set); None when neither is one or OP is no set operator.
def view_binop(a: W_Object, op: int, b: W_Object) -> W_Object:
    if not is_setlike_view(a) and not is_setlike_view(b):
        return None
    if op == OP_AND:
        return view_and(a, b)
    if op != OP_OR and op != OP_SUB and op != OP_XOR:
        return None
    out = view_to_set(a)
    if op == OP_OR:
        set_add_all(out, b)
    elif op == OP_SUB:
        if b is out:
            set_clear(out)
        else:
            set_discard_all(out, list_of_iterable(b))
    elif isinstance(b, W_Set):
        set_xor_update(out, b as W_Set)
    else:
        set_xor_update(out, set_of_arg(b))
    return out

def view_and(a: W_Object, b: W_Object) -> W_Object:
    view = a
    other = b
    if not is_setlike_view(view):
        view = b
        other = a
    n = len_of(view)
    if isinstance(other, W_Set) and n <= len_of(other):
        return set_intersection_m(args2(other, view))
    if is_setlike_view(other) and len_of(other) > n:
        tmp = view
        view = other
        other = tmp
    out = new_set(False)
    items = list_of_iterable(other)
    i = 0
    while i < len(items):
        if view_contains(view as W_DictView, items[i]):
            set_insert(out, items[i])
        i += 1
    return out

# `iter(f, sentinel)`: calls f() until it answers something equal to the sentinel.
struct W_CallIter(W_Iter):
    func: W_Object
    sentinel: W_Object
    done: bool

    def next_or_none(self) -> W_Object:
        if self.done:
            return None
        w = call_object(self.func, make_args(array[W_Object](0)))
        if eq_of(w, self.sentinel):
            self.done = True
            return None
        return w

def callable_iter(f: W_Object, sentinel: W_Object) -> W_Object:
    if bi_callable(args1(f)) is not W_TRUE:
        raise type_error("iter(v, w): v must be callable")
    return W_CallIter(func=f, sentinel=sentinel, done=False)
