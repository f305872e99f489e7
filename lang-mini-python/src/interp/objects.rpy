#! objects.rpy: the root of guest objects, type objects, the interned names, namespaces and
#! the interpreter's global state (`SPACE`).
#!
#! Vocabulary and invariants:
#! - Every guest value is a `W_Object` (PyPy's W_Root); `None` in RPy is never a guest value
#!   except where a function says so (a missing result, "not found", NotImplemented).
#! - `W_Type` is a type object: a name, a base (None for `object`), a dict of name id ->
#!   value (methods, class attributes) and a quasi-immutable `version` bumped by every
#!   store into the dict of any type, so `type_lookup` (elidable on the version) folds in
#!   the JIT. `kind` says what calling the type makes (KIND_* below). Each type also keeps
#!   what lookups through its bases found (`lookup_cache`, emptied when the version moves),
#!   so translated code pays one dict probe per lookup, hit or miss, not one per base.
#! - `mro` lists the types a lookup visits in order (the type itself first); without
#!   multiple inheritance it is the chain of `base`s.
#! - Names (globals, attributes, keyword names) are interned to small ints by `intern`, one
#!   table per run shared by every code object (the loader interns the code's names).
#! - `Namespace`: name id -> value with a quasi-immutable version (module globals, the
#!   builtins, class bodies); `ns_lookup` is elidable on the version (PyPy's module dicts).
#! - Builtin functions (`W_Builtin`) take an `Args` (positional values then keyword values,
#!   `kwnames` naming the last ones, None when there are none) and are registered by name
#!   with `add_builtin` (the builtins module) or `add_method` (a type's dict) in the setup
#!   function of the file that defines them (`setup` in loader.rpy calls each one).

# What calling a type object makes.
const KIND_BUILTIN = 0
const KIND_INSTANCE = 1
const KIND_EXCEPTION = 2

struct W_Object:
    def get_type(self) -> W_Type:
        return SPACE.object_type

    # `<T object at 0x...>` (CPython's default repr).
    def default_repr(self) -> str:
        return "<" + qualified_type_name(self.get_type()) + " object at 0x" + int_to_str_base(id(self), 16) + ">"

struct W_Type(W_Object):
    name: str
    base: W_Type
    dict: dict[int, W_Object]
    kind: int
    # A builtin type's constructor (called with the type's arguments), or None.
    constructor: W_Builtin
    # The defining module's name ("" for builtin types).
    module: str
    # What `type_lookup_at` found for each name id, through the bases (`LOOKUP_MISS` for
    # nothing), valid while the types' version is `lookup_version`.
    lookup_cache: dict[int, W_Object]
    lookup_version: int
    # In front of `lookup_cache`, under the same version: a direct-mapped cache of the last
    # lookups, slot `nid & (QUICK_SLOTS - 1)` holding name id `quick_ids[slot]` (-1: none)
    # and what the lookup found (None: nothing), so a repeated lookup is two array reads
    # and a compare rather than a dict probe (issue 18: attribute reads check the class).
    quick_ids: array[int]
    quick_vals: array[W_Object]
    # The bases as the class statement names them (`__bases__`) and the method resolution
    # order (`__mro__`: the type first, then C3's merge of the bases' orders; mro.rpy).
    # `base` is the base giving the instances' layout (the only base without multiple
    # inheritance).
    bases: list[W_Type]
    mro: list[W_Type]

    def get_type(self) -> W_Type:
        return SPACE.type_type

struct TypeVersion:
    version: int quasi

const TYPES = TypeVersion(version=0)

# The marker of a name no type of the chain has, in `W_Type.lookup_cache`: never a guest value.
const LOOKUP_MISS = W_Object()

struct Namespace:
    d: dict[int, W_Object]
    version: int quasi
    # A direct-mapped cache of `ns_lookup` in front of `d` (issue 18): slot
    # `nid & (QUICK_SLOTS - 1)` holds what name id `quick_ids[slot]` had (None: nothing) at
    # version `quick_versions[slot]`.
    quick_ids: array[int]
    quick_versions: array[int]
    quick_vals: array[W_Object]

struct Args:
    vals: array[W_Object]
    kwnames: array[str]

struct Space:
    names: dict[str, int]
    name_strs: list[str]
    # Quasi-immutable (set once by `setup`): a constant for the JIT, so a builtin's lookup
    # (LOAD_GLOBAL of `range`, `len`, ...) folds as a global's does.
    builtins: Namespace quasi
    modules: dict[int, W_Object]
    all_types: list[W_Type]
    type_type: W_Type
    object_type: W_Type
    # The exception being handled (sys.exc_info()), or None.
    handled: W_Object
    depth: int
    recursion_limit: int
    filename: str
    source: array[str]
    argv: array[str]
    # Stderr kept here (read back by the host with `stderr_text`) rather than written.
    capture_stderr: bool
    err_parts: list[str]

const SPACE = Space(names={}, name_strs=None, builtins=None, modules=None, all_types=None, type_type=None, object_type=None, handled=None, depth=0, recursion_limit=1000, filename="", source=None, argv=None, capture_stderr=False, err_parts=None)

# Not followed by the JIT: a residual call, rather than a copy of the dict probe, insertion
# and resize it inlined wherever a special method was looked up on an object of unknown
# class (nbody's `b[3] -= x` compiled six versions of `dict_resize` per `setitem`). (Not
# `@elidable`, which would fold `intern("__setitem__")`: its compile-time run is refused
# while stores are delayed, and its green result then makes the compilation give up.)
@dont_look_inside
def intern(name: str) -> int:
    known = SPACE.names.get(name, -1)
    if known >= 0:
        return known
    i = len(SPACE.name_strs)
    SPACE.names[name] = i
    SPACE.name_strs.append(name)
    return i

def name_of(nid: int) -> str:
    return SPACE.name_strs[nid]

def new_namespace() -> Namespace:
    d: dict[int, W_Object] = {}
    return Namespace(d=d, version=0, quick_ids=new_quick_ids(), quick_versions=array[int](QUICK_SLOTS), quick_vals=array[W_Object](QUICK_SLOTS))

@elidable
def ns_lookup(ns: Namespace, version: int, nid: int) -> W_Object:
    slot = nid & (QUICK_SLOTS - 1)
    if ns.quick_ids[slot] == nid and ns.quick_versions[slot] == version:
        return ns.quick_vals[slot]
    w = ns.d.get(nid, None)
    ns.quick_ids[slot] = nid
    ns.quick_versions[slot] = version
    ns.quick_vals[slot] = w
    return w

@always_inline
def ns_get(ns: Namespace, nid: int) -> W_Object:
    return ns_lookup(ns, ns.version, nid)

# Both keep the quick cache from holding a value the namespace no longer has: a stale slot
# would keep it alive for the collector (sieve-like `x = big(); len(x); x = None` kept two
# 20 MB lists live). The slot of `nid` takes the new value at the new version, so the next
# lookup of `nid` still hits; other slots only miss on their older version.
def ns_set(ns: Namespace, nid: int, w: W_Object):
    ns.d[nid] = w
    ns.version += 1
    slot = nid & (QUICK_SLOTS - 1)
    if ns.quick_ids[slot] == nid:
        ns.quick_versions[slot] = ns.version
        ns.quick_vals[slot] = w

def ns_del(ns: Namespace, nid: int) -> bool:
    if nid in ns.d:
        del ns.d[nid]
        ns.version += 1
        slot = nid & (QUICK_SLOTS - 1)
        if ns.quick_ids[slot] == nid:
            ns.quick_ids[slot] = -1
            ns.quick_vals[slot] = None
        return True
    return False

def new_type(name: str, base: W_Type, kind: int) -> W_Type:
    d: dict[int, W_Object] = {}
    cache: dict[int, W_Object] = {}
    t = W_Type(name=name, base=base, dict=d, kind=kind, constructor=None, module="", lookup_cache=cache, lookup_version=-1, quick_ids=new_quick_ids(), quick_vals=array[W_Object](QUICK_SLOTS), bases=None, mro=None)
    bases: list[W_Type] = []
    mro: list[W_Type] = []
    mro.append(t)
    if base is not None:
        bases.append(base)
        i = 0
        while i < len(base.mro):
            mro.append(base.mro[i])
            i += 1
    t.bases = bases
    t.mro = mro
    SPACE.all_types.append(t)
    return t

# The value of name `nid` in `t` or its bases (in the order of `t.mro`), or None.
@elidable
def type_lookup_at(t: W_Type, version: int, nid: int) -> W_Object:
    if t.lookup_version != version:
        t.lookup_cache.clear()
        clear_quick(t)
        t.lookup_version = version
    slot = nid & (QUICK_SLOTS - 1)
    if t.quick_ids[slot] == nid:
        return t.quick_vals[slot]
    w = type_lookup_slow(t, nid)
    t.quick_ids[slot] = nid
    t.quick_vals[slot] = w
    return w

# `type_lookup_at` past the quick cache (`lookup_cache` valid for the current version).
def type_lookup_slow(t: W_Type, nid: int) -> W_Object:
    found = t.lookup_cache.get(nid, None)
    if found is not None:
        if found is LOOKUP_MISS:
            return None
        return found
    mro = t.mro
    i = 0
    while i < len(mro):
        w = mro[i].dict.get(nid, None)
        if w is not None:
            t.lookup_cache[nid] = w
            return w
        i += 1
    t.lookup_cache[nid] = LOOKUP_MISS
    return None

# The slots of `W_Type.quick_ids`/`quick_vals` (a power of two).
const QUICK_SLOTS = 32

def new_quick_ids() -> array[int]:
    ids = array[int](QUICK_SLOTS)
    clear_ids(ids)
    return ids

def clear_ids(ids: array[int]):
    i = 0
    while i < len(ids):
        ids[i] = -1
        i += 1

def clear_quick(t: W_Type):
    clear_ids(t.quick_ids)

@always_inline
def type_lookup(t: W_Type, nid: int) -> W_Object:
    return type_lookup_at(t, TYPES.version, nid)

def type_set(t: W_Type, nid: int, w: W_Object):
    t.dict[nid] = w
    TYPES.version += 1

# Removes name `nid` from `t`'s own dict; False if it has none. Like `type_set`, it moves the
# types' version: the only two writers of a type's dict after its creation.
def type_del(t: W_Type, nid: int) -> bool:
    if nid not in t.dict:
        return False
    del t.dict[nid]
    TYPES.version += 1
    return True

def is_subtype(t: W_Type, base: W_Type) -> bool:
    mro = t.mro
    i = 0
    while i < len(mro):
        if mro[i] is base:
            return True
        i += 1
    return False

def type_of(w: W_Object) -> W_Type:
    return w.get_type()

def type_name(w: W_Object) -> str:
    return w.get_type().name

def builtin_type(name: str) -> W_Type:
    w = ns_get(SPACE.builtins, intern(name))
    return w as W_Type

# A builtin function registered under `name` in the builtins module.
def add_builtin(name: str, f: fn(Args) -> W_Object):
    ns_set(SPACE.builtins, intern(name), W_Builtin(name=name, f=f))

# A method of a builtin type (called with the receiver first).
def add_method(t: W_Type, name: str, f: fn(Args) -> W_Object):
    type_set(t, intern(name), W_Builtin(name=name, f=f))

def make_args(vals: array[W_Object]) -> Args:
    return Args(vals=vals, kwnames=None)

def args1(a: W_Object) -> Args:
    vals = array[W_Object](1)
    vals[0] = a
    return Args(vals=vals, kwnames=None)

def args2(a: W_Object, b: W_Object) -> Args:
    vals = array[W_Object](2)
    vals[0] = a
    vals[1] = b
    return Args(vals=vals, kwnames=None)

def nkw(a: Args) -> int:
    if a.kwnames is None:
        return 0
    return len(a.kwnames)

def npos(a: Args) -> int:
    return len(a.vals) - nkw(a)

# The keyword argument `name`, or None.
def kwarg(a: Args, name: str) -> W_Object:
    if a.kwnames is None:
        return None
    n = len(a.kwnames)
    first = len(a.vals) - n
    i = 0
    while i < n:
        if a.kwnames[i] == name:
            return a.vals[first + i]
        i += 1
    return None

# Checks a builtin's argument counts (CPython's messages for the usual cases).
def check_args(a: Args, name: str, lo: int, hi: int):
    n = npos(a)
    if n < lo or n > hi:
        if lo == hi:
            if lo == 1:
                raise type_error(name + "() takes exactly one argument (" + int_to_str(n) + " given)")
            raise type_error(name + " expected " + int_to_str(lo) + " arguments, got " + int_to_str(n))
        if n < lo:
            raise type_error(name + " expected at least " + int_to_str(lo) + " argument, got " + int_to_str(n))
        raise type_error(name + " expected at most " + int_to_str(hi) + " arguments, got " + int_to_str(n))

# Writes to the guest's stderr (captured when the host asked so).
def err_write(s: str):
    if SPACE.capture_stderr:
        SPACE.err_parts.append(s)
    else:
        write_stderr(s)

# What the run wrote to stderr, when captured.
def stderr_text() -> str:
    b = new_builder()
    if SPACE.err_parts is not None:
        i = 0
        while i < len(SPACE.err_parts):
            builder_append(b, SPACE.err_parts[i])
            i += 1
    return builder_build(b)
