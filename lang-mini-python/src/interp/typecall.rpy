#! typecall.rpy: 3-argument `type(name, bases, dict)` and the namespace builtins `vars`,
#! `locals` and `globals`.
#!
#! Vocabulary and invariants:
#! - `type(name, bases, dict)` makes the class `make_class` (classes.rpy) makes for a class
#!   statement whose body left `dict`'s items in its namespace.
#! - `vars()`, `locals()` and `globals()` with no arguments need the calling frame: they are
#!   `W_FrameBuiltin`s, which `op_call_positional` (frame.rpy) answers with `frame_names`
#!   for the frame making the call, whatever name reached them (as CPython's answer for the
#!   running frame); called otherwise (`*args`, keywords, from a builtin) they fail closed
#!   with a NotImplementedError.
#! - `obj.__dict__` (classes.rpy's `lookup_attr`) is `vars(obj)`.
#! - In a function frame `locals()`/`vars()` is a new dict of the bound locals, then the
#!   cells (CPython 3.11's snapshot: writing to it changes no variable). For a module or
#!   class namespace and for `vars(obj)` it is a *names dict*: a `W_DictUser` of the type
#!   `NAMES.dict_type` (named `dict`) holding a snapshot of the names whose writes
#!   (`d[k] = v`, `del d[k]`, `update`) go through to the namespace or instance as well,
#!   as CPython's live `__dict__`'s do. Not done: a names dict does not see names bound
#!   after it was made, and its other mutating methods raise NotImplementedError.

const FRAME_VARS = 0
const FRAME_LOCALS = 1
const FRAME_GLOBALS = 2

struct W_FrameBuiltin(W_Builtin) immutable:
    which: int

struct NamesDicts:
    dict_type: W_Type

const NAMES = NamesDicts(dict_type=None)

def type_new3(a: Args) -> W_Object:
    if nkw(a) != 0:
        raise type_error("type() takes no keyword arguments")
    if not isinstance(a.vals[0], W_Str):
        raise type_error("type.__new__() argument 1 must be str, not " + type_name(a.vals[0]))
    if not isinstance(a.vals[1], W_Tuple):
        raise type_error("type.__new__() argument 2 must be tuple, not " + type_name(a.vals[1]))
    if not isinstance(a.vals[2], W_Dict):
        raise type_error("type.__new__() argument 3 must be dict, not " + type_name(a.vals[2]))
    ns = new_namespace()
    src = (a.vals[2] as W_Dict).d
    keys = src.keys()
    i = 0
    while i < len(keys):
        if not isinstance(keys[i], W_Str):
            raise not_implemented("a class namespace key that is not a str")
        ns_set(ns, intern((keys[i] as W_Str).value), src[keys[i]])
        i += 1
    if ns_get(ns, intern("__module__")) is None:
        ns_set(ns, intern("__module__"), W_Str(value="__main__"))
    if ns_get(ns, intern("__qualname__")) is None:
        ns_set(ns, intern("__qualname__"), a.vals[0])
    bases = (a.vals[1] as W_Tuple).items
    if len(bases) == 0:
        bases = array[W_Object](1)
        bases[0] = SPACE.object_type
    return make_class((a.vals[0] as W_Str).value, bases, ns)

# The answer to a zero-argument call of `fb` in frame `f` running `code`.
def frame_names(code: Code, f: Frame, fb: W_FrameBuiltin) -> W_Object:
    if fb.which == FRAME_DIR:
        return dir_of_frame(code, f)
    if fb.which == FRAME_GLOBALS:
        return names_dict_of_ns(f.globals)
    if f.ns is not None:
        return names_dict_of_ns(f.ns)
    d = new_dict()
    i = 0
    while i < len(code.varnames):
        if f.locals[i] is not None:
            d.d[W_Str(value=name_of(code.varnames[i]))] = f.locals[i]
        i += 1
    j = 0
    while j < len(code.cellnames):
        key = W_Str(value=name_of(code.cellnames[j]))
        if f.cells[j].value is not None and key not in d.d:
            d.d[key] = f.cells[j].value
        j += 1
    return d

# A names dict over a namespace: writes go to a module object wrapping it.
def names_dict_of_ns(ns: Namespace) -> W_Object:
    d = new_names_dict(W_Module(name="", ns=ns))
    keys = ns.d.keys()
    i = 0
    while i < len(keys):
        d.d[W_Str(value=name_of(keys[i]))] = ns.d[keys[i]]
        i += 1
    return d

def new_names_dict(target: W_Object) -> W_DictUser:
    rd: rdict[W_Object, W_Object] = dict_with(guest_hash, guest_eq)
    attrs = new_instance(NAMES.dict_type)
    instance_set(attrs, intern(" target"), target)
    return W_DictUser(d=rd, cls=NAMES.dict_type, attrs=attrs)

def names_target(d: W_DictUser) -> W_Object:
    return instance_get(d.attrs, intern(" target"))

def names_self(a: Args, name: str) -> W_DictUser:
    return dict_self(a, NAMES.dict_type, name)

def names_key(k: W_Object) -> int:
    if not isinstance(k, W_Str):
        raise not_implemented("a key that is not a str in a namespace's dict")
    return intern((k as W_Str).value)

def names_store(d: W_DictUser, k: W_Object, v: W_Object):
    nid = names_key(k)
    target = names_target(d)
    if isinstance(target, W_Instance):
        instance_set(target as W_Instance, nid, v)
    else:
        ns_set((target as W_Module).ns, nid, v)
    d.d[k] = v

def names_setitem(a: Args) -> W_Object:
    check_args(a, "__setitem__", 3, 3)
    names_store(names_self(a, "__setitem__"), a.vals[1], a.vals[2])
    return W_NONE

def names_delitem(a: Args) -> W_Object:
    check_args(a, "__delitem__", 2, 2)
    d = names_self(a, "__delitem__")
    k = a.vals[1]
    if k not in d.d:
        raise key_error(k)
    nid = names_key(k)
    target = names_target(d)
    if isinstance(target, W_Instance):
        instance_del(target as W_Instance, nid)
    else:
        ns_del((target as W_Module).ns, nid)
    del d.d[k]
    return W_NONE

def names_update(a: Args) -> W_Object:
    d = names_self(a, "update")
    pairs = new_dict()
    vals = array[W_Object](len(a.vals))
    vals[0] = pairs
    i = 1
    while i < len(a.vals):
        vals[i] = a.vals[i]
        i += 1
    dict_update(Args(vals=vals, kwnames=a.kwnames))
    keys = pairs.d.keys()
    j = 0
    while j < len(keys):
        names_store(d, keys[j], pairs.d[keys[j]])
        j += 1
    return W_NONE

def names_unsupported(a: Args) -> W_Object:
    raise not_implemented("this method on a namespace's dict (vars(), locals(), globals())")

def bi_vars(a: Args) -> W_Object:
    if npos(a) > 1:
        raise type_error("vars expected at most 1 argument, got " + int_to_str(npos(a)))
    if npos(a) == 0:
        raise not_implemented("vars() without arguments called indirectly")
    w = a.vals[0]
    if isinstance(w, W_Module):
        return names_dict_of_ns((w as W_Module).ns)
    if isinstance(w, W_Type):
        return class_mappingproxy(w as W_Type)
    if user_attrs(w) is None:
        raise type_error("vars() argument must have __dict__ attribute")
    return vars_of_object(w)

# `w.__dict__` of an object with attributes of its own (`user_attrs`), as a names dict.
def vars_of_object(w: W_Object) -> W_Object:
    inst = user_attrs(w)
    d = new_names_dict(inst)
    names = inst.map.names
    i = 0
    while i < len(names):
        d.d[W_Str(value=name_of(names[i]))] = inst.storage[i]
        i += 1
    return d

def bi_locals(a: Args) -> W_Object:
    raise not_implemented("locals() called indirectly")

def bi_globals(a: Args) -> W_Object:
    raise not_implemented("globals() called indirectly")

def setup_typecall():
    t = new_type("dict", TYPES_BY_KIND.dict_type, KIND_SUBCLASS)
    NAMES.dict_type = t
    add_method(t, "__setitem__", names_setitem)
    add_method(t, "__delitem__", names_delitem)
    add_method(t, "update", names_update)
    add_method(t, "pop", names_unsupported)
    add_method(t, "popitem", names_unsupported)
    add_method(t, "clear", names_unsupported)
    add_method(t, "setdefault", names_unsupported)
    add_method(t, "__ior__", names_unsupported)
    ns_set(SPACE.builtins, intern("vars"), W_FrameBuiltin(name="vars", f=bi_vars, which=FRAME_VARS))
    ns_set(SPACE.builtins, intern("locals"), W_FrameBuiltin(name="locals", f=bi_locals, which=FRAME_LOCALS))
    ns_set(SPACE.builtins, intern("globals"), W_FrameBuiltin(name="globals", f=bi_globals, which=FRAME_GLOBALS))
