#! mro.rpy: multiple inheritance: a class's bases, its method resolution order (C3, as
#! CPython's `mro_implementation`), the layout base, `super` through the MRO, and the type
#! attributes `__mro__`, `__bases__`, `__base__` and `mro()`.
#!
#! Vocabulary and invariants:
#! - `t.bases` are the bases as written; `t.mro` is `t` then C3's merge of the bases'
#!   MROs and the list of bases; it is fixed when the class is made, so every lookup
#!   (`type_lookup_at`, `is_subtype`, `sub_lookup_at`, `super_find`) walks it in order.
#! - The layout base (`t.base`) is the base whose instances the class's instances are made
#!   like: the base with the most derived builtin layout ("solid" type: `list`, `dict`,
#!   `int`, `str`, ..., `BaseException` for every exception, `object` for plain classes),
#!   or the first base when all are plain. Two bases with unrelated solid types are
#!   CPython's "multiple bases have instance lay-out conflict".
#! - `super(C, obj)` looks in the MRO of `obj`'s type (or of `obj` itself when it is a
#!   subclass of `C`) after `C`; `super_find` is elidable on the types' version.

# The builtin type whose instance layout `t`'s instances have (see the header).
def solid_type(t: W_Type) -> W_Type:
    cur = t
    while cur.module == "__main__" and cur.base is not None:
        cur = cur.base
    if is_subtype(cur, TYPES_BY_KIND.base_exception):
        return TYPES_BY_KIND.base_exception
    return cur

# The base among `bases` that gives the layout (raises CPython's errors for duplicate
# bases and conflicting layouts).
def layout_base(bases: list[W_Type]) -> W_Type:
    i = 0
    while i < len(bases):
        j = 0
        while j < i:
            if bases[j] is bases[i]:
                raise type_error("duplicate base class " + bases[i].name)
            j += 1
        i += 1
    winner = SPACE.object_type
    chosen: W_Type = None
    i = 0
    while i < len(bases):
        s = solid_type(bases[i])
        if is_subtype(s, winner):
            if s is not winner or chosen is None:
                if s is not SPACE.object_type:
                    chosen = bases[i]
            winner = s
        elif not is_subtype(winner, s):
            raise type_error("multiple bases have instance lay-out conflict")
        i += 1
    if chosen is None:
        return bases[0]
    return chosen

def mro_copy(l: list[W_Type]) -> list[W_Type]:
    out: list[W_Type] = []
    i = 0
    while i < len(l):
        out.append(l[i])
        i += 1
    return out

# Whether `t` appears in one of `seqs` after that sequence's head (`heads[k]`).
def in_some_tail(t: W_Type, seqs: list[list[W_Type]], heads: list[int]) -> bool:
    k = 0
    while k < len(seqs):
        s = seqs[k]
        i = heads[k] + 1
        while i < len(s):
            if s[i] is t:
                return True
            i += 1
        k += 1
    return False

@dont_look_inside
def mro_error(seqs: list[list[W_Type]], heads: list[int]) -> GuestError:
    names: list[W_Type] = []
    k = 0
    while k < len(seqs):
        if heads[k] < len(seqs[k]):
            h = seqs[k][heads[k]]
            seen = False
            j = 0
            while j < len(names):
                if names[j] is h:
                    seen = True
                j += 1
            if not seen:
                names.append(h)
        k += 1
    b = new_builder()
    i = 0
    while i < len(names):
        if i > 0:
            builder_append(b, ", ")
        builder_append(b, names[i].name)
        i += 1
    return type_error("Cannot create a consistent method resolution\norder (MRO) for bases " + builder_build(b))

# C3: `t`, then repeatedly the first head of the sequences (the bases' MROs, then the
# bases) found in no sequence's tail, taken off every sequence it heads.
def c3_mro(t: W_Type, bases: list[W_Type]) -> list[W_Type]:
    seqs: list[list[W_Type]] = []
    heads: list[int] = []
    i = 0
    while i < len(bases):
        seqs.append(bases[i].mro)
        heads.append(0)
        i += 1
    seqs.append(bases)
    heads.append(0)
    out: list[W_Type] = []
    out.append(t)
    while True:
        cand: W_Type = None
        left = False
        k = 0
        while k < len(seqs) and cand is None:
            if heads[k] < len(seqs[k]):
                left = True
                h = seqs[k][heads[k]]
                if not in_some_tail(h, seqs, heads):
                    cand = h
            k += 1
        if not left:
            return out
        if cand is None:
            raise mro_error(seqs, heads)
        out.append(cand)
        k = 0
        while k < len(seqs):
            if heads[k] < len(seqs[k]) and seqs[k][heads[k]] is cand:
                heads[k] += 1
            k += 1

# Gives the class `t` made by a class statement its bases and MRO.
def set_bases(t: W_Type, bases: list[W_Type]):
    t.bases = mro_copy(bases)
    t.mro = c3_mro(t, t.bases)
    TYPES.version += 1

# The bases of a class statement as types (CPython's message for anything else).
def class_bases(bases: array[W_Object]) -> list[W_Type]:
    out: list[W_Type] = []
    i = 0
    while i < len(bases):
        b = bases[i]
        if not isinstance(b, W_Type):
            raise type_error("bases must be types")
        out.append(b as W_Type)
        i += 1
    return out

# The value of `nid` in `start`'s MRO after `cls` (None when there is none).
@elidable
def super_find(start: W_Type, cls: W_Type, version: int, nid: int) -> W_Object:
    mro = start.mro
    i = 0
    while i < len(mro) and mro[i] is not cls:
        i += 1
    i += 1
    while i < len(mro):
        w = mro[i].dict.get(nid, None)
        if w is not None:
            return w
        i += 1
    return None

# The type whose MRO `super(cls, obj)` follows; a TypeError when `obj` is neither an
# instance nor a subclass of `cls`.
def super_start(cls: W_Type, obj: W_Object) -> W_Type:
    if isinstance(obj, W_Type) and is_subtype(obj as W_Type, cls):
        return obj as W_Type
    t = type_of(obj)
    if not is_subtype(t, cls):
        raise type_error("super(type, obj): obj must be an instance or subtype of type")
    return t

def types_tuple(l: list[W_Type]) -> W_Object:
    items = array[W_Object](len(l))
    i = 0
    while i < len(l):
        items[i] = l[i]
        i += 1
    return W_Tuple(items=items)

def type_mro_m(a: Args) -> W_Object:
    check_args(a, "mro", 1, 1)
    w = a.vals[0]
    if not isinstance(w, W_Type):
        raise type_error("descriptor 'mro' for 'type' objects doesn't apply to a '" + type_name(w) + "' object")
    items: list[W_Object] = []
    mro = (w as W_Type).mro
    i = 0
    while i < len(mro):
        items.append(mro[i])
        i += 1
    return W_List(items=items)

# The attributes every type has beyond its dict (None for any other name).
def type_meta_attr(t: W_Type, nid: int) -> W_Object:
    name = name_of(nid)
    if name == "__mro__":
        return types_tuple(t.mro)
    if name == "__bases__":
        return types_tuple(t.bases)
    if name == "__base__":
        if t.base is None:
            return W_NONE
        return t.base
    if name == "mro":
        return W_BoundMethod(self_w=t, func=MRO_METHODS.mro)
    if name == "__dict__":
        return class_mappingproxy(t)
    return value_type_attr(t, nid)

struct MroMethods:
    mro: W_Object

const MRO_METHODS = MroMethods(mro=None)

def setup_mro():
    MRO_METHODS.mro = W_Builtin(name="mro", f=type_mro_m)
