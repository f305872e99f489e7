#! strmethods.rpy: the `str` methods taking CPython's optional arguments — `find`, `rfind`,
#! `index`, `rindex`, `count`, `startswith`/`endswith` (a str or a tuple of them) with
#! `start`/`end`; `replace` with a count; `split`/`rsplit` with `sep` and `maxsplit`
#! (positional or keyword); `rpartition`, `isupper`, `islower`, `capitalize`, `swapcase`.
#!
#! Vocabulary: the *window* of a search is `s[start:end]` with CPython's slice clamping,
#! except that a `start` beyond `len(s)` finds nothing (even the empty string), as in CPython.
#! Registered by `setup_strmethods` (after `setup_strs`), which replaces `strs.rpy`'s
#! narrower versions of the same names.

# Argument i as a window start (None or absent: 0); may exceed n (then the window is empty
# and a search fails).
def window_start(a: Args, i: int, n: int) -> int:
    if npos(a) <= i or a.vals[i] is W_NONE:
        return 0
    v = int_of(a.vals[i])
    if v < 0:
        v += n
        if v < 0:
            v = 0
    return v

# Argument i as a window end (None or absent: n), clamped to [0, n].
def window_end(a: Args, i: int, n: int) -> int:
    if npos(a) <= i or a.vals[i] is W_NONE:
        return n
    v = int_of(a.vals[i])
    if v < 0:
        v += n
        if v < 0:
            v = 0
    if v > n:
        v = n
    return v

# find/rfind over the window of args 2 and 3; -1 when absent.
def str_search(a: Args, name: str, from_right: bool) -> int:
    check_args(a, name, 2, 4)
    s = str_arg(a, 0, name)
    sub = str_arg(a, 1, name)
    n = len(s)
    st = window_start(a, 2, n)
    en = window_end(a, 3, n)
    if st > en:
        return -1
    w = str_slice(s, st, en)
    k = -1
    if from_right:
        k = str_rfind(w, sub)
    else:
        k = str_find(w, sub)
    if k < 0:
        return -1
    return k + st

def str_find_m(a: Args) -> W_Object:
    return W_Int(value=str_search(a, "find", False))

def str_rfind_m(a: Args) -> W_Object:
    return W_Int(value=str_search(a, "rfind", True))

def str_index_m(a: Args) -> W_Object:
    k = str_search(a, "index", False)
    if k < 0:
        raise guest_error("ValueError", "substring not found")
    return W_Int(value=k)

def str_rindex_m(a: Args) -> W_Object:
    k = str_search(a, "rindex", True)
    if k < 0:
        raise guest_error("ValueError", "substring not found")
    return W_Int(value=k)

def str_count_m(a: Args) -> W_Object:
    check_args(a, "count", 2, 4)
    s = str_arg(a, 0, "count")
    sub = str_arg(a, 1, "count")
    n = len(s)
    st = window_start(a, 2, n)
    en = window_end(a, 3, n)
    if st > en:
        return W_Int(value=0)
    return W_Int(value=str_count(str_slice(s, st, en), sub))

# startswith/endswith: the affix is a str or a tuple of str.
def str_affix(a: Args, name: str, at_end: bool) -> W_Object:
    check_args(a, name, 2, 4)
    s = str_arg(a, 0, name)
    n = len(s)
    st = window_start(a, 2, n)
    en = window_end(a, 3, n)
    if st > n:
        return wrap_bool(False)
    w = ""
    if st < en:
        w = str_slice(s, st, en)
    x = a.vals[1]
    if isinstance(x, W_Tuple):
        items = (x as W_Tuple).items
        i = 0
        while i < len(items):
            if affix_match(w, items[i], name, at_end):
                return wrap_bool(True)
            i += 1
        return wrap_bool(False)
    if not isinstance(x, W_Str):
        raise type_error(name + " first arg must be str or a tuple of str, not " + type_name(x))
    return wrap_bool(affix_match(w, x, name, at_end))

def affix_match(w: str, x: W_Object, name: str, at_end: bool) -> bool:
    if not isinstance(x, W_Str):
        raise type_error("tuple for " + name + " must only contain str, not " + type_name(x))
    if at_end:
        return str_endswith(w, (x as W_Str).value)
    return str_startswith(w, (x as W_Str).value)

def str_startswith_m(a: Args) -> W_Object:
    return str_affix(a, "startswith", False)

def str_endswith_m(a: Args) -> W_Object:
    return str_affix(a, "endswith", True)

def str_replace_m(a: Args) -> W_Object:
    check_args(a, "replace", 3, 4)
    s = str_arg(a, 0, "replace")
    old = str_arg(a, 1, "replace")
    new = str_arg(a, 2, "replace")
    count = -1
    if npos(a) > 3:
        count = int_of(a.vals[3])
    if count < 0:
        return W_Str(value=str_replace(s, old, new))
    b = new_builder()
    n = len(s)
    if len(old) == 0:
        i = 0
        k = 0
        while i <= n:
            if k < count:
                builder_append(b, new)
                k += 1
            if i < n:
                builder_append_char(b, s[i])
            i += 1
        return W_Str(value=builder_build(b))
    i = 0
    k = 0
    while k < count:
        j = str_find_from(s, old, i)
        if j < 0:
            break
        builder_append(b, str_slice(s, i, j))
        builder_append(b, new)
        i = j + len(old)
        k += 1
    builder_append(b, str_slice(s, i, n))
    return W_Str(value=builder_build(b))

# The `sep` (None: whitespace) of split/rsplit, positional or keyword.
def split_sep(a: Args, name: str) -> W_Object:
    sep: W_Object = W_NONE
    if npos(a) > 1:
        sep = a.vals[1]
    kw = kwarg(a, "sep")
    if kw is not None:
        sep = kw
    if sep is not W_NONE and not isinstance(sep, W_Str):
        raise type_error("must be str or None, not " + type_name(sep))
    if sep is not W_NONE and len((sep as W_Str).value) == 0:
        raise guest_error("ValueError", "empty separator")
    return sep

def split_max(a: Args) -> int:
    m = -1
    if npos(a) > 2:
        m = int_of(a.vals[2])
    kw = kwarg(a, "maxsplit")
    if kw is not None:
        m = int_of(kw)
    return m

def str_split_m(a: Args) -> W_Object:
    check_args(a, "split", 1, 3)
    s = str_arg(a, 0, "split")
    sep = split_sep(a, "split")
    m = split_max(a)
    parts: list[W_Object] = []
    n = len(s)
    if sep is W_NONE:
        i = 0
        while True:
            while i < n and char_isspace(s[i]):
                i += 1
            if i >= n:
                break
            if m >= 0 and len(parts) == m:
                parts.append(W_Str(value=str_slice(s, i, n)))
                break
            j = i
            while j < n and not char_isspace(s[j]):
                j += 1
            parts.append(W_Str(value=str_slice(s, i, j)))
            i = j
        return W_List(items=parts)
    sp = (sep as W_Str).value
    i = 0
    while m < 0 or len(parts) < m:
        j = str_find_from(s, sp, i)
        if j < 0:
            break
        parts.append(W_Str(value=str_slice(s, i, j)))
        i = j + len(sp)
    parts.append(W_Str(value=str_slice(s, i, n)))
    return W_List(items=parts)

def str_rsplit_m(a: Args) -> W_Object:
    check_args(a, "rsplit", 1, 3)
    s = str_arg(a, 0, "rsplit")
    sep = split_sep(a, "rsplit")
    m = split_max(a)
    rev: list[W_Object] = []
    if sep is W_NONE:
        j = len(s)
        while True:
            while j > 0 and char_isspace(s[j - 1]):
                j -= 1
            if j <= 0:
                break
            if m >= 0 and len(rev) == m:
                rev.append(W_Str(value=str_slice(s, 0, j)))
                break
            i = j
            while i > 0 and not char_isspace(s[i - 1]):
                i -= 1
            rev.append(W_Str(value=str_slice(s, i, j)))
            j = i
    else:
        sp = (sep as W_Str).value
        j = len(s)
        while m < 0 or len(rev) < m:
            k = str_rfind(str_slice(s, 0, j), sp)
            if k < 0:
                break
            rev.append(W_Str(value=str_slice(s, k + len(sp), j)))
            j = k
        rev.append(W_Str(value=str_slice(s, 0, j)))
    parts: list[W_Object] = []
    i = len(rev) - 1
    while i >= 0:
        parts.append(rev[i])
        i -= 1
    return W_List(items=parts)

def str_rpartition_m(a: Args) -> W_Object:
    check_args(a, "rpartition", 2, 2)
    s = str_arg(a, 0, "rpartition")
    sep = str_arg(a, 1, "rpartition")
    if len(sep) == 0:
        raise guest_error("ValueError", "empty separator")
    i = str_rfind(s, sep)
    items = array[W_Object](3)
    if i < 0:
        items[0] = W_Str(value="")
        items[1] = W_Str(value="")
        items[2] = a.vals[0]
    else:
        items[0] = W_Str(value=str_slice(s, 0, i))
        items[1] = a.vals[1]
        items[2] = W_Str(value=str_slice(s, i + len(sep), len(s)))
    return W_Tuple(items=items)

# isupper/islower: at least one cased char, and none of the other case.
def str_case_test(a: Args, name: str, want_upper: bool) -> W_Object:
    check_args(a, name, 1, 1)
    s = str_arg(a, 0, name)
    cased = False
    i = 0
    while i < len(s):
        c = char_to_str(s[i])
        up = str_upper(c)
        lo = str_lower(c)
        if up != lo:
            cased = True
            if want_upper and c != up:
                return wrap_bool(False)
            if not want_upper and c != lo:
                return wrap_bool(False)
        i += 1
    return wrap_bool(cased)

def str_isupper_m(a: Args) -> W_Object:
    return str_case_test(a, "isupper", True)

def str_islower_m(a: Args) -> W_Object:
    return str_case_test(a, "islower", False)

def str_capitalize_m(a: Args) -> W_Object:
    check_args(a, "capitalize", 1, 1)
    s = str_arg(a, 0, "capitalize")
    if len(s) == 0:
        return a.vals[0]
    return W_Str(value=str_upper(str_slice(s, 0, 1)) + str_lower(str_slice(s, 1, len(s))))

def str_swapcase_m(a: Args) -> W_Object:
    check_args(a, "swapcase", 1, 1)
    s = str_arg(a, 0, "swapcase")
    b = new_builder()
    i = 0
    while i < len(s):
        c = char_to_str(s[i])
        up = str_upper(c)
        if c == up:
            builder_append(b, str_lower(c))
        else:
            builder_append(b, up)
        i += 1
    return W_Str(value=builder_build(b))

def setup_strmethods():
    t = TYPES_BY_KIND.str_type
    add_method(t, "find", str_find_m)
    add_method(t, "rfind", str_rfind_m)
    add_method(t, "index", str_index_m)
    add_method(t, "rindex", str_rindex_m)
    add_method(t, "count", str_count_m)
    add_method(t, "startswith", str_startswith_m)
    add_method(t, "endswith", str_endswith_m)
    add_method(t, "replace", str_replace_m)
    add_method(t, "split", str_split_m)
    add_method(t, "rsplit", str_rsplit_m)
    add_method(t, "rpartition", str_rpartition_m)
    add_method(t, "isupper", str_isupper_m)
    add_method(t, "islower", str_islower_m)
    add_method(t, "capitalize", str_capitalize_m)
    add_method(t, "swapcase", str_swapcase_m)

# The argument of removeprefix/removesuffix, with CPython's messages.
def affix_arg(a: Args, name: str) -> str:
    if npos(a) != 2:
        raise type_error("str." + name + "() takes exactly one argument (" + int_to_str(npos(a) - 1) + " given)")
    w = a.vals[1]
    if not isinstance(w, W_Str):
        raise type_error(name + "() argument must be str, not " + type_name(w))
    return (w as W_Str).value

def str_removeprefix_m(a: Args) -> W_Object:
    s = str_arg(a, 0, "removeprefix")
    p = affix_arg(a, "removeprefix")
    if len(p) > 0 and str_startswith(s, p):
        return W_Str(value=str_slice(s, len(p), len(s)))
    return a.vals[0]

def str_removesuffix_m(a: Args) -> W_Object:
    s = str_arg(a, 0, "removesuffix")
    p = affix_arg(a, "removesuffix")
    if len(p) > 0 and str_endswith(s, p):
        return W_Str(value=str_slice(s, 0, len(s) - len(p)))
    return a.vals[0]

# The str methods beyond the spec's list (registered by `setup` in loader.rpy).
def setup_more_str_methods():
    t = TYPES_BY_KIND.str_type
    add_method(t, "removeprefix", str_removeprefix_m)
    add_method(t, "removesuffix", str_removesuffix_m)
