#! attrhooks.rpy: the attribute special methods of user classes: `__getattr__` (called
#! when the ordinary lookup finds nothing), `__setattr__` and `__delattr__` (called for
#! every store/deletion instead of the ordinary one), and their defaults
#! `object.__setattr__`/`object.__delattr__` (`generic_setattr`, `generic_delattr`).
#!
#! Vocabulary and invariants:
#! - `ATTR_HOOKS.setattr_seen` is quasi-immutable and becomes 1 the first time any class
#!   gets a `__setattr__` (a class body or an assignment to a class); until then an
#!   attribute store does not look for one, so programs without `__setattr__` pay one
#!   constant-folded load per store in the JIT.
#! - `getattr`/`hasattr` with `__getattr__`: its AttributeError counts as "no attribute".

struct AttrHooks:
    setattr_seen: int quasi
    object_setattr: W_Object
    object_delattr: W_Object

const ATTR_HOOKS = AttrHooks(setattr_seen=0, object_setattr=None, object_delattr=None)

def note_attr_hook(nid: int):
    if ATTR_HOOKS.setattr_seen == 0 and name_of(nid) == "__setattr__":
        ATTR_HOOKS.setattr_seen = 1

# w.name when the ordinary lookup found nothing: the class's `__getattr__`, or the
# AttributeError.
def getattr_hook(w: W_Object, nid: int) -> W_Object:
    m = special(w, "__getattr__")
    if m is None:
        raise attribute_error(w, nid)
    return call_special2(m, w, W_Str(value=name_of(nid)))

# w.name or None (for getattr with a default and hasattr): `__getattr__`'s AttributeError
# is None too.
def lookup_attr_hooked(w: W_Object, nid: int) -> W_Object:
    v = lookup_attr(w, nid)
    if v is not None:
        return v
    m = special(w, "__getattr__")
    if m is None:
        return None
    try:
        return call_special2(m, w, W_Str(value=name_of(nid)))
    except GuestError as e:
        if is_instance_of(e.w, builtin_type("AttributeError")):
            return None
        raise e
    return None

# w.name = v (STORE_ATTR, setattr).
def setattr_of(w: W_Object, nid: int, v: W_Object):
    if ATTR_HOOKS.setattr_seen != 0:
        m = special(w, "__setattr__")
        if m is not None and m is not ATTR_HOOKS.object_setattr:
            vals = array[W_Object](3)
            vals[0] = w
            vals[1] = W_Str(value=name_of(nid))
            vals[2] = v
            call_object(m, make_args(vals))
            return
    generic_setattr(w, nid, v)

# del w.name (DELETE_ATTR, delattr).
def delattr_of(w: W_Object, nid: int):
    m = special(w, "__delattr__")
    if m is not None and m is not ATTR_HOOKS.object_delattr:
        call_special2(m, w, W_Str(value=name_of(nid)))
        return
    generic_delattr(w, nid)

def object_setattr_m(a: Args) -> W_Object:
    check_args(a, "__setattr__", 3, 3)
    generic_setattr(a.vals[0], attr_name_arg(a), a.vals[2])
    return W_NONE

def object_delattr_m(a: Args) -> W_Object:
    check_args(a, "__delattr__", 2, 2)
    generic_delattr(a.vals[0], attr_name_arg(a))
    return W_NONE

def setup_attrhooks():
    o = SPACE.object_type
    add_method(o, "__setattr__", object_setattr_m)
    add_method(o, "__delattr__", object_delattr_m)
    ATTR_HOOKS.object_setattr = type_lookup(o, intern("__setattr__"))
    ATTR_HOOKS.object_delattr = type_lookup(o, intern("__delattr__"))
