#! dictviews.rpy: live dict views (`dict.keys()`, `values()`, `items()`) and the dict
#! iterator that detects a dict changing size while it is iterated.
#!
#! Vocabulary: a *view* (`W_DictView`) holds its dict and a kind (`VIEW_KEYS`, `VIEW_VALUES`,
#! `VIEW_ITEMS`); it copies nothing, so it sees later insertions and deletions. A *dict
#! iterator* (`W_DictIter`) walks a snapshot of the keys taken when it was made and checks
#! on every step that the dict still has the size it had then; if not it raises CPython's
#! `RuntimeError: dictionary changed size during iteration` (and keeps raising it, as
#! CPython does). Hooked into `iter_of`, `len_of`, `contains`, `repr_of` and `is_true`.

const VIEW_KEYS = 0
const VIEW_VALUES = 1
const VIEW_ITEMS = 2

struct W_DictView(W_Object) immutable:
    dict: W_Dict
    kind: int

    def get_type(self) -> W_Type:
        if self.kind == VIEW_KEYS:
            return DICTVIEWS.keys_type
        if self.kind == VIEW_VALUES:
            return DICTVIEWS.values_type
        return DICTVIEWS.items_type

struct DictViewTypes:
    keys_type: W_Type
    values_type: W_Type
    items_type: W_Type

const DICTVIEWS = DictViewTypes(keys_type=None, values_type=None, items_type=None)

struct W_DictIter(W_Iter):
    dict: W_Dict
    keys: list[W_Object]
    index: int
    size: int
    kind: int

    def next_or_none(self) -> W_Object:
        if len(self.dict.d) != self.size:
            self.size = -1
            raise guest_error("RuntimeError", "dictionary changed size during iteration")
        i = self.index
        if i >= len(self.keys):
            return None
        self.index = i + 1
        k = self.keys[i]
        if self.kind == VIEW_KEYS:
            return k
        if k not in self.dict.d:
            raise guest_error("RuntimeError", "dictionary keys changed during iteration")
        if self.kind == VIEW_VALUES:
            return self.dict.d[k]
        return new_tuple2(k, self.dict.d[k])

def dict_iter(d: W_Dict, kind: int) -> W_DictIter:
    if isinstance(d, W_DictUser) and is_odict(d):
        return odict_iter(d as W_DictUser, kind)
    return W_DictIter(dict=d, keys=d.d.keys(), index=0, size=len(d.d), kind=kind)

def view_iter(v: W_DictView) -> W_Object:
    return dict_iter(v.dict, v.kind)

def view_len(v: W_DictView) -> int:
    return len(v.dict.d)

def view_contains(v: W_DictView, x: W_Object) -> bool:
    d = v.dict.d
    if v.kind == VIEW_KEYS:
        return x in d
    if v.kind == VIEW_ITEMS:
        if not isinstance(x, W_Tuple) or len((x as W_Tuple).items) != 2:
            return False
        t = (x as W_Tuple).items
        if t[0] not in d:
            return False
        return eq_of(d[t[0]], t[1])
    vals = d.values()
    i = 0
    while i < len(vals):
        if eq_of(vals[i], x):
            return True
        i += 1
    return False

def view_repr(v: W_DictView) -> str:
    items = list_of_iterable(v)
    body = repr_items(list_array(items), "[", "]", False)
    return type_name(v) + "(" + body + ")"

def view_m(a: Args, name: str, kind: int) -> W_Object:
    check_args(a, name, 1, 1)
    w = a.vals[0]
    if not isinstance(w, W_Dict):
        raise type_error("descriptor '" + name + "' for 'dict' objects doesn't apply to a '" + type_name(w) + "' object")
    return W_DictView(dict=w as W_Dict, kind=kind)

def dict_keys_view_m(a: Args) -> W_Object:
    return view_m(a, "keys", VIEW_KEYS)

def dict_values_view_m(a: Args) -> W_Object:
    return view_m(a, "values", VIEW_VALUES)

def dict_items_view_m(a: Args) -> W_Object:
    return view_m(a, "items", VIEW_ITEMS)

def setup_dictviews():
    DICTVIEWS.keys_type = new_type("dict_keys", SPACE.object_type, KIND_BUILTIN)
    DICTVIEWS.values_type = new_type("dict_values", SPACE.object_type, KIND_BUILTIN)
    DICTVIEWS.items_type = new_type("dict_items", SPACE.object_type, KIND_BUILTIN)
    t = TYPES_BY_KIND.dict_type
    add_method(t, "keys", dict_keys_view_m)
    add_method(t, "values", dict_values_view_m)
    add_method(t, "items", dict_items_view_m)
