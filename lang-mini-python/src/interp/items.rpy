#! items.rpy: the object space's container protocol (split from operations.rpy): items
#! (`getitem`, `setitem`, `delitem`, list slice assignment), membership (`contains`),
#! iteration (`iter_of`, `next_of`) and length (`len_of`), each with `isinstance` fast paths
#! for the builtin containers, then the special methods of the object's type, then
#! CPython's TypeError message.

def getitem(w: W_Object, k: W_Object) -> W_Object:
    hint(w, promote_class=True)
    hint(k, promote_class=True)
    if is_sub_object(w):
        m = user_override(w, "__getitem__")
        if m is not None:
            return call_special2(m, w, k)
    if isinstance(w, W_List):
        l = (w as W_List).items
        if isinstance(k, W_Slice):
            idx = slice_indices(k as W_Slice, len(l))
            out: list[W_Object] = []
            i = 0
            while i < len(idx):
                out.append(l[idx[i]])
                i += 1
            return W_List(items=out)
        return l[seq_index(k, len(l), "list")]
    if isinstance(w, W_Tuple):
        t = (w as W_Tuple).items
        if isinstance(k, W_Slice):
            idx = slice_indices(k as W_Slice, len(t))
            out2: list[W_Object] = []
            i = 0
            while i < len(idx):
                out2.append(t[idx[i]])
                i += 1
            return tuple_of_list(out2)
        return t[seq_index(k, len(t), "tuple")]
    if isinstance(w, W_Str):
        s = (w as W_Str).value
        if isinstance(k, W_Slice):
            idx = slice_indices(k as W_Slice, len(s))
            b = new_builder()
            i = 0
            while i < len(idx):
                builder_append_char(b, s[idx[i]])
                i += 1
            return W_Str(value=builder_build(b))
        return W_Str(value=char_to_str(s[seq_index(k, len(s), "string")]))
    if isinstance(w, W_Dict):
        v = (w as W_Dict).d.get(k, None)
        if v is not None:
            return v
        if isinstance(w, W_DictUser):
            m = user_override(w, "__missing__")
            if m is not None:
                return call_special2(m, w, k)
        raise key_error(k)
    if isinstance(w, W_Range):
        r = w as W_Range
        if isinstance(k, W_Slice):
            return range_slice(r, k as W_Slice)
        i = seq_index(k, range_len(r), "range object")
        return W_Int(value=r.start + i * r.step)
    m = special(w, "__getitem__")
    if m is not None:
        return call_special2(m, w, k)
    if isinstance(w, W_Type):
        raise type_error("type '" + (w as W_Type).name + "' is not subscriptable")
    raise type_error("'" + type_name(w) + "' object is not subscriptable")

def setitem(w: W_Object, k: W_Object, v: W_Object):
    if is_sub_object(w):
        m = user_override(w, "__setitem__")
        if m is not None:
            vals = array[W_Object](3)
            vals[0] = w
            vals[1] = k
            vals[2] = v
            call_object(m, make_args(vals))
            return
    if isinstance(w, W_List):
        l = (w as W_List).items
        if isinstance(k, W_Slice):
            list_set_slice(w as W_List, k as W_Slice, list_of_iterable(v))
            return
        l[seq_index(k, len(l), "list assignment")] = v
        return
    if isinstance(w, W_Dict):
        (w as W_Dict).d[k] = v
        return
    m = special(w, "__setitem__")
    if m is not None:
        vals = array[W_Object](3)
        vals[0] = w
        vals[1] = k
        vals[2] = v
        call_object(m, make_args(vals))
        return
    raise type_error("'" + type_name(w) + "' object does not support item assignment")

def delitem(w: W_Object, k: W_Object):
    if is_sub_object(w):
        m = user_override(w, "__delitem__")
        if m is not None:
            call_special2(m, w, k)
            return
    if isinstance(w, W_List):
        l = (w as W_List).items
        if isinstance(k, W_Slice):
            idx = slice_indices(k as W_Slice, len(l))
            gone = array[bool](len(l))
            j = 0
            while j < len(idx):
                gone[idx[j]] = True
                j += 1
            keep: list[W_Object] = []
            i = 0
            while i < len(l):
                if not gone[i]:
                    keep.append(l[i])
                i += 1
            (w as W_List).items = keep
            return
        l.pop(seq_index(k, len(l), "list assignment"))
        return
    if isinstance(w, W_Dict):
        d = (w as W_Dict).d
        if k in d:
            del d[k]
            return
        raise key_error(k)
    m = special(w, "__delitem__")
    if m is not None:
        call_special2(m, w, k)
        return
    raise type_error("'" + type_name(w) + "' object doesn't support item deletion")

def contains(w: W_Object, x: W_Object) -> bool:
    if is_sub_object(w):
        m = user_override(w, "__contains__")
        if m is not None:
            return is_true(call_special2(m, w, x))
    if isinstance(w, W_Str):
        if not isinstance(x, W_Str):
            raise type_error("'in <string>' requires string as left operand, not " + type_name(x))
        return str_find((w as W_Str).value, (x as W_Str).value) >= 0
    if isinstance(w, W_Dict):
        return x in (w as W_Dict).d
    if isinstance(w, W_DictView):
        return view_contains(w as W_DictView, x)
    if isinstance(w, W_Set):
        return x in (w as W_Set).d
    if isinstance(w, W_List):
        l = (w as W_List).items
        i = 0
        while i < len(l):
            if eq_of(l[i], x):
                return True
            i += 1
        return False
    if isinstance(w, W_Tuple):
        t = (w as W_Tuple).items
        i = 0
        while i < len(t):
            if eq_of(t[i], x):
                return True
            i += 1
        return False
    if isinstance(w, W_Range):
        r = w as W_Range
        if not isinstance(x, W_Int):
            return False
        v = (x as W_Int).value
        if r.step > 0:
            if v < r.start or v >= r.stop:
                return False
        elif v > r.start or v <= r.stop:
            return False
        return (v - r.start) % r.step == 0
    m = special(w, "__contains__")
    if m is not None:
        return is_true(call_special2(m, w, x))
    if special(w, "__iter__") is not None:
        return iter_contains(w, x)
    raise type_error("argument of type '" + type_name(w) + "' is not iterable")

def iter_contains(w: W_Object, x: W_Object) -> bool:
    it = iter_of(w)
    while True:
        y = next_of(it)
        if y is None:
            return False
        if eq_of(y, x):
            return True

def iter_of(w: W_Object) -> W_Object:
    # For the JIT: the class tests below fold (a red chain of them split a loop's state at
    # every `for`, each side compiled with the rest of the loop).
    hint(w, promote_class=True)
    if is_sub_object(w):
        m = user_override(w, "__iter__")
        if m is not None:
            return call_special(m, w)
    if isinstance(w, W_List) or isinstance(w, W_Tuple) or isinstance(w, W_Str):
        return W_SeqIter(seq=w, index=0)
    if isinstance(w, W_Range):
        r = w as W_Range
        return W_RangeIter(cur=r.start, stop=r.stop, step=r.step)
    if isinstance(w, W_Dict):
        return dict_iter(w as W_Dict, VIEW_KEYS)
    if isinstance(w, W_DictView):
        return view_iter(w as W_DictView)
    if isinstance(w, W_Set):
        return set_iter(w as W_Set)
    if isinstance(w, W_Iter):
        return w
    m = special(w, "__iter__")
    if m is not None:
        return call_special(m, w)
    raise type_error("'" + type_name(w) + "' object is not iterable")

# The next item of an iterator, or None at its end.
def next_of(it: W_Object) -> W_Object:
    hint(it, promote_class=True)
    if isinstance(it, W_Iter):
        return (it as W_Iter).next_or_none()
    m = special(it, "__next__")
    if m is None:
        raise type_error("'" + type_name(it) + "' object is not an iterator")
    try:
        return call_special(m, it)
    except GuestError as e:
        if is_instance_of(e.w, builtin_type("StopIteration")):
            return None
        raise e

def len_of(w: W_Object) -> int:
    if is_sub_object(w):
        m = user_override(w, "__len__")
        if m is not None:
            return int_of(call_special(m, w))
    if isinstance(w, W_Str):
        return len((w as W_Str).value)
    if isinstance(w, W_List):
        return len((w as W_List).items)
    if isinstance(w, W_Tuple):
        return len((w as W_Tuple).items)
    if isinstance(w, W_Dict):
        return len((w as W_Dict).d)
    if isinstance(w, W_Range):
        return range_len(w as W_Range)
    if isinstance(w, W_DictView):
        return view_len(w as W_DictView)
    if isinstance(w, W_Set):
        return len((w as W_Set).d)
    m = special(w, "__len__")
    if m is not None:
        return int_of(call_special(m, w))
    raise type_error("object of type '" + type_name(w) + "' has no len()")

# l[slice] = items: a step-1 slice is replaced whole (the list may grow or shrink); an
# extended slice needs exactly as many items as it selects.
def list_set_slice(w: W_List, s: W_Slice, items: list[W_Object]):
    l = w.items
    step = slice_part(s.step, 1)
    if step == 1:
        idx = slice_indices(s, len(l))
        start = slice_part(s.start, 0)
        if start < 0:
            start += len(l)
            if start < 0:
                start = 0
        if start > len(l):
            start = len(l)
        if len(idx) > 0:
            start = idx[0]
        out: list[W_Object] = []
        i = 0
        while i < start:
            out.append(l[i])
            i += 1
        j = 0
        while j < len(items):
            out.append(items[j])
            j += 1
        i = start + len(idx)
        while i < len(l):
            out.append(l[i])
            i += 1
        w.items = out
        return
    idx = slice_indices(s, len(l))
    if len(idx) != len(items):
        raise guest_error("ValueError", "attempt to assign sequence of size " + int_to_str(len(items)) + " to extended slice of size " + int_to_str(len(idx)))
    i = 0
    while i < len(idx):
        l[idx[i]] = items[i]
        i += 1
