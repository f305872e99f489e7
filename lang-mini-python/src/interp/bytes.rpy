#! bytes.rpy: the `bytes` type (immutable byte strings): literals, the constructor, the
#! sequence protocol, comparisons, hashing, repr, and the common methods.
#!
#! Vocabulary and invariants:
#! - A `W_Bytes` holds its bytes as an RPy `str` whose every character is below 256
#!   (`value`), so slicing, searching, comparing and hashing reuse the str primitives: the
#!   order of such strings is the order of the byte strings, and `hash(b'..')` is the hash
#!   of the str with the same code points, as in CPython (`hash(b'a') == hash('a')`).
#! - The operations reach bytes through the type's special methods (`__repr__`, `__eq__`,
#!   `__lt__`..., `__hash__`, `__len__`, `__getitem__`, `__contains__`, `__iter__`, `__add__`,
#!   `__mul__`, `__rmul__`): a `W_Bytes` is a `W_TypeMethods`, whose special methods
#!   `special()` in operations.rpy looks up in the type's dict, so no operation needs a
#!   bytes case of its own. Indexing
#!   gives ints; `print(b)` prints the repr (str() of bytes is its repr, as CPython's).
#! - The search methods (`find`, `count`, `replace`, `startswith`, ...) run the str methods
#!   on the same characters (`bytes_via_str`): arguments that are bytes become strs, an int
#!   0..255 a one-character str where CPython takes one, anything else is CPython's
#!   TypeError for that method; strs in the result become bytes again. The methods whose
#!   str version differs beyond ASCII (`upper`, `lower`, `split()`, `strip()` without
#!   arguments) are written here over ASCII only, as CPython's bytes methods are.
#! - Not done: `%` formatting of bytes, the less common methods (`center`, `splitlines`,
#!   `translate`, ...: bound, raising NotImplementedError), `bytearray`, `memoryview`
#!   (NotImplementedError).

struct W_Bytes(W_TypeMethods) immutable:
    value: str

    def get_type(self) -> W_Type:
        return BYTES.bytes_type

struct BytesTypes:
    bytes_type: W_Type

const BYTES = BytesTypes(bytes_type=None)

struct W_BytesIter(W_Iter):
    value: str
    index: int

    def next_or_none(self) -> W_Object:
        i = self.index
        if i < len(self.value):
            self.index = i + 1
            return W_Int(value=ord(self.value[i]))
        return None

def wrap_bytes(s: str) -> W_Object:
    return W_Bytes(value=s)

def bytes_repr(s: str) -> str:
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
    builder_append_char(b, 'b')
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
        elif o < 32 or o >= 127:
            builder_append(b, "\\x" + hex2(o))
        else:
            builder_append_char(b, c)
        i += 1
    builder_append_char(b, quote)
    return builder_build(b)

# Two lower-case hex digits of a byte.
def hex2(o: int) -> str:
    digits = "0123456789abcdef"
    return char_to_str(digits[o // 16]) + char_to_str(digits[o % 16])

# The receiver of a bytes method.
def bytes_self(a: Args, name: str) -> str:
    w = a.vals[0]
    if not isinstance(w, W_Bytes):
        raise type_error("descriptor '" + name + "' for 'bytes' objects doesn't apply to a '" + type_name(w) + "' object")
    return (w as W_Bytes).value

# The bytes of a bytes-like argument, or CPython's TypeError.
def bytes_like(w: W_Object) -> str:
    if isinstance(w, W_Bytes):
        return (w as W_Bytes).value
    raise type_error("a bytes-like object is required, not '" + type_name(w) + "'")

# A byte given as an int (`98 in b'abc'`, `b'abc'.find(98)`).
def byte_of_int(w: W_Object) -> str:
    v = int_of(w)
    if v < 0 or v > 255:
        raise guest_error("ValueError", "byte must be in range(0, 256)")
    return char_to_str(chr(v))

def bytes_from_ints(items: list[W_Object]) -> str:
    chars = array[char](len(items))
    i = 0
    while i < len(items):
        w = items[i]
        if not is_int_obj(w) and special(w, "__index__") is None:
            raise type_error("'" + type_name(w) + "' object cannot be interpreted as an integer")
        v = int_of(w)
        if v < 0 or v > 255:
            raise guest_error("ValueError", "bytes must be in range(0, 256)")
        chars[i] = chr(v)
        i += 1
    return str_from_chars(chars)

# bytes(), bytes(n), bytes(iterable of ints), bytes(b), bytes(s, encoding[, errors]).
def bi_bytes(a: Args) -> W_Object:
    check_args(a, "bytes", 0, 3)
    src: W_Object = None
    if npos(a) > 0:
        src = a.vals[0]
    else:
        src = kwarg(a, "source")
    enc = kwarg(a, "encoding")
    if npos(a) > 1:
        enc = a.vals[1]
    errors = kwarg(a, "errors")
    if npos(a) > 2:
        errors = a.vals[2]
    if src is None:
        if enc is not None or errors is not None:
            raise type_error("encoding or errors without sequence argument")
        return W_Bytes(value="")
    if isinstance(src, W_Str):
        if enc is None:
            raise type_error("string argument without an encoding")
        return W_Bytes(value=encode_str((src as W_Str).value, codec_arg(enc, "bytes"), errors_arg(errors, "bytes")))
    if enc is not None:
        raise type_error("encoding without a string argument")
    if errors is not None:
        raise type_error("errors without a string argument")
    if isinstance(src, W_Bytes):
        return W_Bytes(value=(src as W_Bytes).value)
    if is_int_obj(src) or special(src, "__index__") is not None:
        n = int_of(src)
        if n < 0:
            raise guest_error("ValueError", "negative count")
        return W_Bytes(value=str_repeat("\x00", n))
    if isinstance(src, W_Float) or src is W_NONE:
        raise type_error("cannot convert '" + type_name(src) + "' object to bytes")
    return W_Bytes(value=bytes_from_ints(list_of_iterable(src)))

def bytes_repr_m(a: Args) -> W_Object:
    return W_Str(value=bytes_repr(bytes_self(a, "__repr__")))

def bytes_hash_m(a: Args) -> W_Object:
    return W_Int(value=str_hash(bytes_self(a, "__hash__")))

def bytes_len_m(a: Args) -> W_Object:
    return W_Int(value=len(bytes_self(a, "__len__")))

# The comparison `op` of two bytes, NotImplemented for anything else.
def bytes_compare(a: Args, op: int) -> W_Object:
    s = bytes_self(a, cmp_special(op))
    o = a.vals[1]
    if not isinstance(o, W_Bytes):
        return NOT_IMPLEMENTED
    return wrap_bool(int_compare(str_cmp(s, (o as W_Bytes).value), op, 0))

def bytes_eq_m(a: Args) -> W_Object:
    return bytes_compare(a, CMP_EQ)

def bytes_ne_m(a: Args) -> W_Object:
    return bytes_compare(a, CMP_NE)

def bytes_lt_m(a: Args) -> W_Object:
    return bytes_compare(a, CMP_LT)

def bytes_le_m(a: Args) -> W_Object:
    return bytes_compare(a, CMP_LE)

def bytes_gt_m(a: Args) -> W_Object:
    return bytes_compare(a, CMP_GT)

def bytes_ge_m(a: Args) -> W_Object:
    return bytes_compare(a, CMP_GE)

def bytes_getitem_m(a: Args) -> W_Object:
    check_args(a, "__getitem__", 2, 2)
    s = bytes_self(a, "__getitem__")
    k = a.vals[1]
    if isinstance(k, W_Slice):
        idx = slice_indices(k as W_Slice, len(s))
        b = new_builder()
        i = 0
        while i < len(idx):
            builder_append_char(b, s[idx[i]])
            i += 1
        return W_Bytes(value=builder_build(b))
    if not is_int_obj(k) and special(k, "__index__") is None:
        raise type_error("byte indices must be integers or slices, not " + type_name(k))
    i = int_of(k)
    if i < 0:
        i += len(s)
    if i < 0 or i >= len(s):
        raise guest_error("IndexError", "index out of range")
    return W_Int(value=ord(s[i]))

def bytes_contains_m(a: Args) -> W_Object:
    check_args(a, "__contains__", 2, 2)
    s = bytes_self(a, "__contains__")
    x = a.vals[1]
    sub = ""
    if is_int_obj(x):
        sub = byte_of_int(x)
    else:
        sub = bytes_like(x)
    return wrap_bool(str_find(s, sub) >= 0)

def bytes_iter_m(a: Args) -> W_Object:
    return W_BytesIter(value=bytes_self(a, "__iter__"), index=0)

def bytes_add_m(a: Args) -> W_Object:
    check_args(a, "__add__", 2, 2)
    s = bytes_self(a, "__add__")
    o = a.vals[1]
    if not isinstance(o, W_Bytes):
        raise type_error("can't concat " + type_name(o) + " to bytes")
    return W_Bytes(value=s + (o as W_Bytes).value)

def bytes_mul_m(a: Args) -> W_Object:
    check_args(a, "__mul__", 2, 2)
    s = bytes_self(a, "__mul__")
    o = a.vals[1]
    if not is_int_obj(o) and special(o, "__index__") is None:
        raise type_error("can't multiply sequence by non-int of type '" + type_name(o) + "'")
    n = int_of(o)
    if n <= 0:
        return W_Bytes(value="")
    return W_Bytes(value=str_repeat(s, n))

def bytes_rmul_m(a: Args) -> W_Object:
    check_args(a, "__rmul__", 2, 2)
    s = bytes_self(a, "__rmul__")
    o = a.vals[1]
    if not is_int_obj(o) and special(o, "__index__") is None:
        if is_sequence(o):
            raise type_error("can't multiply sequence by non-int of type 'bytes'")
        return NOT_IMPLEMENTED
    n = int_of(o)
    if n <= 0:
        return W_Bytes(value="")
    return W_Bytes(value=str_repeat(s, n))

def bytes_mod_m(a: Args) -> W_Object:
    raise not_implemented("%-formatting of bytes")

# The bytes methods CPython has beyond the common ones done here.
def bytes_other_m(a: Args) -> W_Object:
    raise not_implemented("this bytes method (only the common ones are done)")

const BYTES_OTHER_METHODS = "capitalize center expandtabs isascii istitle ljust maketrans removeprefix removesuffix rjust splitlines swapcase title translate zfill"

def add_bytes_other_methods(t: W_Type):
    names = str_split(BYTES_OTHER_METHODS, " ")
    i = 0
    while i < len(names):
        add_method(t, names[i], bytes_other_m)
        i += 1

# What CPython says when argument `w` of bytes method `name` is not bytes.
def bytes_arg_error(name: str, w: W_Object) -> GuestError:
    if name == "find" or name == "rfind" or name == "index" or name == "rindex" or name == "count":
        return type_error("argument should be integer or bytes-like object, not '" + type_name(w) + "'")
    return type_error("a bytes-like object is required, not '" + type_name(w) + "'")

# Argument `w` of bytes method `name` as the str the str method takes.
def bytes_arg_as_str(name: str, w: W_Object, pos: int) -> W_Object:
    if isinstance(w, W_Bytes):
        return W_Str(value=(w as W_Bytes).value)
    if w is W_NONE:
        return w
    if pos >= 2 and (name == "find" or name == "rfind" or name == "index" or name == "rindex" or name == "count"):
        return w
    if pos >= 3 and name == "replace":
        return w
    if pos >= 2 and (name == "startswith" or name == "endswith"):
        return w
    if pos >= 2 and (name == "split" or name == "rsplit"):
        return w
    if pos == 1 and is_int_obj(w) and (name == "find" or name == "rfind" or name == "index" or name == "rindex" or name == "count"):
        return W_Str(value=byte_of_int(w))
    if pos == 1 and (name == "startswith" or name == "endswith"):
        if isinstance(w, W_Tuple):
            items = (w as W_Tuple).items
            out = array[W_Object](len(items))
            i = 0
            while i < len(items):
                out[i] = W_Str(value=bytes_like(items[i]))
                i += 1
            return W_Tuple(items=out)
        raise type_error(name + " first arg must be bytes or a tuple of bytes, not " + type_name(w))
    raise bytes_arg_error(name, w)

# A str method's result as the bytes method's: strs become bytes, in lists and tuples too.
def str_result_as_bytes(w: W_Object) -> W_Object:
    if isinstance(w, W_Str):
        return W_Bytes(value=(w as W_Str).value)
    if isinstance(w, W_List):
        l = (w as W_List).items
        out: list[W_Object] = []
        i = 0
        while i < len(l):
            out.append(str_result_as_bytes(l[i]))
            i += 1
        return W_List(items=out)
    if isinstance(w, W_Tuple):
        items = (w as W_Tuple).items
        arr = array[W_Object](len(items))
        i = 0
        while i < len(items):
            arr[i] = str_result_as_bytes(items[i])
            i += 1
        return W_Tuple(items=arr)
    return w

# Runs str method `f` on the bytes' characters (see the header).
def bytes_via_str(a: Args, name: str, f: fn(Args) -> W_Object) -> W_Object:
    s = bytes_self(a, name)
    vals = array[W_Object](len(a.vals))
    vals[0] = W_Str(value=s)
    n = npos(a)
    i = 1
    while i < len(a.vals):
        if i < n:
            vals[i] = bytes_arg_as_str(name, a.vals[i], i)
        else:
            vals[i] = bytes_arg_as_str(name, a.vals[i], 9)
        i += 1
    return str_result_as_bytes(f(Args(vals=vals, kwnames=a.kwnames)))

def bytes_find_m(a: Args) -> W_Object:
    return bytes_via_str(a, "find", str_find_m)

def bytes_rfind_m(a: Args) -> W_Object:
    return bytes_via_str(a, "rfind", str_rfind_m)

def bytes_index_m(a: Args) -> W_Object:
    r = bytes_via_str(a, "index", str_find_m)
    if int_of(r) < 0:
        raise guest_error("ValueError", "subsection not found")
    return r

def bytes_rindex_m(a: Args) -> W_Object:
    r = bytes_via_str(a, "rindex", str_rfind_m)
    if int_of(r) < 0:
        raise guest_error("ValueError", "subsection not found")
    return r

def bytes_count_m(a: Args) -> W_Object:
    return bytes_via_str(a, "count", str_count_m)

def bytes_replace_m(a: Args) -> W_Object:
    return bytes_via_str(a, "replace", str_replace_m)

def bytes_startswith_m(a: Args) -> W_Object:
    return bytes_via_str(a, "startswith", str_startswith_m)

def bytes_endswith_m(a: Args) -> W_Object:
    return bytes_via_str(a, "endswith", str_endswith_m)

def bytes_partition_m(a: Args) -> W_Object:
    return bytes_via_str(a, "partition", str_partition_m)

def bytes_rpartition_m(a: Args) -> W_Object:
    return bytes_via_str(a, "rpartition", str_rpartition_m)

def is_ascii_space(c: char) -> bool:
    return c == ' ' or c == '\t' or c == '\n' or c == '\r' or c == '\x0b' or c == '\x0c'

# split/rsplit: with a separator the str method's, without one on ASCII whitespace.
def bytes_split_any(a: Args, name: str, from_right: bool) -> W_Object:
    check_args(a, name, 1, 3)
    sep = kwarg(a, "sep")
    if npos(a) > 1:
        sep = a.vals[1]
    if sep is not None and sep is not W_NONE:
        if from_right:
            return bytes_via_str(a, name, str_rsplit_m)
        return bytes_via_str(a, name, str_split_m)
    s = bytes_self(a, name)
    maxsplit = -1
    mw = kwarg(a, "maxsplit")
    if npos(a) > 2:
        mw = a.vals[2]
    if mw is not None:
        maxsplit = int_of(mw)
    words: list[W_Object] = []
    if from_right:
        j = len(s)
        while j > 0:
            while j > 0 and is_ascii_space(s[j - 1]):
                j -= 1
            if j == 0:
                break
            if maxsplit >= 0 and len(words) == maxsplit:
                words.append(W_Bytes(value=str_slice(s, 0, j)))
                break
            i = j
            while i > 0 and not is_ascii_space(s[i - 1]):
                i -= 1
            words.append(W_Bytes(value=str_slice(s, i, j)))
            j = i
        words.reverse()
        return W_List(items=words)
    i = 0
    while i < len(s):
        while i < len(s) and is_ascii_space(s[i]):
            i += 1
        if i == len(s):
            break
        if maxsplit >= 0 and len(words) == maxsplit:
            words.append(W_Bytes(value=str_slice(s, i, len(s))))
            break
        j = i
        while j < len(s) and not is_ascii_space(s[j]):
            j += 1
        words.append(W_Bytes(value=str_slice(s, i, j)))
        i = j
    return W_List(items=words)

def bytes_split_m(a: Args) -> W_Object:
    return bytes_split_any(a, "split", False)

def bytes_rsplit_m(a: Args) -> W_Object:
    return bytes_split_any(a, "rsplit", True)

def in_chars(c: char, chars: str) -> bool:
    i = 0
    while i < len(chars):
        if chars[i] == c:
            return True
        i += 1
    return False

def bytes_strip_any(a: Args, name: str, left: bool, right: bool) -> W_Object:
    check_args(a, name, 1, 2)
    s = bytes_self(a, name)
    chars = " \t\n\r\x0b\x0c"
    if npos(a) > 1 and a.vals[1] is not W_NONE:
        chars = bytes_like(a.vals[1])
    i = 0
    j = len(s)
    if left:
        while i < j and in_chars(s[i], chars):
            i += 1
    if right:
        while j > i and in_chars(s[j - 1], chars):
            j -= 1
    return W_Bytes(value=str_slice(s, i, j))

def bytes_strip_m(a: Args) -> W_Object:
    return bytes_strip_any(a, "strip", True, True)

def bytes_lstrip_m(a: Args) -> W_Object:
    return bytes_strip_any(a, "lstrip", True, False)

def bytes_rstrip_m(a: Args) -> W_Object:
    return bytes_strip_any(a, "rstrip", False, True)

# ASCII case mapping: `delta` added to the letters between `lo` and `hi`.
def bytes_map_case(a: Args, name: str, lo: int, hi: int, delta: int) -> W_Object:
    check_args(a, name, 1, 1)
    s = bytes_self(a, name)
    chars = array[char](len(s))
    i = 0
    while i < len(s):
        o = ord(s[i])
        if o >= lo and o <= hi:
            o += delta
        chars[i] = chr(o)
        i += 1
    return W_Bytes(value=str_from_chars(chars))

def bytes_upper_m(a: Args) -> W_Object:
    return bytes_map_case(a, "upper", 97, 122, -32)

def bytes_lower_m(a: Args) -> W_Object:
    return bytes_map_case(a, "lower", 65, 90, 32)

# isdigit/isalpha/isalnum/isspace/isupper/islower over ASCII: `kind` names the test.
def bytes_test(a: Args, kind: str) -> W_Object:
    check_args(a, kind, 1, 1)
    s = bytes_self(a, kind)
    if len(s) == 0:
        return W_FALSE
    cased = False
    i = 0
    while i < len(s):
        o = ord(s[i])
        digit = o >= 48 and o <= 57
        upper = o >= 65 and o <= 90
        lower = o >= 97 and o <= 122
        ok = True
        if kind == "isdigit":
            ok = digit
        elif kind == "isalpha":
            ok = upper or lower
        elif kind == "isalnum":
            ok = upper or lower or digit
        elif kind == "isspace":
            ok = is_ascii_space(s[i])
        elif kind == "isupper":
            ok = not lower
            cased = cased or upper
        else:
            ok = not upper
            cased = cased or lower
        if not ok:
            return W_FALSE
        i += 1
    if kind == "isupper" or kind == "islower":
        return wrap_bool(cased)
    return W_TRUE

def bytes_isdigit_m(a: Args) -> W_Object:
    return bytes_test(a, "isdigit")

def bytes_isalpha_m(a: Args) -> W_Object:
    return bytes_test(a, "isalpha")

def bytes_isalnum_m(a: Args) -> W_Object:
    return bytes_test(a, "isalnum")

def bytes_isspace_m(a: Args) -> W_Object:
    return bytes_test(a, "isspace")

def bytes_isupper_m(a: Args) -> W_Object:
    return bytes_test(a, "isupper")

def bytes_islower_m(a: Args) -> W_Object:
    return bytes_test(a, "islower")

def bytes_join_m(a: Args) -> W_Object:
    check_args(a, "join", 2, 2)
    sep = bytes_self(a, "join")
    items = list_of_iterable(a.vals[1])
    b = new_builder()
    i = 0
    while i < len(items):
        w = items[i]
        if not isinstance(w, W_Bytes):
            raise type_error("sequence item " + int_to_str(i) + ": expected a bytes-like object, " + type_name(w) + " found")
        if i > 0:
            builder_append(b, sep)
        builder_append(b, (w as W_Bytes).value)
        i += 1
    return W_Bytes(value=builder_build(b))

# b.hex(), b.hex(sep), b.hex(sep, bytes_per_sep) (a positive count groups from the right).
def bytes_hex_m(a: Args) -> W_Object:
    check_args(a, "hex", 1, 3)
    s = bytes_self(a, "hex")
    sep = ""
    if npos(a) > 1:
        w = a.vals[1]
        if isinstance(w, W_Str):
            sep = (w as W_Str).value
        else:
            sep = bytes_like(w)
        if len(sep) != 1:
            raise guest_error("ValueError", "sep must be length 1.")
    group = 1
    if npos(a) > 2:
        group = int_of(a.vals[2])
    if group == 0:
        sep = ""
    b = new_builder()
    n = len(s)
    i = 0
    while i < n:
        if i > 0 and len(sep) > 0:
            if group > 0 and (n - i) % group == 0:
                builder_append(b, sep)
            if group < 0 and i % (0 - group) == 0:
                builder_append(b, sep)
        builder_append(b, hex2(ord(s[i])))
        i += 1
    return W_Str(value=builder_build(b))

def hex_value(c: char) -> int:
    o = ord(c)
    if o >= 48 and o <= 57:
        return o - 48
    if o >= 97 and o <= 102:
        return o - 87
    if o >= 65 and o <= 70:
        return o - 55
    return -1

# bytes.fromhex(s): pairs of hex digits, ASCII whitespace allowed between pairs.
def bytes_fromhex_m(a: Args) -> W_Object:
    check_args(a, "fromhex", 1, 1)
    w = a.vals[0]
    if not isinstance(w, W_Str):
        raise type_error("fromhex() argument must be str, not " + type_name(w))
    s = (w as W_Str).value
    b = new_builder()
    i = 0
    while i < len(s):
        if is_ascii_space(s[i]):
            i += 1
            continue
        hi = hex_value(s[i])
        if hi < 0:
            raise guest_error("ValueError", "non-hexadecimal number found in fromhex() arg at position " + int_to_str(i))
        if i + 1 >= len(s) or hex_value(s[i + 1]) < 0:
            raise guest_error("ValueError", "non-hexadecimal number found in fromhex() arg at position " + int_to_str(i + 1))
        builder_append_char(b, chr(hi * 16 + hex_value(s[i + 1])))
        i += 2
    return W_Bytes(value=builder_build(b))

def setup_bytes():
    t = new_type("bytes", SPACE.object_type, KIND_BUILTIN)
    BYTES.bytes_type = t
    t.constructor = W_Builtin(name="bytes", f=bi_bytes)
    ns_set(SPACE.builtins, intern("bytes"), t)
    add_method(t, "__repr__", bytes_repr_m)
    add_method(t, "__hash__", bytes_hash_m)
    add_method(t, "__len__", bytes_len_m)
    add_method(t, "__eq__", bytes_eq_m)
    add_method(t, "__ne__", bytes_ne_m)
    add_method(t, "__lt__", bytes_lt_m)
    add_method(t, "__le__", bytes_le_m)
    add_method(t, "__gt__", bytes_gt_m)
    add_method(t, "__ge__", bytes_ge_m)
    add_method(t, "__getitem__", bytes_getitem_m)
    add_method(t, "__contains__", bytes_contains_m)
    add_method(t, "__iter__", bytes_iter_m)
    add_method(t, "__add__", bytes_add_m)
    add_method(t, "__mul__", bytes_mul_m)
    add_method(t, "__rmul__", bytes_rmul_m)
    add_method(t, "__mod__", bytes_mod_m)
    add_method(t, "find", bytes_find_m)
    add_method(t, "rfind", bytes_rfind_m)
    add_method(t, "index", bytes_index_m)
    add_method(t, "rindex", bytes_rindex_m)
    add_method(t, "count", bytes_count_m)
    add_method(t, "replace", bytes_replace_m)
    add_method(t, "startswith", bytes_startswith_m)
    add_method(t, "endswith", bytes_endswith_m)
    add_method(t, "partition", bytes_partition_m)
    add_method(t, "rpartition", bytes_rpartition_m)
    add_method(t, "split", bytes_split_m)
    add_method(t, "rsplit", bytes_rsplit_m)
    add_method(t, "strip", bytes_strip_m)
    add_method(t, "lstrip", bytes_lstrip_m)
    add_method(t, "rstrip", bytes_rstrip_m)
    add_method(t, "upper", bytes_upper_m)
    add_method(t, "lower", bytes_lower_m)
    add_method(t, "isdigit", bytes_isdigit_m)
    add_method(t, "isalpha", bytes_isalpha_m)
    add_method(t, "isalnum", bytes_isalnum_m)
    add_method(t, "isspace", bytes_isspace_m)
    add_method(t, "isupper", bytes_isupper_m)
    add_method(t, "islower", bytes_islower_m)
    add_method(t, "join", bytes_join_m)
    add_method(t, "hex", bytes_hex_m)
    add_method(t, "fromhex", bytes_fromhex_m)
    add_method(t, "decode", bytes_decode_m)
    add_bytes_other_methods(t)
