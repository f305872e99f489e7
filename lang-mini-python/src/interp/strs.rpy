#! strs.rpy: `str` (immutable, Unicode code points in `W_Str.value`) and its methods.
#!
#! Invariants: `str_repr` is CPython's repr (quote choice, escapes of control chars);
#! methods are builtins registered in `setup_strs` with the receiver as first argument
#! (`str_arg(a, 0)` checks it). Add a method: a `def str_NAME(a: Args) -> W_Object` and one
#! `add_method(t, "NAME", str_NAME)` line.

struct W_Str(W_Object) immutable:
    value: str

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.str_type

def wrap_str(s: str) -> W_Object:
    return W_Str(value=s)

def str_repr(s: str) -> str:
    quote = '\''
    has_single = False
    has_double = False
    i = 0
    while i < len(s):
        if s[i] == '\'':
            has_single = True
        if s[i] == '"':
            has_double = True
        i += 1
    if has_single and not has_double:
        quote = '"'
    b = new_builder()
    builder_append_char(b, quote)
    i = 0
    while i < len(s):
        c = s[i]
        o = ord(c)
        if c == '\\':
            builder_append(b, "\\\\")
        elif c == '\n':
            builder_append(b, "\\n")
        elif c == '\r':
            builder_append(b, "\\r")
        elif c == '\t':
            builder_append(b, "\\t")
        elif c == quote:
            builder_append_char(b, '\\')
            builder_append_char(b, c)
        elif o < 32 or o == 127 or (o > 127 and not char_isprintable(o)):
            builder_append(b, repr_escape(o))
        else:
            builder_append_char(b, c)
        i += 1
    builder_append_char(b, quote)
    return builder_build(b)

def str_arg(a: Args, i: int, name: str) -> str:
    if i >= npos(a):
        raise type_error(name + "() missing argument")
    w = a.vals[i]
    if not isinstance(w, W_Str):
        raise type_error("must be str, not " + type_name(w))
    return (w as W_Str).value

def str_join_m(a: Args) -> W_Object:
    check_args(a, "join", 2, 2)
    sep = str_arg(a, 0, "join")
    seq = a.vals[1]
    items: list[W_Object] = None
    if isinstance(seq, W_List) and user_override(seq, "__iter__") is None:
        # Read in place: no guest code runs in the loop below, so the list cannot change
        # under it, and a large join needs no copy of its list.
        items = (seq as W_List).items
    else:
        items = list_of_iterable(seq)
    parts = array[str](len(items))
    i = 0
    while i < len(items):
        w = items[i]
        if not isinstance(w, W_Str):
            raise type_error("sequence item " + int_to_str(i) + ": expected str instance, " + type_name(w) + " found")
        parts[i] = (w as W_Str).value
        i += 1
    # The `str_join` extern allocates the result once at its size; a string builder would
    # grow by doubling and copy its chars twice more (most of a large join's peak memory).
    return W_Str(value=str_join(sep, parts))

def char_in(c: char, chars: str) -> bool:
    i = 0
    while i < len(chars):
        if chars[i] == c:
            return True
        i += 1
    return False

# s stripped of the chars in `chars` (None: whitespace) on the left and/or right.
def strip_chars(a: Args, name: str, left: bool, right: bool) -> W_Object:
    check_args(a, name, 1, 2)
    s = str_arg(a, 0, name)
    if npos(a) == 1 or a.vals[1] is W_NONE:
        if left and right:
            return W_Str(value=str_strip(s))
        if left:
            return W_Str(value=str_lstrip(s))
        return W_Str(value=str_rstrip(s))
    chars = str_arg(a, 1, name)
    i = 0
    j = len(s)
    if left:
        while i < j and char_in(s[i], chars):
            i += 1
    if right:
        while j > i and char_in(s[j - 1], chars):
            j -= 1
    return W_Str(value=str_slice(s, i, j))

def str_strip_m(a: Args) -> W_Object:
    return strip_chars(a, "strip", True, True)

def str_lstrip_m(a: Args) -> W_Object:
    return strip_chars(a, "lstrip", True, False)

def str_rstrip_m(a: Args) -> W_Object:
    return strip_chars(a, "rstrip", False, True)

def str_splitlines_m(a: Args) -> W_Object:
    check_args(a, "splitlines", 1, 1)
    s = str_arg(a, 0, "splitlines")
    out: list[W_Object] = []
    start = 0
    i = 0
    while i < len(s):
        if s[i] == '\n' or s[i] == '\r':
            out.append(W_Str(value=str_slice(s, start, i)))
            if s[i] == '\r' and i + 1 < len(s) and s[i + 1] == '\n':
                i += 1
            start = i + 1
        i += 1
    if start < len(s):
        out.append(W_Str(value=str_slice(s, start, len(s))))
    return W_List(items=out)

def str_title_m(a: Args) -> W_Object:
    check_args(a, "title", 1, 1)
    s = str_arg(a, 0, "title")
    b = new_builder()
    prev_letter = False
    i = 0
    while i < len(s):
        c = char_to_str(s[i])
        if char_isalpha(s[i]):
            if prev_letter:
                builder_append(b, str_lower(c))
            else:
                builder_append(b, str_upper(c))
            prev_letter = True
        else:
            builder_append(b, c)
            prev_letter = False
        i += 1
    return W_Str(value=builder_build(b))

def fill_char(a: Args, i: int) -> str:
    if npos(a) > i:
        f = str_arg(a, i, "fill")
        if len(f) != 1:
            raise type_error("The fill character must be exactly one character long")
        return f
    return " "

def str_ljust_m(a: Args) -> W_Object:
    check_args(a, "ljust", 2, 3)
    s = str_arg(a, 0, "ljust")
    n = int_of(a.vals[1]) - len(s)
    if n <= 0:
        return a.vals[0]
    return W_Str(value=s + str_repeat(fill_char(a, 2), n))

def str_rjust_m(a: Args) -> W_Object:
    check_args(a, "rjust", 2, 3)
    s = str_arg(a, 0, "rjust")
    n = int_of(a.vals[1]) - len(s)
    if n <= 0:
        return a.vals[0]
    return W_Str(value=str_repeat(fill_char(a, 2), n) + s)

def str_center_m(a: Args) -> W_Object:
    check_args(a, "center", 2, 3)
    s = str_arg(a, 0, "center")
    n = int_of(a.vals[1]) - len(s)
    if n <= 0:
        return a.vals[0]
    left = n // 2 + (n & int_of(a.vals[1]) & 1)
    f = fill_char(a, 2)
    return W_Str(value=str_repeat(f, left) + s + str_repeat(f, n - left))

def str_zfill_m(a: Args) -> W_Object:
    check_args(a, "zfill", 2, 2)
    s = str_arg(a, 0, "zfill")
    n = int_of(a.vals[1]) - len(s)
    if n <= 0:
        return a.vals[0]
    if len(s) > 0 and (s[0] == '-' or s[0] == '+'):
        return W_Str(value=char_to_str(s[0]) + str_repeat("0", n) + str_slice(s, 1, len(s)))
    return W_Str(value=str_repeat("0", n) + s)

def str_partition_m(a: Args) -> W_Object:
    check_args(a, "partition", 2, 2)
    s = str_arg(a, 0, "partition")
    sep = str_arg(a, 1, "partition")
    if len(sep) == 0:
        raise guest_error("ValueError", "empty separator")
    i = str_find(s, sep)
    items = array[W_Object](3)
    if i < 0:
        items[0] = a.vals[0]
        items[1] = W_Str(value="")
        items[2] = W_Str(value="")
    else:
        items[0] = W_Str(value=str_slice(s, 0, i))
        items[1] = a.vals[1]
        items[2] = W_Str(value=str_slice(s, i + len(sep), len(s)))
    return W_Tuple(items=items)

def str_isalnum_m(a: Args) -> W_Object:
    check_args(a, "isalnum", 1, 1)
    return wrap_bool(str_isalnum(str_arg(a, 0, "isalnum")))

def str_upper_m(a: Args) -> W_Object:
    check_args(a, "upper", 1, 1)
    return W_Str(value=str_upper(str_arg(a, 0, "upper")))

def str_lower_m(a: Args) -> W_Object:
    check_args(a, "lower", 1, 1)
    return W_Str(value=str_lower(str_arg(a, 0, "lower")))

def str_isdigit_m(a: Args) -> W_Object:
    check_args(a, "isdigit", 1, 1)
    return wrap_bool(str_isdigit_exact(str_arg(a, 0, "isdigit")))

def str_isalpha_m(a: Args) -> W_Object:
    check_args(a, "isalpha", 1, 1)
    return wrap_bool(str_isalpha(str_arg(a, 0, "isalpha")))

def str_isspace_m(a: Args) -> W_Object:
    check_args(a, "isspace", 1, 1)
    return wrap_bool(str_isspace(str_arg(a, 0, "isspace")))

def bi_str(a: Args) -> W_Object:
    if npos(a) > 1 or nkw(a) > 0:
        return str_of_encoded(a)
    check_args(a, "str", 0, 1)
    if npos(a) == 0:
        return W_Str(value="")
    return W_Str(value=str_of(a.vals[0]))

def bi_repr(a: Args) -> W_Object:
    check_args(a, "repr", 1, 1)
    return W_Str(value=repr_of(a.vals[0]))

def bi_chr(a: Args) -> W_Object:
    check_args(a, "chr", 1, 1)
    n = int_of(a.vals[0])
    if n < 0 or n > 1114111 or (n >= 55296 and n < 57344):
        raise guest_error("ValueError", "chr() arg not in range(0x110000)")
    return W_Str(value=char_to_str(chr(n)))

def bi_ord(a: Args) -> W_Object:
    check_args(a, "ord", 1, 1)
    w = a.vals[0]
    s = ""
    if isinstance(w, W_Bytes):
        s = (w as W_Bytes).value
    elif not isinstance(w, W_Str):
        raise type_error("ord() expected string of length 1, but " + type_name(w) + " found")
    else:
        s = (w as W_Str).value
    if len(s) != 1:
        raise type_error("ord() expected a character, but string of length " + int_to_str(len(s)) + " found")
    return W_Int(value=ord(s[0]))

def setup_strs():
    t = new_type("str", SPACE.object_type, KIND_BUILTIN)
    TYPES_BY_KIND.str_type = t
    t.constructor = W_Builtin(name="str", f=bi_str)
    ns_set(SPACE.builtins, intern("str"), t)
    add_builtin("repr", bi_repr)
    add_builtin("chr", bi_chr)
    add_builtin("ord", bi_ord)
    add_method(t, "join", str_join_m)
    add_method(t, "strip", str_strip_m)
    add_method(t, "lstrip", str_lstrip_m)
    add_method(t, "rstrip", str_rstrip_m)
    add_method(t, "upper", str_upper_m)
    add_method(t, "lower", str_lower_m)
    add_method(t, "isdigit", str_isdigit_m)
    add_method(t, "isalpha", str_isalpha_m)
    add_method(t, "isspace", str_isspace_m)
    add_method(t, "isalnum", str_isalnum_m)
    add_method(t, "splitlines", str_splitlines_m)
    add_method(t, "title", str_title_m)
    add_method(t, "ljust", str_ljust_m)
    add_method(t, "rjust", str_rjust_m)
    add_method(t, "center", str_center_m)
    add_method(t, "zfill", str_zfill_m)
    add_method(t, "partition", str_partition_m)
    add_method(t, "format", str_format_m)
