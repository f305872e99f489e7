#! instantiation.rpy: `object.__init__`, `object.__new__` and user-defined `__new__`.
#!
#! Vocabulary and invariants:
#! - Calling a user class (`call_type`) makes the instance and calls `__init__` found on
#!   the class; `object.__init__` itself is never called that way (it does nothing), only
#!   explicitly (`super().__init__()`), when it checks its arguments as CPython does.
#! - A class body defining `__new__` (implicitly a static method, as in CPython) sets the
#!   quasi-immutable `NEW_HOOKS.seen`; only then does instantiating a plain class look for
#!   a `__new__` (`call_with_new`): it is called with the class and the arguments, and
#!   `__init__` runs only when it returns an instance of the class.
#! - Subclasses of builtin types (subclasses.rpy) always go through their `__new__` (the
#!   builtin base's, `int.__new__(cls, x)`, or the user's).

struct NewHooks:
    seen: int quasi
    object_init: W_Object
    object_new: W_Object

const NEW_HOOKS = NewHooks(seen=0, object_init=None, object_new=None)

# A class body's `__new__` function becomes a static method (as CPython makes it).
def static_new(t: W_Type):
    nid = intern("__new__")
    if nid in t.dict and isinstance(t.dict[nid], W_Function):
        type_set(t, nid, W_StaticMethod(func=t.dict[nid]))

def note_new_hook(nid: int):
    if NEW_HOOKS.seen == 0 and name_of(nid) == "__new__":
        NEW_HOOKS.seen = 1

# The callable `__new__` of `t` (a static method unwrapped), or None when it is object's.
def user_new(t: W_Type) -> W_Object:
    found = type_lookup(t, intern("__new__"))
    if found is None or found is NEW_HOOKS.object_new:
        return None
    if isinstance(found, W_StaticMethod):
        return (found as W_StaticMethod).func
    return found

# Runs `__init__` of `t` on a fresh `obj` (none when it is object's).
def run_init(t: W_Type, obj: W_Object, a: Args):
    init = type_lookup(t, KNOWN_NAMES.init)
    if init is None or init is NEW_HOOKS.object_init:
        return
    r = call_with_self(init, obj, a)
    if r is not W_NONE:
        raise type_error("__init__() should return None, not '" + type_name(r) + "'")

# Instantiates a plain class through its user `__new__`, or None when it has none.
def call_with_new(t: W_Type, a: Args) -> W_Object:
    new = user_new(t)
    if new is None:
        return None
    obj = call_object(new, prepend_arg(t, a))
    if is_instance_of(obj, t):
        run_init(t, obj, a)
    return obj

def object_init_m(a: Args) -> W_Object:
    if npos(a) == 0:
        raise type_error("descriptor '__init__' of 'object' object needs an argument")
    if len(a.vals) > 1:
        t = type_of(a.vals[0])
        if type_lookup(t, intern("__init__")) is not NEW_HOOKS.object_init:
            raise type_error("object.__init__() takes exactly one argument (the instance to initialize)")
        if user_new(t) is None:
            raise type_error(t.name + "() takes no arguments")
    return W_NONE

def object_new_m(a: Args) -> W_Object:
    if npos(a) == 0:
        raise type_error("object.__new__(): not enough arguments")
    w = a.vals[0]
    if not isinstance(w, W_Type):
        raise type_error("object.__new__(X): X is not a type object (" + type_name(w) + ")")
    t = w as W_Type
    if t.kind != KIND_INSTANCE:
        base = t
        while base.kind != KIND_BUILTIN and base.kind != KIND_INSTANCE:
            base = base.base
        if t.kind == KIND_EXCEPTION:
            base = TYPES_BY_KIND.base_exception
        raise type_error("object.__new__(" + t.name + ") is not safe, use " + base.name + ".__new__()")
    if len(a.vals) > 1:
        if user_new(t) is not None:
            raise type_error("object.__new__() takes exactly one argument (the type to instantiate)")
        raise type_error(t.name + "() takes no arguments")
    return new_instance(t)

def setup_instantiation():
    o = SPACE.object_type
    add_method(o, "__init__", object_init_m)
    NEW_HOOKS.object_init = type_lookup(o, intern("__init__"))
    NEW_HOOKS.object_new = W_StaticMethod(func=W_Builtin(name="__new__", f=object_new_m))
    type_set(o, intern("__new__"), NEW_HOOKS.object_new)
