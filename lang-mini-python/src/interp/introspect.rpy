#! introspect.rpy: `dir()` and a class's `__dict__` (`vars(cls)`, a `mappingproxy`), as
#! CPython 3.11 gives them.
#!
#! Vocabulary and invariants:
#! - A *plain class* is a user class whose MRO holds only user classes of kind
#!   KIND_INSTANCE and `object`, without `__slots__`. Only for those (their instances, and
#!   modules' and frames' names) does mini-Python know CPython's exact answer; `dir` of
#!   anything else (builtin values and types, exceptions, subclasses of builtin types,
#!   modules) raises NotImplementedError rather than print a different list.
#! - A plain class's CPython `__dict__` (`class_dict_keys`): its own dict in definition
#!   order less `__qualname__`, then `__dict__` and `__weakref__` (getset descriptors) when
#!   its layout base is `object`, then `__doc__` (None) when the body had no docstring.
#! - `dir(cls)` is the sorted union of those keys over the MRO and `OBJECT_DIR` (what
#!   `dir(object)` prints in CPython 3.11); `dir(obj)` adds the instance's attributes;
#!   a class defining `__dir__` has it called and its result sorted. `dir()` without
#!   arguments is answered from the calling frame (`FRAME_DIR`, typecall.rpy): a function's
#!   bound local names, a class body's namespace, or a module's globals with the names
#!   CPython's `__main__` module always has (`MAIN_DUNDERS`).
#! - A `W_MappingProxy` is live: each operation reads the class's dict again. Its `str` is
#!   the dict's repr, its `repr` `mappingproxy({...})`, as CPython's.

const OBJECT_DIR = "__class__ __delattr__ __dir__ __doc__ __eq__ __format__ __ge__ __getattribute__ __getstate__ __gt__ __hash__ __init__ __init_subclass__ __le__ __lt__ __ne__ __new__ __reduce__ __reduce_ex__ __repr__ __setattr__ __sizeof__ __str__ __subclasshook__"

const MAIN_DUNDERS = "__annotations__ __builtins__ __cached__ __doc__ __file__ __loader__ __name__ __package__ __spec__"

const FRAME_DIR = 3

struct W_MappingProxy(W_TypeMethods) immutable:
    cls: W_Type

    def get_type(self) -> W_Type:
        return INTROSPECT.proxy_type

# `<attribute '__dict__' of 'C' objects>`: a class's `__dict__`/`__weakref__` entry.
struct W_GetSetDescr(W_TypeMethods) immutable:
    name: str
    owner: W_Type

    def get_type(self) -> W_Type:
        return INTROSPECT.getset_type

struct IntrospectTypes:
    proxy_type: W_Type
    getset_type: W_Type
    # The getset descriptors made so far (one per class and name, as CPython's).
    getsets: list[W_GetSetDescr]

const INTROSPECT = IntrospectTypes(proxy_type=None, getset_type=None, getsets=None)

def getset_of(t: W_Type, name: str) -> W_GetSetDescr:
    i = 0
    while i < len(INTROSPECT.getsets):
        g = INTROSPECT.getsets[i]
        if g.owner is t and g.name == name:
            return g
        i += 1
    g = W_GetSetDescr(name=name, owner=t)
    INTROSPECT.getsets.append(g)
    return g

def is_plain_class(t: W_Type) -> bool:
    i = 0
    while i < len(t.mro):
        c = t.mro[i]
        if c is not SPACE.object_type:
            if c.kind != KIND_INSTANCE or c.module != "__main__":
                return False
            if intern("__slots__") in c.dict:
                return False
        i += 1
    return True

# Adds the words of `text` (space-separated) to `names`.
def add_words(names: dict[str, bool], text: str):
    start = 0
    i = 0
    while i <= len(text):
        if i == len(text) or text[i] == ' ':
            if i > start:
                names[str_slice(text, start, i)] = True
            start = i + 1
        i += 1

# The class's `__dict__` as CPython has it (see the header): keys and values in order.
def class_dict_keys(t: W_Type) -> list[str]:
    out: list[str] = []
    keys = t.dict.keys()
    i = 0
    while i < len(keys):
        name = name_of(keys[i])
        if name != "__qualname__" and name != "__classcell__":
            out.append(name)
        i += 1
    if t.base is SPACE.object_type:
        if intern("__dict__") not in t.dict:
            out.append("__dict__")
        if intern("__weakref__") not in t.dict:
            out.append("__weakref__")
    if intern("__doc__") not in t.dict:
        out.append("__doc__")
    return out

def class_dict_value(t: W_Type, name: str) -> W_Object:
    v = t.dict.get(intern(name), None)
    if v is not None:
        return v
    if name == "__dict__" or name == "__weakref__":
        return getset_of(t, name)
    return W_NONE

# A new dict holding the class's `__dict__` now.
def class_dict_snapshot(t: W_Type) -> W_Dict:
    d = new_dict()
    keys = class_dict_keys(t)
    i = 0
    while i < len(keys):
        d.d[W_Str(value=keys[i])] = class_dict_value(t, keys[i])
        i += 1
    return d

# `vars(cls)` / `cls.__dict__`.
def class_mappingproxy(t: W_Type) -> W_Object:
    if not is_plain_class(t):
        raise not_implemented("the __dict__ of the class '" + t.name + "' (a builtin type, or one deriving from one)")
    return W_MappingProxy(cls=t)

def sorted_names(names: dict[str, bool]) -> W_Object:
    keys = names.keys()
    items: list[W_Object] = []
    i = 0
    while i < len(keys):
        items.append(W_Str(value=keys[i]))
        i += 1
    sort_list(items, make_args(array[W_Object](0)))
    return W_List(items=items)

def add_class_names(names: dict[str, bool], t: W_Type):
    i = 0
    while i < len(t.mro):
        c = t.mro[i]
        if c is not SPACE.object_type:
            keys = class_dict_keys(c)
            j = 0
            while j < len(keys):
                names[keys[j]] = True
                j += 1
        i += 1
    add_words(names, OBJECT_DIR)

def dir_not_exact(w: W_Object) -> GuestError:
    return not_implemented("dir() of a '" + type_name(w) + "' object (its exact list of CPython's attributes)")

def bi_dir(a: Args) -> W_Object:
    if nkw(a) != 0:
        raise type_error("dir() takes no keyword arguments")
    if npos(a) > 1:
        raise type_error("dir expected at most 1 argument, got " + int_to_str(npos(a)))
    if npos(a) == 0:
        raise not_implemented("dir() without arguments called indirectly")
    w = a.vals[0]
    names: dict[str, bool] = {}
    if isinstance(w, W_Type):
        t = w as W_Type
        if not is_plain_class(t):
            raise dir_not_exact(w)
        add_class_names(names, t)
        return sorted_names(names)
    if not isinstance(w, W_Instance) or isinstance(w, W_BaseException):
        raise dir_not_exact(w)
    cls = (w as W_Instance).cls
    if not is_plain_class(cls):
        raise dir_not_exact(w)
    m = type_lookup(cls, intern("__dir__"))
    if m is not None:
        items = list_of_iterable(call_object(bind(w, m), make_args(array[W_Object](0))))
        sort_list(items, make_args(array[W_Object](0)))
        return W_List(items=items)
    inst = w as W_Instance
    ids = inst.map.names
    i = 0
    while i < len(ids):
        names[name_of(ids[i])] = True
        i += 1
    add_class_names(names, cls)
    return sorted_names(names)

# `dir()` in frame `f` (see the header).
def dir_of_frame(code: Code, f: Frame) -> W_Object:
    names: dict[str, bool] = {}
    if f.ns is not None:
        keys = f.ns.d.keys()
        i = 0
        while i < len(keys):
            names[name_of(keys[i])] = True
            i += 1
        if f.ns is f.globals:
            add_words(names, MAIN_DUNDERS)
        return sorted_names(names)
    d = frame_names(code, f, W_FrameBuiltin(name="locals", f=bi_locals, which=FRAME_LOCALS)) as W_Dict
    keys2 = d.d.keys()
    j = 0
    while j < len(keys2):
        names[str_of(keys2[j])] = True
        j += 1
    return sorted_names(names)

def proxy_self(a: Args, name: str) -> W_MappingProxy:
    w = a.vals[0]
    if not isinstance(w, W_MappingProxy):
        raise type_error("descriptor '" + name + "' for 'mappingproxy' objects doesn't apply to a '" + type_name(w) + "' object")
    return w as W_MappingProxy

def proxy_dict(a: Args, name: str) -> W_Dict:
    return class_dict_snapshot(proxy_self(a, name).cls)

# Calls the dict method `f` on a snapshot of the proxy's dict, with the same arguments.
def proxy_via_dict(a: Args, name: str, f: fn(Args) -> W_Object) -> W_Object:
    vals = array[W_Object](len(a.vals))
    vals[0] = proxy_dict(a, name)
    i = 1
    while i < len(a.vals):
        vals[i] = a.vals[i]
        i += 1
    return f(Args(vals=vals, kwnames=a.kwnames))

def proxy_getitem_m(a: Args) -> W_Object:
    check_args(a, "__getitem__", 2, 2)
    return getitem(proxy_dict(a, "__getitem__"), a.vals[1])

def proxy_contains_m(a: Args) -> W_Object:
    check_args(a, "__contains__", 2, 2)
    return wrap_bool(contains(proxy_dict(a, "__contains__"), a.vals[1]))

def proxy_iter_m(a: Args) -> W_Object:
    return iter_of(proxy_dict(a, "__iter__"))

def proxy_len_m(a: Args) -> W_Object:
    return W_Int(value=len(proxy_dict(a, "__len__").d))

def proxy_keys_m(a: Args) -> W_Object:
    return proxy_via_dict(a, "keys", dict_keys_view_m)

def proxy_values_m(a: Args) -> W_Object:
    return proxy_via_dict(a, "values", dict_values_view_m)

def proxy_items_m(a: Args) -> W_Object:
    return proxy_via_dict(a, "items", dict_items_view_m)

def proxy_get_m(a: Args) -> W_Object:
    return proxy_via_dict(a, "get", dict_get)

def proxy_copy_m(a: Args) -> W_Object:
    check_args(a, "copy", 1, 1)
    return proxy_dict(a, "copy")

def proxy_str_m(a: Args) -> W_Object:
    return W_Str(value=repr_of(proxy_dict(a, "__str__")))

def proxy_repr_m(a: Args) -> W_Object:
    return W_Str(value="mappingproxy(" + repr_of(proxy_dict(a, "__repr__")) + ")")

# ==, != and | as the dict's (CPython's mappingproxy delegates them).
def proxy_eq_m(a: Args) -> W_Object:
    return compare(proxy_dict(a, "__eq__"), CMP_EQ, a.vals[1])

def proxy_ne_m(a: Args) -> W_Object:
    return compare(proxy_dict(a, "__ne__"), CMP_NE, a.vals[1])

def proxy_or_m(a: Args) -> W_Object:
    return binop(proxy_dict(a, "__or__"), OP_OR, a.vals[1], False)

def proxy_setitem_m(a: Args) -> W_Object:
    raise type_error("'mappingproxy' object does not support item assignment")

def proxy_delitem_m(a: Args) -> W_Object:
    raise type_error("'mappingproxy' object does not support item deletion")

def getset_repr_m(a: Args) -> W_Object:
    g = a.vals[0] as W_GetSetDescr
    return W_Str(value="<attribute '" + g.name + "' of '" + g.owner.name + "' objects>")

def setup_introspect():
    t = new_type("mappingproxy", SPACE.object_type, KIND_BUILTIN)
    INTROSPECT.proxy_type = t
    add_method(t, "__getitem__", proxy_getitem_m)
    add_method(t, "__contains__", proxy_contains_m)
    add_method(t, "__iter__", proxy_iter_m)
    add_method(t, "__len__", proxy_len_m)
    add_method(t, "__str__", proxy_str_m)
    add_method(t, "__repr__", proxy_repr_m)
    add_method(t, "__setitem__", proxy_setitem_m)
    add_method(t, "__delitem__", proxy_delitem_m)
    add_method(t, "keys", proxy_keys_m)
    add_method(t, "values", proxy_values_m)
    add_method(t, "items", proxy_items_m)
    add_method(t, "get", proxy_get_m)
    add_method(t, "copy", proxy_copy_m)
    add_method(t, "__eq__", proxy_eq_m)
    add_method(t, "__ne__", proxy_ne_m)
    add_method(t, "__or__", proxy_or_m)
    g = new_type("getset_descriptor", SPACE.object_type, KIND_BUILTIN)
    INTROSPECT.getset_type = g
    getsets: list[W_GetSetDescr] = []
    INTROSPECT.getsets = getsets
    add_method(g, "__repr__", getset_repr_m)
    ns_set(SPACE.builtins, intern("dir"), W_FrameBuiltin(name="dir", f=bi_dir, which=FRAME_DIR))
