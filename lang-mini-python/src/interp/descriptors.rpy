#! descriptors.rpy: `property`, `staticmethod`, `classmethod` and `super`.
#!
#! Invariants: a descriptor found on the type of an instance is resolved by `bind`
#! (classes.rpy): a property calls its getter, a staticmethod gives its function, a
#! classmethod binds to the class. `W_Super` looks attributes up in the MRO of its
#! object's type after `cls`. Zero-argument `super()` is resolved by the calling frame
#! (`op_call` in frame.rpy: the `__class__` cell and the first argument).

struct W_Property(W_Object):
    fget: W_Object
    fset: W_Object

    def get_type(self) -> W_Type:
        return DESCRS.property_type

struct W_StaticMethod(W_Object) immutable:
    func: W_Object

struct W_ClassMethod(W_Object) immutable:
    func: W_Object

struct W_Super(W_Object) immutable:
    cls: W_Type
    obj: W_Object

struct DescrTypes:
    property_type: W_Type
    super_builtin: W_Object

const DESCRS = DescrTypes(property_type=None, super_builtin=None)

def bi_property(a: Args) -> W_Object:
    check_args(a, "property", 1, 2)
    fset: W_Object = None
    if npos(a) == 2:
        fset = a.vals[1]
    return W_Property(fget=a.vals[0], fset=fset)

def property_setter(a: Args) -> W_Object:
    check_args(a, "setter", 2, 2)
    p = a.vals[0] as W_Property
    return W_Property(fget=p.fget, fset=a.vals[1])

def bi_staticmethod(a: Args) -> W_Object:
    check_args(a, "staticmethod", 1, 1)
    return W_StaticMethod(func=a.vals[0])

def bi_classmethod(a: Args) -> W_Object:
    check_args(a, "classmethod", 1, 1)
    return W_ClassMethod(func=a.vals[0])

def bi_super(a: Args) -> W_Object:
    if npos(a) != 2:
        raise guest_error("RuntimeError", "super(): no arguments")
    t = a.vals[0]
    if not isinstance(t, W_Type):
        raise type_error("super() argument 1 must be a type, not " + type_name(t))
    super_start(t as W_Type, a.vals[1])
    return W_Super(cls=t as W_Type, obj=a.vals[1])

# `super()` in a frame of `code`: its `__class__` cell and its first argument.
def zero_arg_super(code: Code, f: Frame) -> W_Object:
    i = 0
    cls: W_Object = None
    while i < len(code.cellnames):
        if name_of(code.cellnames[i]) == "__class__":
            cls = f.cells[i].value
        i += 1
    if cls is None or code.argcount == 0:
        raise guest_error("RuntimeError", "super(): no arguments")
    obj = f.locals[0]
    if obj is None:
        j = 0
        while j < code.ncellvars:
            if code.cellnames[j] == code.varnames[0]:
                obj = f.cells[j].value
            j += 1
    return W_Super(cls=cls as W_Type, obj=obj)

# An attribute through super: the MRO of the object's type after `cls`.
def super_lookup(s: W_Super, nid: int) -> W_Object:
    start = super_start(s.cls, s.obj)
    found = super_find(start, s.cls, TYPES.version, nid)
    if found is None:
        return None
    if isinstance(s.obj, W_Type):
        return bind_class(s.obj as W_Type, found)
    return bind(s.obj, found)

# A class attribute read through the class itself.
def bind_class(t: W_Type, found: W_Object) -> W_Object:
    if isinstance(found, W_ClassMethod):
        return W_BoundMethod(self_w=t, func=(found as W_ClassMethod).func)
    if isinstance(found, W_StaticMethod):
        return (found as W_StaticMethod).func
    return found

def setup_descriptors():
    o = SPACE.object_type
    pt = new_type("property", o, KIND_BUILTIN)
    pt.constructor = W_Builtin(name="property", f=bi_property)
    DESCRS.property_type = pt
    add_method(pt, "setter", property_setter)
    ns_set(SPACE.builtins, intern("property"), pt)
    add_builtin("staticmethod", bi_staticmethod)
    add_builtin("classmethod", bi_classmethod)
    add_builtin("super", bi_super)
    DESCRS.super_builtin = ns_get(SPACE.builtins, intern("super"))
