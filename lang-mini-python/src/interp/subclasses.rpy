#! subclasses.rpy: user classes deriving from the builtin types `list` and `dict` (PyPy's
#! "user subclasses" of W_ListObject/W_DictObject; `float`, `tuple`, `set` and `frozenset` are
#! in valuesubclasses.rpy).
#!
#! Vocabulary and invariants:
#! - An instance of such a class is a `W_ListUser` (a `W_List`) or a `W_DictUser` (a
#!   `W_Dict`): a real list or dict for every builtin, method and fast path, whose
#!   `get_type` is its class (`cls`). Its own attributes live in `attrs`, a `W_Instance` of
#!   the same class used only for its map and storage (`user_attrs`).
#! - The class's kind is `KIND_SUBCLASS`; its builtin base is the first `KIND_BUILTIN`
#!   type on its base chain (`builtin_base`).
#! - Instances of namedtuple classes (`W_NamedTuple`, namedtuples.rpy) are sub objects too:
#!   real tuples with `cls` and `attrs` (None when their classes all have `__slots__`).
#! - `user_override(w, "__len__")` is the special method a user class on `w`'s chain defines
#!   before its builtin base, or None (always None for any other object): the operations of
#!   operations.rpy call it in their list/dict paths, so overridden special methods win, as
#!   CPython's type slots make them. The builtin methods (`append`, `update`, ...) work on
#!   the storage and never call overrides, as in CPython.
#! - The builtin base's own special methods (`list.__getitem__`, `dict.__setitem__`, ...),
#!   reached by `super()` or `list.__getitem__(self, i)`, run the operation on `plain_view`,
#!   a plain list/dict sharing the receiver's storage (written back by `sync_view` after a
#!   mutation that replaces it), so they never re-enter the override that called them.

const KIND_SUBCLASS = 3

struct W_ListUser(W_List):
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

struct W_DictUser(W_Dict):
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

struct W_IntUser(W_Int) immutable:
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

struct W_StrUser(W_Str) immutable:
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

# Whether a class may derive from the builtin type `t`.
def subclassable_builtin(t: W_Type) -> bool:
    if t is TYPES_BY_KIND.list_type or t is TYPES_BY_KIND.dict_type:
        return True
    return t is TYPES_BY_KIND.int_type or t is TYPES_BY_KIND.str_type or value_sub_base(t)

# The first builtin type on `t`'s base chain (`object` for a builtin type like `deque`
# that is a list only in its representation).
def builtin_base(t: W_Type) -> W_Type:
    cur = t
    while cur.kind != KIND_BUILTIN and cur.base is not None:
        cur = cur.base
    return cur

def is_sub_object(w: W_Object) -> bool:
    return isinstance(w, W_ListUser) or isinstance(w, W_DictUser) or isinstance(w, W_NamedTuple) or value_overridden(w)

# The attribute storage of a builtin-subclass object, or None for any other object.
def sub_attrs(w: W_Object) -> W_Instance:
    if isinstance(w, W_ListUser):
        return (w as W_ListUser).attrs
    if isinstance(w, W_DictUser):
        return (w as W_DictUser).attrs
    if isinstance(w, W_IntUser):
        return (w as W_IntUser).attrs
    if isinstance(w, W_StrUser):
        return (w as W_StrUser).attrs
    if isinstance(w, W_NamedTuple):
        return (w as W_NamedTuple).attrs
    return value_sub_attrs(w)

# The object holding w's own attributes: an instance itself, a subclass object's `attrs`.
def user_attrs(w: W_Object) -> W_Instance:
    if isinstance(w, W_Instance):
        return w as W_Instance
    return sub_attrs(w)

# The value of `nid` in the user classes of `t`'s chain (stopping at the builtin base).
@elidable
def sub_lookup_at(t: W_Type, version: int, nid: int) -> W_Object:
    mro = t.mro
    i = 0
    while i < len(mro) and mro[i].kind != KIND_BUILTIN:
        w = mro[i].dict.get(nid, None)
        if w is not None:
            return w
        i += 1
    return None

def user_override(w: W_Object, name: str) -> W_Object:
    if is_sub_object(w) or isinstance(w, W_IntUser) or isinstance(w, W_StrUser) or is_value_sub(w):
        return sub_lookup_at(w.get_type(), TYPES.version, intern(name))
    return None

# The special methods a subclass of int or str may define: the others would have to be
# honoured by the int and str fast paths of every operation, which do not look for them.
def scalar_override_allowed(name: str) -> bool:
    if len(name) < 5 or str_slice(name, 0, 2) != "__" or str_slice(name, len(name) - 2, len(name)) != "__":
        return True
    if name == "__init__" or name == "__new__" or name == "__repr__" or name == "__str__":
        return True
    if name == "__module__" or name == "__qualname__" or name == "__slots__" or name == "__doc__":
        return True
    return name == "__getattr__" or name == "__setattr__" or name == "__delattr__"

# A class deriving from int, str or a value type of valuesubclasses.rpy: every special
# method it or a user class before the builtin base on its MRO defines must be honoured
# (the overridable ones mark it for valueoverrides.rpy; any other is a NotImplementedError).
def check_subclass_body(t: W_Type):
    if nt_root(t) is not None:
        check_namedtuple_subclass(t)
        return
    base = builtin_base(t)
    if base is not TYPES_BY_KIND.int_type and base is not TYPES_BY_KIND.str_type and not value_sub_base(base):
        return
    install_value_dunders()
    m = 0
    while m < len(t.mro) and t.mro[m].kind != KIND_BUILTIN:
        keys = t.mro[m].dict.keys()
        i = 0
        while i < len(keys):
            name = name_of(keys[i])
            if not scalar_override_allowed(name) and not note_value_override(t, name):
                raise not_implemented("defining " + name + " in a subclass of '" + base.name + "'")
            i += 1
        m += 1

# Calling a class of kind KIND_SUBCLASS: its `__new__` (the builtin base's, which makes an
# empty list/dict or the int/str value of the arguments, or the user's), then `__init__`
# when that made an instance of the class.
def call_subclass(t: W_Type, a: Args) -> W_Object:
    new = type_lookup(t, intern("__new__"))
    if isinstance(new, W_StaticMethod):
        new = (new as W_StaticMethod).func
    obj = call_object(new, prepend_arg(t, a))
    if is_instance_of(obj, t):
        run_init(t, obj, a)
    return obj

# The class argument of a builtin type's `__new__`: `base` or one of its subclasses.
def new_cls_arg(a: Args, base: W_Type) -> W_Type:
    if npos(a) == 0:
        raise type_error(base.name + ".__new__(): not enough arguments")
    w = a.vals[0]
    if not isinstance(w, W_Type):
        raise type_error(base.name + ".__new__(X): X is not a type object (" + type_name(w) + ")")
    t = w as W_Type
    if not is_subtype(t, base):
        raise type_error(base.name + ".__new__(" + t.name + "): " + t.name + " is not a subtype of " + base.name)
    return t

def tail_args(a: Args) -> Args:
    return Args(vals=array_tail(a.vals, 1), kwnames=a.kwnames)

def list_new(a: Args) -> W_Object:
    t = new_cls_arg(a, TYPES_BY_KIND.list_type)
    items: list[W_Object] = []
    if t is TYPES_BY_KIND.list_type:
        return W_List(items=items)
    return W_ListUser(items=items, cls=t, attrs=new_instance(t))

def dict_new(a: Args) -> W_Object:
    t = new_cls_arg(a, TYPES_BY_KIND.dict_type)
    d: rdict[W_Object, W_Object] = dict_with(guest_hash, guest_eq)
    if t is TYPES_BY_KIND.dict_type:
        return W_Dict(d=d)
    return W_DictUser(d=d, cls=t, attrs=new_instance(t))

def int_new(a: Args) -> W_Object:
    t = new_cls_arg(a, TYPES_BY_KIND.int_type)
    v = call_object(TYPES_BY_KIND.int_type.constructor, tail_args(a))
    if t is TYPES_BY_KIND.int_type:
        return v
    if not isinstance(v, W_Int):
        raise not_implemented("an instance of a subclass of 'int' beyond 64 bits")
    return W_IntUser(value=(v as W_Int).value, cls=t, attrs=new_instance(t))

def str_new(a: Args) -> W_Object:
    t = new_cls_arg(a, TYPES_BY_KIND.str_type)
    v = call_object(TYPES_BY_KIND.str_type.constructor, tail_args(a))
    if t is TYPES_BY_KIND.str_type:
        return v
    return W_StrUser(value=(v as W_Str).value, cls=t, attrs=new_instance(t))

def add_new(t: W_Type, f: fn(Args) -> W_Object):
    type_set(t, intern("__new__"), W_StaticMethod(func=W_Builtin(name="__new__", f=f)))

# w.name for a subclass object's own attributes (a property on the class comes first), or
# None to go on with the class lookup.
def sub_getattr(w: W_Object, nid: int) -> W_Object:
    attrs = sub_attrs(w)
    if attrs is None:
        return None
    found = type_lookup(type_of(w), nid)
    if isinstance(found, W_Property):
        return bind(w, found)
    return instance_get(attrs, nid)

# w.name = v on a subclass object; False when `w` is not one.
def sub_setattr(w: W_Object, nid: int, v: W_Object) -> bool:
    attrs = sub_attrs(w)
    if attrs is None and not isinstance(w, W_NamedTuple):
        return False
    found = type_lookup(type_of(w), nid)
    if isinstance(found, W_Property):
        setter = (found as W_Property).fset
        if setter is None:
            raise guest_error("AttributeError", "property '" + name_of(nid) + "' of '" + type_name(w) + "' object has no setter")
        call_object(setter, args2(w, v))
        return True
    if attrs is None:
        return False
    instance_set(attrs, nid, v)
    return True

# a OP b when a user override of a subclass object answers it, else None.
def sub_binop(a: W_Object, op: int, b: W_Object, inplace: bool) -> W_Object:
    name = op_special(op)
    if inplace:
        m = user_override(a, "__i" + name + "__")
        if m is not None:
            r = call_special2(m, a, b)
            if r is not NOT_IMPLEMENTED:
                return r
    m = user_override(a, "__" + name + "__")
    if m is not None:
        r = call_special2(m, a, b)
        if r is not NOT_IMPLEMENTED:
            return r
    m = None
    if type_of(a) is not type_of(b):
        m = user_override(b, "__r" + name + "__")
    if m is not None:
        r = call_special2(m, b, a)
        if r is not NOT_IMPLEMENTED:
            return r
    return None

# a OP b (a comparison) when a user override of a subclass object answers it, else None.
# In CPython's order: b's reflected method first when b's class derives from a's, then a's
# method (its builtin base's comparison answers when b is of the same builtin kind: no
# reflected override of b is asked then), then b's reflected method.
def sub_compare(a: W_Object, op: int, b: W_Object) -> W_Object:
    rname = cmp_special(cmp_swapped(op))
    if type_of(a) is not type_of(b) and is_subtype(type_of(b), type_of(a)):
        m = user_override(b, rname)
        if m is not None:
            r = call_special2(m, b, a)
            if r is not NOT_IMPLEMENTED:
                return r
    m = user_override(a, cmp_special(op))
    if m is not None:
        r = call_special2(m, a, b)
        if r is not NOT_IMPLEMENTED:
            return r
    elif builtin_compares(a, op, b):
        return None
    m = user_override(b, rname)
    if m is not None:
        r = call_special2(m, b, a)
        if r is not NOT_IMPLEMENTED:
            return r
    return None

# Whether the builtin comparison of a's builtin base answers a OP b.
def builtin_compares(a: W_Object, op: int, b: W_Object) -> bool:
    if isinstance(a, W_Tuple) and isinstance(b, W_Tuple):
        return True
    if isinstance(a, W_List) and isinstance(b, W_List):
        return True
    if (is_number(a) and is_number(b)) or (isinstance(a, W_Str) and isinstance(b, W_Str)):
        return True
    if isinstance(a, W_Set) and isinstance(b, W_Set):
        return True
    return isinstance(a, W_Dict) and isinstance(b, W_Dict) and (op == CMP_EQ or op == CMP_NE)

# The truth of a subclass object with `__bool__` or `__len__` overridden, else None.
def sub_truth(w: W_Object) -> W_Object:
    m = user_override(w, "__bool__")
    if m is not None:
        r = call_special(m, w)
        if not isinstance(r, W_Bool):
            raise type_error("__bool__ should return bool, returned " + type_name(r))
        return r
    m = user_override(w, "__len__")
    if m is not None:
        return wrap_bool(int_of(call_special(m, w)) != 0)
    return None

# A plain list/dict sharing the storage of a subclass object (the object itself otherwise).
def plain_view(w: W_Object) -> W_Object:
    if isinstance(w, W_ListUser):
        return W_List(items=(w as W_ListUser).items)
    if isinstance(w, W_DictUser):
        return W_Dict(d=(w as W_DictUser).d)
    return plain_value(w)

def sync_view(w: W_Object, view: W_Object):
    if isinstance(w, W_ListUser):
        (w as W_ListUser).items = (view as W_List).items

# The receiver of a builtin base's special method, checked as CPython's descriptors do.
def base_receiver(a: Args, t: W_Type, name: str, nargs: int) -> W_Object:
    if npos(a) == 0:
        raise type_error("descriptor '" + name + "' of '" + t.name + "' object needs an argument")
    w = a.vals[0]
    if not is_instance_of(w, t):
        raise type_error("descriptor '" + name + "' for '" + t.name + "' objects doesn't apply to a '" + type_name(w) + "' object")
    if npos(a) != nargs + 1 or nkw(a) != 0:
        if nargs == 1:
            raise type_error(name + "() takes exactly one argument (" + int_to_str(npos(a) - 1) + " given)")
        raise type_error("expected " + int_to_str(nargs) + " arguments, got " + int_to_str(npos(a) - 1))
    return w

def list_dunder_init(a: Args) -> W_Object:
    if npos(a) == 0 or not isinstance(a.vals[0], W_List):
        base_receiver(a, TYPES_BY_KIND.list_type, "__init__", 0)
    if nkw(a) != 0:
        raise type_error("list() takes no keyword arguments")
    if npos(a) > 2:
        raise type_error("list expected at most 1 argument, got " + int_to_str(npos(a) - 1))
    w = a.vals[0] as W_List
    items: list[W_Object] = []
    if npos(a) == 2:
        items = list_of_iterable(a.vals[1])
    w.items = items
    return W_NONE

def dict_dunder_init(a: Args) -> W_Object:
    if npos(a) == 0 or not isinstance(a.vals[0], W_Dict):
        base_receiver(a, TYPES_BY_KIND.dict_type, "__init__", 0)
    if npos(a) > 2:
        raise type_error("dict expected at most 1 argument, got " + int_to_str(npos(a) - 1))
    return dict_update(a)

def list_dunder_getitem(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.list_type, "__getitem__", 1)
    return getitem(plain_view(w), a.vals[1])

def dict_dunder_getitem(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.dict_type, "__getitem__", 1)
    return getitem(plain_view(w), a.vals[1])

def list_dunder_setitem(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.list_type, "__setitem__", 2)
    view = plain_view(w)
    setitem(view, a.vals[1], a.vals[2])
    sync_view(w, view)
    return W_NONE

def dict_dunder_setitem(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.dict_type, "__setitem__", 2)
    setitem(plain_view(w), a.vals[1], a.vals[2])
    return W_NONE

def list_dunder_delitem(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.list_type, "__delitem__", 1)
    view = plain_view(w)
    delitem(view, a.vals[1])
    sync_view(w, view)
    return W_NONE

def dict_dunder_delitem(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.dict_type, "__delitem__", 1)
    delitem(plain_view(w), a.vals[1])
    return W_NONE

def list_dunder_contains(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.list_type, "__contains__", 1)
    return wrap_bool(contains(plain_view(w), a.vals[1]))

def dict_dunder_contains(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.dict_type, "__contains__", 1)
    return wrap_bool(contains(plain_view(w), a.vals[1]))

# `list.__iter__(self)`: iterates the object itself (its storage, as it changes).
def list_dunder_iter(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.list_type, "__iter__", 0)
    return W_SeqIter(seq=w, index=0)

def dict_dunder_iter(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.dict_type, "__iter__", 0)
    return dict_iter(w as W_Dict, VIEW_KEYS)

def list_dunder_repr(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.list_type, "__repr__", 0)
    return W_Str(value=repr_of(plain_view(w)))

def dict_dunder_repr(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.dict_type, "__repr__", 0)
    return W_Str(value=repr_of(plain_view(w)))

# `int.__repr__`, `str.__repr__`, `str.__str__` (for `super()` in an override): the
# builtin text of the value, never the override.
def int_dunder_repr(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.int_type, "__repr__", 0)
    if isinstance(w, W_Int):
        return W_Str(value=int_repr(W_Int(value=(w as W_Int).value)))
    return W_Str(value=repr_of(w))

def str_dunder_repr(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.str_type, "__repr__", 0)
    return W_Str(value=str_repr((w as W_Str).value))

def str_dunder_str(a: Args) -> W_Object:
    w = base_receiver(a, TYPES_BY_KIND.str_type, "__str__", 0)
    return W_Str(value=(w as W_Str).value)

def setup_subclasses():
    add_method(TYPES_BY_KIND.int_type, "__repr__", int_dunder_repr)
    add_method(TYPES_BY_KIND.str_type, "__repr__", str_dunder_repr)
    add_method(TYPES_BY_KIND.str_type, "__str__", str_dunder_str)
    add_new(TYPES_BY_KIND.list_type, list_new)
    add_new(TYPES_BY_KIND.dict_type, dict_new)
    add_new(TYPES_BY_KIND.int_type, int_new)
    add_new(TYPES_BY_KIND.str_type, str_new)
    lt = TYPES_BY_KIND.list_type
    add_method(lt, "__init__", list_dunder_init)
    add_method(lt, "__getitem__", list_dunder_getitem)
    add_method(lt, "__setitem__", list_dunder_setitem)
    add_method(lt, "__delitem__", list_dunder_delitem)
    add_method(lt, "__contains__", list_dunder_contains)
    add_method(lt, "__iter__", list_dunder_iter)
    add_method(lt, "__repr__", list_dunder_repr)
    dt = TYPES_BY_KIND.dict_type
    add_method(dt, "__init__", dict_dunder_init)
    add_method(dt, "__getitem__", dict_dunder_getitem)
    add_method(dt, "__setitem__", dict_dunder_setitem)
    add_method(dt, "__delitem__", dict_dunder_delitem)
    add_method(dt, "__contains__", dict_dunder_contains)
    add_method(dt, "__iter__", dict_dunder_iter)
    add_method(dt, "__repr__", dict_dunder_repr)
