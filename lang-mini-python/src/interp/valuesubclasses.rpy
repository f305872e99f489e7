#! valuesubclasses.rpy: user classes deriving from `float`, `tuple`, `set` and `frozenset`
#! (subclasses.rpy does `list`, `dict`, `int` and `str` the same way).
#!
#! Vocabulary and invariants:
#! - An instance is a `W_FloatUser`, `W_TupleUser` or `W_SetUser`: a real float, tuple or
#!   set (a `W_Float`/`W_Tuple`/`W_Set`) for every builtin, method, operator and fast path,
#!   whose `get_type` is its class (`cls`), with its own attributes in `attrs`
#!   (`sub_attrs`). Operators and methods give plain floats, tuples and sets, as CPython's.
#! - As for int and str, such a class (and every user class before the builtin base on its
#!   MRO) may define `__init__`, `__new__`, `__repr__`, `__str__`, the attribute hooks and
#!   the special methods valueoverrides.rpy honours (`check_subclass_body`): anything else
#!   is a NotImplementedError at class creation. `repr_of` asks `value_sub_repr` first for
#!   these objects.
#! - `__new__` of the builtin base makes the value: `float.__new__(cls, x)`,
#!   `tuple.__new__(cls, iterable)`, `frozenset.__new__(cls, iterable)`; `set.__new__(cls,
#!   ...)` makes an empty set that `set.__init__(self, iterable)` fills, as in CPython.
#! - The builtin `__repr__`s (`float.__repr__`, ...) exist for `super().__repr__()`; a set
#!   or frozenset subclass's builtin repr names the class: `S({1, 2})`, `S()`.

struct W_FloatUser(W_Float) immutable:
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

struct W_TupleUser(W_Tuple) immutable:
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

struct W_SetUser(W_Set):
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

def is_value_sub(w: W_Object) -> bool:
    return isinstance(w, W_FloatUser) or isinstance(w, W_TupleUser) or isinstance(w, W_SetUser)

# The attribute storage of such an object, or None.
def value_sub_attrs(w: W_Object) -> W_Instance:
    if isinstance(w, W_FloatUser):
        return (w as W_FloatUser).attrs
    if isinstance(w, W_TupleUser):
        return (w as W_TupleUser).attrs
    if isinstance(w, W_SetUser):
        return (w as W_SetUser).attrs
    return None

# The builtin types handled here.
def value_sub_base(t: W_Type) -> bool:
    if t is TYPES_BY_KIND.float_type or t is TYPES_BY_KIND.tuple_type:
        return True
    return t is SETS.set_type or t is SETS.frozenset_type

# repr(w) through the user's `__repr__` for such an object, else None.
def value_sub_repr(w: W_Object) -> W_Object:
    if not is_value_sub(w):
        return None
    m = user_override(w, "__repr__")
    if m is not None:
        return call_special(m, w)
    return W_Str(value=builtin_value_repr(w))

# The builtin repr of a float, tuple or set (a set subclass's names its class).
def builtin_value_repr(w: W_Object) -> str:
    if isinstance(w, W_Float):
        return float_to_str((w as W_Float).value)
    if isinstance(w, W_Tuple):
        return repr_items((w as W_Tuple).items, "(", ")", True)
    s = w as W_Set
    if not isinstance(w, W_SetUser):
        return set_repr(s)
    keys = table_items(s)
    if len(keys) == 0:
        return type_name(w) + "()"
    return type_name(w) + "(" + repr_items(list_array(keys), "{", "}", False) + ")"

def float_new(a: Args) -> W_Object:
    t = new_cls_arg(a, TYPES_BY_KIND.float_type)
    v = call_object(TYPES_BY_KIND.float_type.constructor, tail_args(a))
    if t is TYPES_BY_KIND.float_type:
        return v
    return W_FloatUser(value=(v as W_Float).value, cls=t, attrs=new_instance(t))

def tuple_new(a: Args) -> W_Object:
    t = new_cls_arg(a, TYPES_BY_KIND.tuple_type)
    v = call_object(TYPES_BY_KIND.tuple_type.constructor, tail_args(a))
    if t is TYPES_BY_KIND.tuple_type:
        return v
    return W_TupleUser(items=(v as W_Tuple).items, cls=t, attrs=new_instance(t))

def frozenset_new(a: Args) -> W_Object:
    t = new_cls_arg(a, SETS.frozenset_type)
    v = call_object(SETS.frozenset_type.constructor, tail_args(a))
    if t is SETS.frozenset_type:
        return v
    s = v as W_Set
    return W_SetUser(d=s.d, is_frozen=True, table=s.table, cls=t, attrs=new_instance(t))

def set_new(a: Args) -> W_Object:
    t = new_cls_arg(a, SETS.set_type)
    s = new_set(False)
    if t is SETS.set_type:
        return s
    return W_SetUser(d=s.d, is_frozen=False, table=s.table, cls=t, attrs=new_instance(t))

# `set.__init__(self, iterable=())`: the set's items become the iterable's.
def set_dunder_init(a: Args) -> W_Object:
    if npos(a) == 0 or not isinstance(a.vals[0], W_Set) or (a.vals[0] as W_Set).is_frozen:
        base_receiver(a, SETS.set_type, "__init__", 0)
    if nkw(a) != 0:
        raise type_error("set() takes no keyword arguments")
    if npos(a) > 2:
        raise type_error("set expected at most 1 argument, got " + int_to_str(npos(a) - 1))
    s = a.vals[0] as W_Set
    set_clear(s)
    if npos(a) == 2:
        set_add_all(s, a.vals[1])
    return W_NONE

def float_dunder_repr(a: Args) -> W_Object:
    return W_Str(value=builtin_value_repr(base_receiver(a, TYPES_BY_KIND.float_type, "__repr__", 0)))

def tuple_dunder_repr(a: Args) -> W_Object:
    return W_Str(value=builtin_value_repr(base_receiver(a, TYPES_BY_KIND.tuple_type, "__repr__", 0)))

def set_dunder_repr(a: Args) -> W_Object:
    return W_Str(value=builtin_value_repr(base_receiver(a, SETS.set_type, "__repr__", 0)))

def frozenset_dunder_repr(a: Args) -> W_Object:
    return W_Str(value=builtin_value_repr(base_receiver(a, SETS.frozenset_type, "__repr__", 0)))

def setup_value_subclasses():
    add_new(TYPES_BY_KIND.float_type, float_new)
    add_new(TYPES_BY_KIND.tuple_type, tuple_new)
    add_new(SETS.set_type, set_new)
    add_new(SETS.frozenset_type, frozenset_new)
    add_method(SETS.set_type, "__init__", set_dunder_init)
    add_method(TYPES_BY_KIND.float_type, "__repr__", float_dunder_repr)
    add_method(TYPES_BY_KIND.tuple_type, "__repr__", tuple_dunder_repr)
    add_method(SETS.set_type, "__repr__", set_dunder_repr)
    add_method(SETS.frozenset_type, "__repr__", frozenset_dunder_repr)
