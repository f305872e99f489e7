#! namedtuples.rpy: `collections.namedtuple`, classes whose instances are tuples with named
#! fields (CPython's Lib/collections/__init__.py namedtuple, written as builtins rather
#! than generated source).
#!
#! Vocabulary and invariants:
#! - A namedtuple class ("the root") is a KIND_SUBCLASS type deriving from `tuple`, marked
#!   by `_fields` (a tuple of str) in its own dict; its instances, and those of user
#!   classes deriving from it, are `W_NamedTuple`s: real `W_Tuple`s for every builtin, fast
#!   path and operation (indexing, unpacking, iteration, `len`, `==`, `hash`, `<`, `+`,
#!   `%`-formatting), whose `get_type` is their class (`cls`). `is_sub_object` counts them,
#!   so a special method a user subclass defines (or the root's `__repr__`) wins, as for
#!   the list/dict subclasses (subclasses.rpy; `check_subclass_body` lets them define any
#!   but `__bool__`/`__len__`, whose truth the tuple path would not see: NotImplementedError).
#! - Field `i` is a `W_FieldGetter` on the root, a property whose getter reads item `i` (the
#!   getter is `nt_field_get` bound to the index) and whose setter raises CPython's "can't
#!   set attribute".
#! - `attrs` (the instance's own attributes) is None when every class from the instance's
#!   class up to the root defines `__slots__` (the root does: `__slots__ = ()`), so such an
#!   instance has no attributes of its own, as in CPython; otherwise a `W_Instance`.
#! - The root's `__new__(cls, *fields)` binds arguments with CPython's messages for
#!   `T.__new__()` (T the root's name); `_make`, `_replace` and `tuple.__new__`-like paths
#!   build the instance directly, never calling a subclass's `__new__` or `__init__`.
#! Not done: field names outside ASCII (NotImplementedError).

struct W_NamedTuple(W_Tuple) immutable:
    cls: W_Type
    attrs: W_Instance

    def get_type(self) -> W_Type:
        return self.cls

# hash(w) when a user subclass decides it: its `__hash__`'s result, or the TypeError of a
# class with `__hash__ = None` or with `__eq__` and no `__hash__`; None for the tuple hash.
def nt_hash_override(w: W_NamedTuple) -> W_Object:
    m = user_override(w, "__hash__")
    if m is W_NONE or (m is None and user_override(w, "__eq__") is not None):
        raise type_error("unhashable type: '" + type_name(w) + "'")
    if m is None:
        return None
    return call_special(m, w)

# The descriptor of field `index` (CPython's `_collections._tuplegetter`): a property whose
# getter reads the item, with CPython's repr.
struct W_FieldGetter(W_Property):
    index: int

    def get_type(self) -> W_Type:
        return NT_TYPES.getter_type

    def default_repr(self) -> str:
        n = int_to_str(self.index)
        return "_tuplegetter(" + n + ", 'Alias for field number " + n + "')"

struct NamedTupleTypes:
    getter_type: W_Type

const NT_TYPES = NamedTupleTypes(getter_type=None)

# The root namedtuple class of `t` (the first on its chain with `_fields` of its own), or
# None.
def nt_root(t: W_Type) -> W_Type:
    fid = intern("_fields")
    cur = t
    while cur is not None and cur.kind == KIND_SUBCLASS:
        if fid in cur.dict and cur.base is TYPES_BY_KIND.tuple_type:
            return cur
        cur = cur.base
    return None

# A class deriving from a namedtuple: the operations honour its special methods (its
# instances are sub objects), except truth, which the tuple path of `is_true` decides.
def check_namedtuple_subclass(t: W_Type):
    m = 0
    while m < len(t.mro) and t.mro[m].kind != KIND_BUILTIN:
        d = t.mro[m].dict
        if intern("__bool__") in d or intern("__len__") in d:
            raise not_implemented("__bool__ or __len__ in a subclass of a namedtuple")
        m += 1

def nt_fields(root: W_Type) -> array[W_Object]:
    return (root.dict[intern("_fields")] as W_Tuple).items

# Whether instances of `t` have attributes of their own (some class below the root
# lacks `__slots__`).
def nt_has_dict(t: W_Type, root: W_Type) -> bool:
    sid = intern("__slots__")
    cur = t
    while cur is not root:
        if sid not in cur.dict:
            return True
        cur = cur.base
    return False

# A new instance of `t` (a namedtuple class or a subclass) holding `items`.
def nt_make_instance(t: W_Type, root: W_Type, items: array[W_Object]) -> W_NamedTuple:
    attrs: W_Instance = None
    if nt_has_dict(t, root):
        attrs = new_instance(t)
    return W_NamedTuple(items=items, cls=t, attrs=attrs)

# The class argument of a namedtuple's `__new__`/`_make`, checked.
def nt_cls_arg(a: Args, what: str) -> W_Type:
    if npos(a) == 0 or not isinstance(a.vals[0], W_Type):
        raise type_error(what + "(): the first argument must be a namedtuple class")
    t = a.vals[0] as W_Type
    if nt_root(t) is None:
        raise type_error(what + "(): '" + t.name + "' is not a namedtuple class")
    return t

# `T.__new__(cls, f0, f1, ...)`: the fields by position or keyword, defaults from
# `_field_defaults`, CPython's messages for a wrong call.
def nt_new(a: Args) -> W_Object:
    t = nt_cls_arg(a, "__new__")
    root = nt_root(t)
    fields = nt_fields(root)
    desc = root.name + ".__new__()"
    nf = len(fields)
    n = npos(a) - 1
    if n > nf:
        ndef = len(nt_defaults(root).d)
        if ndef > 0:
            raise type_error(desc + " takes from " + int_to_str(nf - ndef + 1) + " to " + int_to_str(nf + 1) + " positional arguments but " + int_to_str(n + 1) + " were given")
        raise type_error(desc + " takes " + plural(nf + 1, "positional argument") + " but " + int_to_str(n + 1) + " " + was_were(n + 1) + " given")
    items = array[W_Object](nf)
    i = 0
    while i < n:
        items[i] = a.vals[i + 1]
        i += 1
    k = nkw(a)
    j = 0
    while j < k:
        name = a.kwnames[j]
        found = nt_field_index(fields, name)
        if found < 0:
            raise type_error(desc + " got an unexpected keyword argument '" + name + "'")
        if items[found] is not None:
            raise type_error(desc + " got multiple values for argument '" + name + "'")
        items[found] = a.vals[npos(a) + j]
        j += 1
    defaults = nt_defaults(root)
    missing: list[str] = []
    p = 0
    while p < nf:
        if items[p] is None:
            if fields[p] in defaults.d:
                items[p] = defaults.d[fields[p]]
            else:
                missing.append((fields[p] as W_Str).value)
        p += 1
    if len(missing) > 0:
        raise type_error(desc + " missing " + plural(len(missing), "required positional argument") + ": " + names_list(missing))
    return nt_make_instance(t, root, items)

def nt_field_index(fields: array[W_Object], name: str) -> int:
    i = 0
    while i < len(fields):
        if (fields[i] as W_Str).value == name:
            return i
        i += 1
    return -1

def nt_defaults(root: W_Type) -> W_Dict:
    return root.dict[intern("_field_defaults")] as W_Dict

def nt_self(a: Args, name: str) -> W_NamedTuple:
    if npos(a) == 0 or not isinstance(a.vals[0], W_NamedTuple):
        raise type_error("descriptor '" + name + "' requires a namedtuple instance")
    return a.vals[0] as W_NamedTuple

# The getter of field `i`, bound to the index: `Args` (index, instance).
def nt_field_get(a: Args) -> W_Object:
    if npos(a) != 2 or not isinstance(a.vals[1], W_Tuple):
        raise type_error("descriptor for a namedtuple field requires a tuple")
    items = (a.vals[1] as W_Tuple).items
    i = int_of(a.vals[0])
    if i >= len(items):
        raise guest_error("IndexError", "tuple index out of range")
    return items[i]

def nt_field_set(a: Args) -> W_Object:
    raise guest_error("AttributeError", "can't set attribute")

def nt_repr(a: Args) -> W_Object:
    check_args(a, "__repr__", 1, 1)
    w = nt_self(a, "__repr__")
    fields = nt_fields(nt_root(w.cls))
    b = new_builder()
    builder_append(b, w.cls.name)
    builder_append(b, "(")
    i = 0
    while i < len(fields) and i < len(w.items):
        if i > 0:
            builder_append(b, ", ")
        builder_append(b, (fields[i] as W_Str).value)
        builder_append(b, "=")
        builder_append(b, repr_of(w.items[i]))
        i += 1
    builder_append(b, ")")
    return W_Str(value=builder_build(b))

# `T._make(iterable)` (a classmethod): an instance of the class it is called on.
def nt_make(a: Args) -> W_Object:
    check_args(a, "_make", 2, 2)
    t = nt_cls_arg(a, "_make")
    root = nt_root(t)
    items = list_of_iterable(a.vals[1])
    nf = len(nt_fields(root))
    if len(items) != nf:
        raise type_error("Expected " + int_to_str(nf) + " arguments, got " + int_to_str(len(items)))
    return nt_make_instance(t, root, list_array(items))

def nt_replace(a: Args) -> W_Object:
    if npos(a) != 1:
        raise type_error("_replace() takes 1 positional argument but " + int_to_str(npos(a)) + " were given")
    w = nt_self(a, "_replace")
    root = nt_root(w.cls)
    fields = nt_fields(root)
    items = array[W_Object](len(w.items))
    i = 0
    while i < len(w.items):
        items[i] = w.items[i]
        i += 1
    unexpected: list[W_Object] = []
    k = nkw(a)
    j = 0
    while j < k:
        found = nt_field_index(fields, a.kwnames[j])
        if found < 0:
            unexpected.append(W_Str(value=a.kwnames[j]))
        else:
            items[found] = a.vals[1 + j]
        j += 1
    if len(unexpected) > 0:
        raise guest_error("ValueError", "Got unexpected field names: " + repr_of(W_List(items=unexpected)))
    return nt_make_instance(w.cls, root, items)

def nt_asdict(a: Args) -> W_Object:
    check_args(a, "_asdict", 1, 1)
    w = nt_self(a, "_asdict")
    fields = nt_fields(nt_root(w.cls))
    d = new_dict()
    i = 0
    while i < len(fields) and i < len(w.items):
        d.d[fields[i]] = w.items[i]
        i += 1
    return d

def nt_getnewargs(a: Args) -> W_Object:
    check_args(a, "__getnewargs__", 1, 1)
    w = nt_self(a, "__getnewargs__")
    return W_Tuple(items=w.items)

const PY_KEYWORDS = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield"

def is_py_keyword(s: str) -> bool:
    words = split_spaces(PY_KEYWORDS)
    i = 0
    while i < len(words):
        if words[i] == s:
            return True
        i += 1
    return False

# `s` split at runs of spaces, tabs, newlines and commas (namedtuple's field string).
def split_spaces(s: str) -> list[str]:
    out: list[str] = []
    start = -1
    i = 0
    while i < len(s):
        if char_in(s[i], " \t\n\r,"):
            if start >= 0:
                out.append(str_slice(s, start, i))
                start = -1
        elif start < 0:
            start = i
        i += 1
    if start >= 0:
        out.append(str_slice(s, start, len(s)))
    return out

def is_ascii_identifier(s: str) -> bool:
    if len(s) == 0:
        return False
    i = 0
    while i < len(s):
        o = ord(s[i])
        if o >= 128:
            raise not_implemented("namedtuple field names outside ASCII")
        letter = (o >= 65 and o <= 90) or (o >= 97 and o <= 122) or o == 95
        digit = o >= 48 and o <= 57
        if not letter and not (digit and i > 0):
            return False
        i += 1
    return True

def nt_check_name(name: str):
    if not is_ascii_identifier(name):
        raise guest_error("ValueError", "Type names and field names must be valid identifiers: " + str_repr(name))
    if is_py_keyword(name):
        raise guest_error("ValueError", "Type names and field names cannot be a keyword: " + str_repr(name))

def nt_field_names(w: W_Object) -> list[str]:
    out: list[str] = []
    if isinstance(w, W_Str):
        return split_spaces((w as W_Str).value)
    items = list_of_iterable(w)
    i = 0
    while i < len(items):
        out.append(str_of(items[i]))
        i += 1
    return out

def contains_name(names: list[str], upto: int, s: str) -> bool:
    i = 0
    while i < upto:
        if names[i] == s:
            return True
        i += 1
    return False

# `namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)`.
def bi_namedtuple(a: Args) -> W_Object:
    if npos(a) != 2:
        if npos(a) < 2:
            raise type_error("namedtuple() missing required argument")
        raise type_error("namedtuple() takes 2 positional arguments but " + int_to_str(npos(a)) + " were given")
    k = 0
    while k < nkw(a):
        kw = a.kwnames[k]
        if kw != "rename" and kw != "defaults" and kw != "module":
            raise type_error("namedtuple() got an unexpected keyword argument '" + kw + "'")
        k += 1
    typename = str_of(a.vals[0])
    names = nt_field_names(a.vals[1])
    rename_w = kwarg(a, "rename")
    if rename_w is not None and is_true(rename_w):
        seen: list[str] = []
        i = 0
        while i < len(names):
            n = names[i]
            bad = False
            if len(n) > 0 and ord(n[0]) < 128 and not is_ascii_identifier(n):
                bad = True
            if len(n) == 0 or is_py_keyword(n) or n[0] == '_' or contains_name(seen, len(seen), n):
                bad = True
            seen.append(n)
            if bad:
                names[i] = "_" + int_to_str(i)
            i += 1
    nt_check_name(typename)
    j = 0
    while j < len(names):
        nt_check_name(names[j])
        j += 1
    j = 0
    while j < len(names):
        if names[j][0] == '_' and (rename_w is None or not is_true(rename_w)):
            raise guest_error("ValueError", "Field names cannot start with an underscore: " + str_repr(names[j]))
        if contains_name(names, j, names[j]):
            raise guest_error("ValueError", "Encountered duplicate field name: " + str_repr(names[j]))
        j += 1
    field_objs = array[W_Object](len(names))
    j = 0
    while j < len(names):
        field_objs[j] = W_Str(value=names[j])
        j += 1
    defaults = new_dict()
    dw = kwarg(a, "defaults")
    if dw is not None and dw is not W_NONE:
        dl = list_of_iterable(dw)
        if len(dl) > len(names):
            raise type_error("Got more default values than field names")
        d = 0
        while d < len(dl):
            defaults.d[field_objs[len(names) - len(dl) + d]] = dl[d]
            d += 1
    t = new_namedtuple_class(typename, field_objs, defaults)
    mw = kwarg(a, "module")
    if mw is not None and mw is not W_NONE:
        t.module = str_of(mw)
        type_set(t, intern("__module__"), W_Str(value=t.module))
    return t

def new_namedtuple_class(typename: str, fields: array[W_Object], defaults: W_Dict) -> W_Type:
    t = new_type(typename, TYPES_BY_KIND.tuple_type, KIND_SUBCLASS)
    t.module = "__main__"
    fields_t = W_Tuple(items=fields)
    type_set(t, intern("_fields"), fields_t)
    type_set(t, intern("__match_args__"), fields_t)
    type_set(t, intern("__slots__"), W_Tuple(items=array[W_Object](0)))
    type_set(t, intern("_field_defaults"), defaults)
    type_set(t, intern("__doc__"), W_Str(value=typename + "(" + join_names(fields) + ")"))
    type_set(t, intern("__module__"), W_Str(value="__main__"))
    type_set(t, intern("__qualname__"), W_Str(value=typename))
    type_set(t, intern("__new__"), W_StaticMethod(func=W_Builtin(name="__new__", f=nt_new)))
    type_set(t, intern("_make"), W_ClassMethod(func=W_Builtin(name="_make", f=nt_make)))
    add_method(t, "_replace", nt_replace)
    add_method(t, "_asdict", nt_asdict)
    add_method(t, "__repr__", nt_repr)
    add_method(t, "__getnewargs__", nt_getnewargs)
    getter = W_Builtin(name="_tuplegetter", f=nt_field_get)
    setter = W_Builtin(name="_tuplegetter", f=nt_field_set)
    i = 0
    while i < len(fields):
        fget = W_BoundMethod(self_w=W_Int(value=i), func=getter)
        type_set(t, intern((fields[i] as W_Str).value), W_FieldGetter(fget=fget, fset=setter, index=i))
        i += 1
    return t

def join_names(fields: array[W_Object]) -> str:
    b = new_builder()
    i = 0
    while i < len(fields):
        if i > 0:
            builder_append(b, ", ")
        builder_append(b, (fields[i] as W_Str).value)
        i += 1
    return builder_build(b)

def setup_namedtuple():
    m = SPACE.modules[intern("collections")] as W_Module
    NT_TYPES.getter_type = new_type("_tuplegetter", SPACE.object_type, KIND_SUBCLASS)
    NT_TYPES.getter_type.module = "_collections"
    ns_set(m.ns, intern("namedtuple"), W_Builtin(name="namedtuple", f=bi_namedtuple))
