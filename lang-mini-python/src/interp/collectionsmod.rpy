#! collectionsmod.rpy: the `collections` module's `defaultdict` and `Counter`, written as
#! builtin subclasses of `dict` (kind KIND_SUBCLASS, module "collections"): their instances
#! are `W_DictUser`s, so every dict operation, method and fast path applies, and their
#! own methods (`__missing__`, `__repr__`, `most_common`, ...) are builtins in the type's
#! dict, found by `user_override` like a user subclass's (subclasses.rpy).
#!
#! Invariants: a defaultdict keeps its factory in its attribute `default_factory` (None:
#! a missing key is a KeyError); a Counter's missing keys count 0 and are not stored;
#! `most_common` and the repr order by count, ties in insertion order (CPython's stable
#! sort); Counter arithmetic keeps only positive counts. `deque` is in dequemod.rpy,
#! `namedtuple` in namedtuples.rpy, `OrderedDict` in ordereddict.rpy. Not done: the rest of
#! the module (`ChainMap`, `UserDict`, ...: no such attribute).

struct CollectionTypes:
    defaultdict_type: W_Type
    counter_type: W_Type

const COLLECTIONS = CollectionTypes(defaultdict_type=None, counter_type=None)

def dict_self(a: Args, t: W_Type, name: str) -> W_DictUser:
    if npos(a) == 0 or not isinstance(a.vals[0], W_DictUser) or not is_instance_of(a.vals[0], t):
        raise type_error("descriptor '" + name + "' requires a '" + qualified_type_name(t) + "' object")
    return a.vals[0] as W_DictUser

def factory_of(d: W_DictUser) -> W_Object:
    w = instance_get(d.attrs, intern("default_factory"))
    if w is None:
        return W_NONE
    return w

def dd_init(a: Args) -> W_Object:
    d = dict_self(a, COLLECTIONS.defaultdict_type, "__init__")
    factory: W_Object = W_NONE
    rest = 1
    if npos(a) > 1:
        factory = a.vals[1]
        rest = 2
        if factory is not W_NONE and bi_callable(args1(factory)) is not W_TRUE:
            raise type_error("first argument must be callable or None")
    instance_set(d.attrs, intern("default_factory"), factory)
    if npos(a) > rest + 1:
        raise type_error("dict expected at most 1 argument, got " + int_to_str(npos(a) - rest))
    vals = array[W_Object](len(a.vals) - rest + 1)
    vals[0] = d
    i = rest
    while i < len(a.vals):
        vals[i - rest + 1] = a.vals[i]
        i += 1
    dict_update(Args(vals=vals, kwnames=a.kwnames))
    return W_NONE

def dd_missing(a: Args) -> W_Object:
    check_args(a, "__missing__", 2, 2)
    d = dict_self(a, COLLECTIONS.defaultdict_type, "__missing__")
    factory = factory_of(d)
    if factory is W_NONE:
        raise key_error(a.vals[1])
    v = call_object(factory, make_args(array[W_Object](0)))
    setitem(d, a.vals[1], v)
    return v

def dd_repr(a: Args) -> W_Object:
    d = dict_self(a, COLLECTIONS.defaultdict_type, "__repr__")
    return W_Str(value=d.cls.name + "(" + repr_of(factory_of(d)) + ", " + repr_of(plain_view(d)) + ")")

def dd_copy(a: Args) -> W_Object:
    check_args(a, "copy", 1, 1)
    d = dict_self(a, COLLECTIONS.defaultdict_type, "copy")
    return call_object(d.cls, args2(factory_of(d), plain_view(d)))

def counter_self(a: Args, name: str) -> W_DictUser:
    return dict_self(a, COLLECTIONS.counter_type, name)

# Counts `w` into `c`: a mapping's counts are added, any other iterable's items counted.
def counter_add_from(c: W_DictUser, w: W_Object, sign: int):
    if isinstance(w, W_Dict):
        src = (w as W_Dict).d
        keys = src.keys()
        i = 0
        while i < len(keys):
            v = src[keys[i]]
            if sign < 0:
                v = unary_negative(v)
            c.d[keys[i]] = binop(counter_get(c, keys[i]), OP_ADD, v, False)
            i += 1
        return
    items = list_of_iterable(w)
    j = 0
    while j < len(items):
        c.d[items[j]] = binop(counter_get(c, items[j]), OP_ADD, W_Int(value=sign), False)
        j += 1

def counter_get(c: W_DictUser, k: W_Object) -> W_Object:
    if k in c.d:
        return c.d[k]
    return W_Int(value=0)

def counter_kw(c: W_DictUser, a: Args, sign: int):
    if nkw(a) == 0:
        return
    kw = new_dict()
    n = nkw(a)
    first = len(a.vals) - n
    i = 0
    while i < n:
        kw.d[W_Str(value=a.kwnames[i])] = a.vals[first + i]
        i += 1
    counter_add_from(c, kw, sign)

def counter_update(a: Args) -> W_Object:
    c = counter_self(a, "update")
    if npos(a) > 2:
        raise type_error("expected at most 1 argument, got " + int_to_str(npos(a) - 1))
    if npos(a) == 2 and a.vals[1] is not W_NONE:
        counter_add_from(c, a.vals[1], 1)
    counter_kw(c, a, 1)
    return W_NONE

def counter_subtract(a: Args) -> W_Object:
    c = counter_self(a, "subtract")
    if npos(a) > 2:
        raise type_error("expected at most 1 argument, got " + int_to_str(npos(a) - 1))
    if npos(a) == 2 and a.vals[1] is not W_NONE:
        counter_add_from(c, a.vals[1], -1)
    counter_kw(c, a, -1)
    return W_NONE

def counter_missing(a: Args) -> W_Object:
    check_args(a, "__missing__", 2, 2)
    return W_Int(value=0)

# The (key, count) pairs by count, largest first, ties in insertion order.
def counter_sorted(c: W_DictUser) -> list[W_Object]:
    keys = c.d.keys()
    items: list[W_Object] = []
    counts: list[W_Object] = []
    i = 0
    while i < len(keys):
        items.append(new_tuple2(keys[i], c.d[keys[i]]))
        counts.append(c.d[keys[i]])
        i += 1
    sort_by_keys(items, counts, True)
    return items

def counter_most_common(a: Args) -> W_Object:
    check_args(a, "most_common", 1, 2)
    c = counter_self(a, "most_common")
    items = counter_sorted(c)
    if npos(a) == 2 and a.vals[1] is not W_NONE:
        n = int_of(a.vals[1])
        out: list[W_Object] = []
        i = 0
        while i < n and i < len(items):
            out.append(items[i])
            i += 1
        return W_List(items=out)
    return W_List(items=items)

def counter_elements(a: Args) -> W_Object:
    check_args(a, "elements", 1, 1)
    c = counter_self(a, "elements")
    out: list[W_Object] = []
    keys = c.d.keys()
    i = 0
    while i < len(keys):
        n = int_of(c.d[keys[i]])
        j = 0
        while j < n:
            out.append(keys[i])
            j += 1
        i += 1
    return W_ListIter(items=out, index=0)

def counter_total(a: Args) -> W_Object:
    check_args(a, "total", 1, 1)
    c = counter_self(a, "total")
    keys = c.d.keys()
    t: W_Object = W_Int(value=0)
    i = 0
    while i < len(keys):
        t = binop(t, OP_ADD, c.d[keys[i]], False)
        i += 1
    return t

def counter_repr(a: Args) -> W_Object:
    c = counter_self(a, "__repr__")
    if len(c.d) == 0:
        return W_Str(value=c.cls.name + "()")
    items = counter_sorted(c)
    d = new_dict()
    i = 0
    while i < len(items):
        pair = (items[i] as W_Tuple).items
        d.d[pair[0]] = pair[1]
        i += 1
    return W_Str(value=c.cls.name + "(" + repr_of(d) + ")")

def new_counter() -> W_DictUser:
    t = COLLECTIONS.counter_type
    return call_object(t, make_args(array[W_Object](0))) as W_DictUser

# Counter + - | & Counter: per key, the sum, difference, max or min; positive counts kept.
def counter_binop(a: Args, op: int) -> W_Object:
    c = counter_self(a, "__add__")
    other = a.vals[1]
    if not isinstance(other, W_DictUser) or not is_instance_of(other, COLLECTIONS.counter_type):
        return NOT_IMPLEMENTED
    o = other as W_DictUser
    out = new_counter()
    keys = c.d.keys()
    i = 0
    while i < len(keys):
        counter_put(out, keys[i], c.d[keys[i]], counter_get(o, keys[i]), op)
        i += 1
    okeys = o.d.keys()
    j = 0
    while j < len(okeys):
        if not (okeys[j] in c.d):
            counter_put(out, okeys[j], W_Int(value=0), o.d[okeys[j]], op)
        j += 1
    return out

def counter_put(out: W_DictUser, k: W_Object, x: W_Object, y: W_Object, op: int):
    v: W_Object = None
    if op == OP_ADD:
        v = binop(x, OP_ADD, y, False)
    elif op == OP_SUB:
        v = binop(x, OP_SUB, y, False)
    elif op == OP_OR:
        v = x
        if is_true(compare(y, CMP_GT, x)):
            v = y
    else:
        v = x
        if is_true(compare(y, CMP_LT, x)):
            v = y
    if is_true(compare(v, CMP_GT, W_Int(value=0))):
        out.d[k] = v

def counter_add_m(a: Args) -> W_Object:
    check_args(a, "__add__", 2, 2)
    return counter_binop(a, OP_ADD)

def counter_sub_m(a: Args) -> W_Object:
    check_args(a, "__sub__", 2, 2)
    return counter_binop(a, OP_SUB)

def counter_or_m(a: Args) -> W_Object:
    check_args(a, "__or__", 2, 2)
    return counter_binop(a, OP_OR)

def counter_and_m(a: Args) -> W_Object:
    check_args(a, "__and__", 2, 2)
    return counter_binop(a, OP_AND)

# Counter == Counter treats missing keys as zero counts (CPython 3.10+).
def counter_eq_m(a: Args) -> W_Object:
    check_args(a, "__eq__", 2, 2)
    c = counter_self(a, "__eq__")
    other = a.vals[1]
    if not isinstance(other, W_DictUser) or not is_instance_of(other, COLLECTIONS.counter_type):
        return NOT_IMPLEMENTED
    o = other as W_DictUser
    return wrap_bool(counter_le(c, o) and counter_le(o, c))

def counter_le(x: W_DictUser, y: W_DictUser) -> bool:
    keys = x.d.keys()
    i = 0
    while i < len(keys):
        if not eq_of(x.d[keys[i]], counter_get(y, keys[i])):
            return False
        i += 1
    return True

def counter_ne_m(a: Args) -> W_Object:
    r = counter_eq_m(a)
    if r is NOT_IMPLEMENTED:
        return r
    return wrap_bool(r is W_FALSE)

def counter_init(a: Args) -> W_Object:
    counter_self(a, "__init__")
    return counter_update(a)

def setup_collections():
    m = new_module("collections")
    dt = TYPES_BY_KIND.dict_type
    dd = new_type("defaultdict", dt, KIND_SUBCLASS)
    dd.module = "collections"
    COLLECTIONS.defaultdict_type = dd
    add_method(dd, "__init__", dd_init)
    add_method(dd, "__missing__", dd_missing)
    add_method(dd, "__repr__", dd_repr)
    add_method(dd, "copy", dd_copy)
    ns_set(m.ns, intern("defaultdict"), dd)
    ct = new_type("Counter", dt, KIND_SUBCLASS)
    ct.module = "collections"
    COLLECTIONS.counter_type = ct
    add_method(ct, "__init__", counter_init)
    add_method(ct, "__missing__", counter_missing)
    add_method(ct, "__repr__", counter_repr)
    add_method(ct, "update", counter_update)
    add_method(ct, "subtract", counter_subtract)
    add_method(ct, "most_common", counter_most_common)
    add_method(ct, "elements", counter_elements)
    add_method(ct, "total", counter_total)
    add_method(ct, "__add__", counter_add_m)
    add_method(ct, "__sub__", counter_sub_m)
    add_method(ct, "__or__", counter_or_m)
    add_method(ct, "__and__", counter_and_m)
    add_method(ct, "__eq__", counter_eq_m)
    add_method(ct, "__ne__", counter_ne_m)
    ns_set(m.ns, intern("Counter"), ct)
