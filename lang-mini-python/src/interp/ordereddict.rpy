#! ordereddict.rpy: `collections.OrderedDict`, a builtin subclass of `dict` (kind
#! KIND_SUBCLASS, module "collections", as `Counter` in collectionsmod.rpy): its instances
#! are `W_DictUser`s, so every dict operation, method and fast path applies, and its own
#! methods are builtins in the type's dict, found by `user_override`.
#!
#! Invariants: the order is the `rdict`'s insertion order (as for every dict), so
#! `move_to_end(k, last=False)` rebuilds the table with `k` first; `==` between two
#! OrderedDicts compares the order too, with any other mapping it is dict equality
#! (`__eq__` answers NotImplemented and the dict path decides); the views are `odict_keys`/
#! `odict_values`/`odict_items` (`W_ODictView`, a `W_DictView` with its own type names).
#! Iterating an OrderedDict (`dict_iter`, dictviews.rpy, makes a `W_ODictIter`) raises
#! CPython's "OrderedDict mutated during iteration" when its size or its `state` (a count
#! of `move_to_end`s kept in its attributes) changed since the iterator was made. Not done:
#! deleting and re-inserting a key inside such a loop (same size, new order) goes unseen.

struct ODictTypes:
    odict_type: W_Type
    keys_type: W_Type
    values_type: W_Type
    items_type: W_Type

const ODICT = ODictTypes(odict_type=None, keys_type=None, values_type=None, items_type=None)

struct W_ODictView(W_DictView) immutable:
    def get_type(self) -> W_Type:
        if self.kind == VIEW_KEYS:
            return ODICT.keys_type
        if self.kind == VIEW_VALUES:
            return ODICT.values_type
        return ODICT.items_type

struct W_ODictIter(W_DictIter):
    od: W_DictUser
    state: int

    def next_or_none(self) -> W_Object:
        if len(self.dict.d) != self.size or odict_state(self.od) != self.state:
            raise guest_error("RuntimeError", "OrderedDict mutated during iteration")
        i = self.index
        if i >= len(self.keys):
            return None
        self.index = i + 1
        k = self.keys[i]
        if self.kind == VIEW_KEYS:
            return k
        if self.kind == VIEW_VALUES:
            return self.dict.d[k]
        return new_tuple2(k, self.dict.d[k])

def odict_iter(od: W_DictUser, kind: int) -> W_DictIter:
    return W_ODictIter(dict=od, keys=od.d.keys(), index=0, size=len(od.d), kind=kind, od=od, state=odict_state(od))

# How many times `move_to_end` reordered `od` (the order changes iterators must notice).
def odict_state(od: W_DictUser) -> int:
    w = instance_get(od.attrs, intern(" state"))
    if w is None:
        return 0
    return int_of(w)

def odict_self(a: Args, name: str) -> W_DictUser:
    return dict_self(a, ODICT.odict_type, name)

def is_odict(w: W_Object) -> bool:
    return isinstance(w, W_DictUser) and is_instance_of(w, ODICT.odict_type)

# The value of the boolean argument `last` (position 1 or keyword), True by default.
def last_arg(a: Args, name: str) -> bool:
    if npos(a) > 2:
        raise type_error(name + "() takes at most 1 argument (" + int_to_str(npos(a) - 1) + " given)")
    w = kwarg(a, "last")
    if npos(a) == 2:
        if w is not None:
            raise type_error("argument for " + name + "() given by name ('last') and position (1)")
        w = a.vals[1]
    if w is None:
        return True
    return is_true(w)

def od_popitem(a: Args) -> W_Object:
    od = odict_self(a, "popitem")
    last = last_arg(a, "popitem")
    keys = od.d.keys()
    if len(keys) == 0:
        raise key_error(W_Str(value="dictionary is empty"))
    k = keys[0]
    if last:
        k = keys[len(keys) - 1]
    v = od.d[k]
    del od.d[k]
    return new_tuple2(k, v)

def od_move_to_end(a: Args) -> W_Object:
    if npos(a) < 2:
        raise type_error("move_to_end() missing required argument 'key' (pos 1)")
    if npos(a) > 3:
        raise type_error("move_to_end() takes at most 2 arguments (" + int_to_str(npos(a) - 1) + " given)")
    od = odict_self(a, "move_to_end")
    key = a.vals[1]
    rest = Args(vals=array_tail(a.vals, 1), kwnames=a.kwnames)
    rest.vals[0] = od
    last = last_arg(rest, "move_to_end")
    if key not in od.d:
        raise key_error(key)
    keys = od.d.keys()
    end = 0
    if last:
        end = len(keys) - 1
    if eq_of(keys[end], key):
        return W_NONE
    instance_set(od.attrs, intern(" state"), W_Int(value=odict_state(od) + 1))
    v = od.d[key]
    if last:
        del od.d[key]
        od.d[key] = v
        return W_NONE
    fresh = new_dict()
    fresh.d[key] = v
    i = 0
    while i < len(keys):
        if not eq_of(keys[i], key):
            fresh.d[keys[i]] = od.d[keys[i]]
        i += 1
    od.d = fresh.d
    return W_NONE

def od_init(a: Args) -> W_Object:
    odict_self(a, "__init__")
    if npos(a) > 2:
        raise type_error("expected at most 1 arguments, got " + int_to_str(npos(a) - 1))
    return dict_update(a)

def od_repr(a: Args) -> W_Object:
    od = odict_self(a, "__repr__")
    if len(od.d) == 0:
        return W_Str(value=od.cls.name + "()")
    keys = od.d.keys()
    pairs = array[W_Object](len(keys))
    i = 0
    while i < len(keys):
        pairs[i] = new_tuple2(keys[i], od.d[keys[i]])
        i += 1
    return W_Str(value=od.cls.name + "(" + repr_items(pairs, "[", "]", False) + ")")

# OrderedDict == OrderedDict: the same items in the same order; with anything else the
# dict comparison decides (NotImplemented here).
def od_eq_m(a: Args) -> W_Object:
    check_args(a, "__eq__", 2, 2)
    od = odict_self(a, "__eq__")
    other = a.vals[1]
    if not is_odict(other):
        return NOT_IMPLEMENTED
    o = other as W_DictUser
    if len(od.d) != len(o.d):
        return W_FALSE
    ka = od.d.keys()
    kb = o.d.keys()
    i = 0
    while i < len(ka):
        if not eq_of(ka[i], kb[i]) or not eq_of(od.d[ka[i]], o.d[kb[i]]):
            return W_FALSE
        i += 1
    return W_TRUE

def od_ne_m(a: Args) -> W_Object:
    r = od_eq_m(a)
    if r is NOT_IMPLEMENTED:
        return r
    return wrap_bool(r is W_FALSE)

def od_copy(a: Args) -> W_Object:
    check_args(a, "copy", 1, 1)
    od = odict_self(a, "copy")
    return call_object(od.cls, args1(plain_view(od)))

# od | mapping and mapping | od: a new OrderedDict (of the OrderedDict operand's class).
def od_or_m(a: Args) -> W_Object:
    check_args(a, "__or__", 2, 2)
    od = odict_self(a, "__or__")
    if not isinstance(a.vals[1], W_Dict):
        return NOT_IMPLEMENTED
    out = call_object(od.cls, args1(plain_view(od)))
    dict_update(args2(out, a.vals[1]))
    return out

def od_ror_m(a: Args) -> W_Object:
    check_args(a, "__ror__", 2, 2)
    od = odict_self(a, "__ror__")
    if not isinstance(a.vals[1], W_Dict):
        return NOT_IMPLEMENTED
    out = call_object(od.cls, args1(plain_view(a.vals[1])))
    dict_update(args2(out, plain_view(od)))
    return out

def od_view(a: Args, name: str, kind: int) -> W_Object:
    check_args(a, name, 1, 1)
    od = odict_self(a, name)
    return W_ODictView(dict=od, kind=kind)

def od_keys(a: Args) -> W_Object:
    return od_view(a, "keys", VIEW_KEYS)

def od_values(a: Args) -> W_Object:
    return od_view(a, "values", VIEW_VALUES)

def od_items(a: Args) -> W_Object:
    return od_view(a, "items", VIEW_ITEMS)

def setup_ordereddict():
    m = SPACE.modules[intern("collections")] as W_Module
    t = new_type("OrderedDict", TYPES_BY_KIND.dict_type, KIND_SUBCLASS)
    t.module = "collections"
    ODICT.odict_type = t
    ODICT.keys_type = new_type("odict_keys", DICTVIEWS.keys_type, KIND_BUILTIN)
    ODICT.values_type = new_type("odict_values", DICTVIEWS.values_type, KIND_BUILTIN)
    ODICT.items_type = new_type("odict_items", DICTVIEWS.items_type, KIND_BUILTIN)
    add_method(t, "__init__", od_init)
    add_method(t, "popitem", od_popitem)
    add_method(t, "move_to_end", od_move_to_end)
    add_method(t, "__repr__", od_repr)
    add_method(t, "__eq__", od_eq_m)
    add_method(t, "__ne__", od_ne_m)
    add_method(t, "copy", od_copy)
    add_method(t, "__or__", od_or_m)
    add_method(t, "__ror__", od_ror_m)
    add_method(t, "keys", od_keys)
    add_method(t, "values", od_values)
    add_method(t, "items", od_items)
    ns_set(m.ns, intern("OrderedDict"), t)
