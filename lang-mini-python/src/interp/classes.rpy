#! classes.rpy: user classes, their instances, attributes through maps (hidden classes),
#! `BUILD_CLASS`, and attribute access on every object (`getattr_of`, `setattr_of`).
#!
#! Vocabulary and invariants:
#! - `W_Instance`: its class (`cls`), a `Map` and `storage` (slot i holds the attribute the
#!   map numbers i). A map never changes once made: adding an attribute moves the instance
#!   to the map's transition for that name (made once, shared by every instance that gets
#!   the same attributes in the same order), so `map_index` and `map_with` are elidable and,
#!   with the map promoted, an attribute read is a constant-index load in the JIT and a new
#!   attribute's store a store and a constant map.
#! - Attribute lookup on an instance: the instance's storage, then the class chain
#!   (`type_lookup`); a function found on the class is bound (`W_BoundMethod`).
#! - `NOT_IMPLEMENTED` is the guest `NotImplemented`.

struct Map:
    index: dict[int, int]
    names: list[int]
    transitions: dict[int, Map]
    # `names` as an array, searched by a scan when short (`MAP_SCAN_MAX`): cheaper in
    # translated code than the probe of `index` (issue 18).
    ids: array[int]

const MAP_SCAN_MAX = 16

struct W_Instance(W_Object):
    cls: W_Type
    map: Map
    storage: list[W_Object]

    def get_type(self) -> W_Type:
        return self.cls

struct W_NotImplemented(W_Object) immutable:
    def get_type(self) -> W_Type:
        return SPACE.object_type

    def default_repr(self) -> str:
        return "NotImplemented"

const NOT_IMPLEMENTED = W_NotImplemented()

struct MapRoot:
    empty: Map

const MAPS = MapRoot(empty=None)

def new_map(names: list[int]) -> Map:
    index: dict[int, int] = {}
    i = 0
    while i < len(names):
        index[names[i]] = i
        i += 1
    tr: dict[int, Map] = {}
    ids = array[int](len(names))
    i = 0
    while i < len(names):
        ids[i] = names[i]
        i += 1
    return Map(index=index, names=names, transitions=tr, ids=ids)

@elidable
def map_index(m: Map, nid: int) -> int:
    ids = m.ids
    if len(ids) > MAP_SCAN_MAX:
        return m.index.get(nid, -1)
    i = 0
    while i < len(ids):
        if ids[i] == nid:
            return i
        i += 1
    return -1

# The map after `m` with attribute `nid` added: made once, then the same map for every
# caller, so it is elidable (PyPy's mapdict transitions): with the map promoted and the
# name constant, the JIT folds the transition to a constant map (an `__init__` storing its
# attributes compiles to stores and map writes, no dict probe).
@elidable
def map_with(m: Map, nid: int) -> Map:
    if nid in m.transitions:
        return m.transitions[nid]
    names: list[int] = []
    i = 0
    while i < len(m.names):
        names.append(m.names[i])
        i += 1
    names.append(nid)
    nm = new_map(names)
    m.transitions[nid] = nm
    return nm

def new_instance(cls: W_Type) -> W_Instance:
    storage: list[W_Object] = []
    return W_Instance(cls=cls, map=MAPS.empty, storage=storage)

def instance_get(inst: W_Instance, nid: int) -> W_Object:
    m = hint(inst.map, promote=True)
    i = map_index(m, nid)
    if i < 0:
        return None
    return inst.storage[i]

def instance_set(inst: W_Instance, nid: int, w: W_Object):
    m = hint(inst.map, promote=True)
    i = map_index(m, nid)
    if i >= 0:
        inst.storage[i] = w
        return
    inst.map = map_with(m, nid)
    inst.storage.append(w)

# Calling a type: a builtin type's constructor, or a new instance and its __init__.
def call_type(t: W_Type, a: Args) -> W_Object:
    if t.kind == KIND_SUBCLASS:
        return call_subclass(t, a)
    if t.kind == KIND_BUILTIN:
        if t.constructor is None:
            raise type_error("cannot create '" + t.name + "' instances")
        return call_object(t.constructor, a)
    if NEW_HOOKS.seen != 0 and t.kind == KIND_INSTANCE:
        made = call_with_new(t, a)
        if made is not None:
            return made
    inst: W_Instance = None
    if t.kind == KIND_EXCEPTION:
        inst = new_exception(t, a)
    else:
        inst = new_instance(t)
    init = type_lookup(t, KNOWN_NAMES.init)
    if init is NEW_HOOKS.object_init:
        init = None
    if init is not None:
        r = call_with_self(init, inst, a)
        if r is not W_NONE:
            raise type_error("__init__() should return None, not '" + type_name(r) + "'")
    elif t.kind == KIND_INSTANCE and len(a.vals) > 0:
        raise type_error(t.name + "() takes no arguments")
    return inst

def bind(w: W_Object, found: W_Object) -> W_Object:
    if isinstance(found, W_Property):
        getter = (found as W_Property).fget
        return call_object(getter, args1(w))
    if isinstance(found, W_StaticMethod):
        return (found as W_StaticMethod).func
    if isinstance(found, W_ClassMethod):
        return W_BoundMethod(self_w=type_of(w), func=(found as W_ClassMethod).func)
    if isinstance(found, W_Function):
        return W_BoundMethod(self_w=w, func=found)
    if isinstance(found, W_Builtin):
        return W_BoundMethod(self_w=w, func=found)
    return found

@dont_look_inside
def attribute_error(w: W_Object, nid: int) -> GuestError:
    if isinstance(w, W_Super):
        return guest_error("AttributeError", "'super' object has no attribute '" + name_of(nid) + "'")
    if isinstance(w, W_Type):
        return guest_error("AttributeError", "type object '" + (w as W_Type).name + "' has no attribute '" + name_of(nid) + "'")
    if isinstance(w, W_Module):
        return guest_error("AttributeError", "module '" + (w as W_Module).name + "' has no attribute '" + name_of(nid) + "'")
    return guest_error("AttributeError", "'" + type_name(w) + "' object has no attribute '" + name_of(nid) + "'")

# w.name, or None when there is no such attribute.
def lookup_attr(w: W_Object, nid: int) -> W_Object:
    if isinstance(w, W_Instance):
        cls_attr = type_lookup((w as W_Instance).cls, nid)
        if isinstance(cls_attr, W_Property):
            return bind(w, cls_attr)
        v = instance_get(w as W_Instance, nid)
        if v is not None:
            return v
    if isinstance(w, W_Super):
        return super_lookup(w as W_Super, nid)
    if isinstance(w, W_Type):
        v = type_lookup(w as W_Type, nid)
        if v is not None:
            return bind_class(w as W_Type, v)
        if nid == intern("__name__"):
            return W_Str(value=(w as W_Type).name)
        return type_meta_attr(w as W_Type, nid)
    if isinstance(w, W_Module):
        return ns_get((w as W_Module).ns, nid)
    own = sub_getattr(w, nid)
    if own is not None:
        return own
    found = type_lookup(type_of(w), nid)
    if found is not None:
        return bind(w, found)
    if nid == intern("__class__"):
        return type_of(w)
    if nid == intern("__dict__") and user_attrs(w) is not None:
        return vars_of_object(w)
    if isinstance(w, W_BaseException) and nid == intern("args"):
        return (w as W_BaseException).args
    if isinstance(w, W_BaseException) and nid == intern("value"):
        return stop_iteration_value(w as W_BaseException)
    if isinstance(w, W_BaseException) and nid == intern("__cause__"):
        return exception_link((w as W_BaseException).cause)
    if isinstance(w, W_BaseException) and nid == intern("__context__"):
        return exception_link((w as W_BaseException).context)
    if isinstance(w, W_Function) and nid == intern("__name__"):
        return W_Str(value=(w as W_Function).name)
    if isinstance(w, W_BoundMethod) and nid == intern("__name__"):
        return lookup_attr((w as W_BoundMethod).func, nid)
    if isinstance(w, W_Builtin) and nid == intern("__name__"):
        return W_Str(value=(w as W_Builtin).name)
    return value_attr_miss(w, nid)

def getattr_of(w: W_Object, nid: int) -> W_Object:
    v = lookup_attr(w, nid)
    if v is None:
        return getattr_hook(w, nid)
    return v

# w.name = v without the class's `__setattr__` (object.__setattr__; see attrhooks.rpy).
def generic_setattr(w: W_Object, nid: int, v: W_Object):
    if isinstance(w, W_Instance):
        prop = type_lookup((w as W_Instance).cls, nid)
        if isinstance(prop, W_Property):
            setter = (prop as W_Property).fset
            if setter is None:
                raise guest_error("AttributeError", "property '" + name_of(nid) + "' of '" + type_name(w) + "' object has no setter")
            call_object(setter, args2(w, v))
            return
        instance_set(w as W_Instance, nid, v)
        return
    if isinstance(w, W_Type):
        t = w as W_Type
        if t.kind == KIND_BUILTIN:
            raise type_error("cannot set '" + name_of(nid) + "' attribute of immutable type '" + t.name + "'")
        note_attr_hook(nid)
        note_new_hook(nid)
        type_set(t, nid, v)
        return
    if isinstance(w, W_Module):
        ns_set((w as W_Module).ns, nid, v)
        return
    if sub_setattr(w, nid, v):
        return
    raise guest_error("AttributeError", "'" + type_name(w) + "' object has no attribute '" + name_of(nid) + "'")

# BUILD_CLASS: runs the body function on a fresh namespace and makes the class.
def build_class(body: W_Function, name: str, bases: array[W_Object]) -> W_Object:
    ns = new_namespace()
    f = new_frame(body.code, body.globals, ns, body.closure)
    SPACE.depth += 1
    try:
        cell = eval_frame(body.code, f)
    finally:
        SPACE.depth -= 1
    t = make_class(name, bases, ns)
    if isinstance(cell, W_Cell):
        (cell as W_Cell).value = t
    return t

# The class `name` with `bases` and the names of `ns` (a class body's, or `type`'s third
# argument): BUILD_CLASS and 3-argument `type` (typecall.rpy). Not looked inside by the
# JIT: made once per class statement, and its loops (the MRO, the namespace's names) unrolled
# on constants made module-level code compiled from before a class statement exceed the
# compilation budget at each of its positions in turn.
@dont_look_inside
def make_class(name: str, bases: array[W_Object], ns: Namespace) -> W_Type:
    base = SPACE.object_type
    base_list = class_bases(bases)
    if len(base_list) > 0:
        base = layout_base(base_list)
    kind = KIND_INSTANCE
    if is_subtype(base, TYPES_BY_KIND.base_exception):
        kind = KIND_EXCEPTION
    elif base.kind == KIND_SUBCLASS or subclassable_builtin(base):
        kind = KIND_SUBCLASS
    elif base.kind == KIND_BUILTIN and base is not SPACE.object_type:
        raise not_implemented("subclassing the builtin type '" + base.name + "'")
    t = new_type(name, base, kind)
    t.module = "__main__"
    if len(base_list) > 1:
        set_bases(t, base_list)
    keys = ns.d.keys()
    i = 0
    while i < len(keys):
        t.dict[keys[i]] = ns.d[keys[i]]
        note_attr_hook(keys[i])
        note_new_hook(keys[i])
        i += 1
    static_new(t)
    if kind == KIND_SUBCLASS:
        check_subclass_body(t)
    TYPES.version += 1
    return t

def is_instance_of(w: W_Object, t: W_Type) -> bool:
    return is_subtype(type_of(w), t)

def class_check(w: W_Object, cls: W_Object, what: str) -> bool:
    if isinstance(cls, W_Type):
        return is_subtype(type_of(w), cls as W_Type)
    if isinstance(cls, W_Tuple):
        items = (cls as W_Tuple).items
        i = 0
        while i < len(items):
            if class_check(w, items[i], what):
                return True
            i += 1
        return False
    raise type_error(what)

def bi_isinstance(a: Args) -> W_Object:
    check_args(a, "isinstance", 2, 2)
    return wrap_bool(class_check(a.vals[0], a.vals[1], "isinstance() arg 2 must be a type, a tuple of types, or a union"))

def bi_type(a: Args) -> W_Object:
    if npos(a) == 3:
        return type_new3(a)
    if npos(a) != 1 or nkw(a) != 0:
        raise type_error("type() takes 1 or 3 arguments")
    return type_of(a.vals[0])

def bi_getattr(a: Args) -> W_Object:
    check_args(a, "getattr", 2, 3)
    nid = attr_name_arg(a)
    v = lookup_attr_hooked(a.vals[0], nid)
    if v is None:
        if npos(a) == 3:
            return a.vals[2]
        raise attribute_error(a.vals[0], nid)
    return v

def bi_setattr(a: Args) -> W_Object:
    check_args(a, "setattr", 3, 3)
    setattr_of(a.vals[0], attr_name_arg(a), a.vals[2])
    return W_NONE

def bi_hasattr(a: Args) -> W_Object:
    check_args(a, "hasattr", 2, 2)
    return wrap_bool(lookup_attr_hooked(a.vals[0], attr_name_arg(a)) is not None)

def setup_classes():
    names: list[int] = []
    MAPS.empty = new_map(names)
    add_builtin("isinstance", bi_isinstance)
    add_builtin("getattr", bi_getattr)
    add_builtin("setattr", bi_setattr)
    add_builtin("hasattr", bi_hasattr)
    SPACE.type_type.constructor = W_Builtin(name="type", f=bi_type)
    ns_set(SPACE.builtins, intern("type"), SPACE.type_type)
    ns_set(SPACE.builtins, intern("object"), SPACE.object_type)
    ns_set(SPACE.builtins, intern("NotImplemented"), NOT_IMPLEMENTED)
