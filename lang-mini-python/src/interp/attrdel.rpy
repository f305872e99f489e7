#! attrdel.rpy: deleting attributes (`del obj.name`, the DELETE_ATTR opcode, and `delattr`).
#!
#! Vocabulary and invariants:
#! - An instance's attribute is deleted by moving the instance to the map of its remaining
#!   attributes in their order, reached from the empty map through the usual transitions
#!   (`map_with`), so maps stay immutable and shared: two instances that end with the same
#!   attributes in the same order share one map, however they got there.
#! - A property found on the class is a data descriptor: deleting through it raises
#!   CPython 3.11's "has no deleter" (properties here have no `fdel`).
#! - Class attributes are deleted from the type's dict (bumping the quasi-immutable
#!   `TYPES.version`), module attributes from the module's namespace; builtin types and
#!   other objects raise CPython's AttributeError/TypeError messages.

# Removes `nid` from an instance's attributes; False when it has none of that name.
def instance_del(inst: W_Instance, nid: int) -> bool:
    m = inst.map
    gone = map_index(m, nid)
    if gone < 0:
        return False
    nm = MAPS.empty
    storage: list[W_Object] = []
    i = 0
    while i < len(m.names):
        if i != gone:
            nm = map_with(nm, m.names[i])
            storage.append(inst.storage[i])
        i += 1
    inst.map = nm
    inst.storage = storage
    return True

@dont_look_inside
def no_deleter_error(w: W_Object, nid: int) -> GuestError:
    return guest_error("AttributeError", "property '" + name_of(nid) + "' of '" + type_name(w) + "' object has no deleter")

# del w.name without the class's `__delattr__` (object.__delattr__; see attrhooks.rpy).
def generic_delattr(w: W_Object, nid: int):
    attrs = user_attrs(w)
    if attrs is not None:
        if isinstance(type_lookup(type_of(w), nid), W_Property):
            raise no_deleter_error(w, nid)
        if instance_del(attrs, nid):
            return
        raise attribute_error(w, nid)
    if isinstance(w, W_Type):
        t = w as W_Type
        if t.kind == KIND_BUILTIN:
            raise type_error("cannot set '" + name_of(nid) + "' attribute of immutable type '" + t.name + "'")
        if type_del(t, nid):
            return
        raise attribute_error(w, nid)
    if isinstance(w, W_Module):
        if ns_del((w as W_Module).ns, nid):
            return
        raise guest_error("AttributeError", "'module' object has no attribute '" + name_of(nid) + "'")
    if type_lookup(type_of(w), nid) is not None:
        raise guest_error("AttributeError", "'" + type_name(w) + "' object attribute '" + name_of(nid) + "' is read-only")
    raise guest_error("AttributeError", "'" + type_name(w) + "' object has no attribute '" + name_of(nid) + "'")

# The name argument of getattr/setattr/hasattr/delattr, with CPython's message.
def attr_name_arg(a: Args) -> int:
    w = a.vals[1]
    if not isinstance(w, W_Str):
        raise type_error("attribute name must be string, not '" + type_name(w) + "'")
    return intern((w as W_Str).value)

def bi_delattr(a: Args) -> W_Object:
    check_args(a, "delattr", 2, 2)
    delattr_of(a.vals[0], attr_name_arg(a))
    return W_NONE

def setup_attrdel():
    add_builtin("delattr", bi_delattr)
