#! strchars.rpy: the str methods over character classes and mappings: `translate` and
#! `str.maketrans`, `casefold`, `expandtabs`, `isdecimal`, `isnumeric`, `isascii`,
#! `istitle`, `isidentifier`, `isprintable` and `format_map`.
#!
#! Vocabulary and invariants:
#! - The Unicode tables (unicodetables.rpy, CPython 3.11's) are parsed on first use into
#!   `STRCHARS`: sorted inclusive ranges `lo, hi, lo, hi, ...` searched by bisection, and
#!   the casefold exceptions (a character's folding when it is not its `lower()`).
#! - `isidentifier` is exact on ASCII; beyond, XID_Start/XID_Continue are not tabled here
#!   and it raises NotImplementedError naming the method, never a guess. `isdigit` and
#!   `repr`'s escapes (strs.rpy) use the tables too (`char_isdigit_exact`,
#!   `char_isprintable`).
#! - `translate` looks each code point up with `getitem` (any mapping or sequence): a
#!   LookupError keeps the character, None deletes it, an int or str replaces it.

struct StrChars:
    ready: bool
    decimal: list[int]
    numeric: list[int]
    digit: list[int]
    printable: list[int]
    fold: dict[int, str]

const STRCHARS = StrChars(ready=False, decimal=None, numeric=None, digit=None, printable=None, fold=None)

def hex_digit(c: char) -> int:
    n = ord(c)
    if n >= 48 and n <= 57:
        return n - 48
    return n - 87

# The hex number of `s` starting at `i` (lowercase digits), and where it ends.
def hex_at(s: str, i: int) -> int:
    v = 0
    while i < len(s) and s[i] != ' ' and s[i] != '-' and s[i] != ':' and s[i] != ',':
        v = v * 16 + hex_digit(s[i])
        i += 1
    return v

def hex_end(s: str, i: int) -> int:
    while i < len(s) and s[i] != ' ' and s[i] != '-' and s[i] != ':' and s[i] != ',':
        i += 1
    return i

# `lo-hi lo-hi ...` as the list `lo, hi, lo, hi, ...`.
def parse_ranges(s: str) -> list[int]:
    out: list[int] = []
    i = 0
    while i < len(s):
        if s[i] == ' ':
            i += 1
        else:
            out.append(hex_at(s, i))
            i = hex_end(s, i) + 1
    return out

# `cp:cp,cp cp:cp ...` as a dict from the code point to its folding.
def parse_fold(s: str) -> dict[int, str]:
    out: dict[int, str] = {}
    i = 0
    while i < len(s):
        if s[i] == ' ':
            i += 1
        else:
            key = hex_at(s, i)
            i = hex_end(s, i) + 1
            b = new_builder()
            while i < len(s) and s[i] != ' ':
                builder_append(b, char_to_str(chr(hex_at(s, i))))
                i = hex_end(s, i)
                if i < len(s) and s[i] == ',':
                    i += 1
            out[key] = builder_build(b)
    return out

def str_tables():
    if STRCHARS.ready:
        return
    STRCHARS.decimal = parse_ranges(decimal_ranges())
    STRCHARS.numeric = parse_ranges(numeric_ranges())
    STRCHARS.digit = parse_ranges(digit_ranges())
    STRCHARS.printable = parse_ranges(printable_ranges())
    STRCHARS.fold = parse_fold(casefold_special())
    STRCHARS.ready = True

# Whether `c` lies in one of the ranges `rs` (bisection over the pairs).
def in_ranges(rs: list[int], c: int) -> bool:
    lo = 0
    hi = len(rs) // 2
    while lo < hi:
        mid = (lo + hi) // 2
        if c < rs[2 * mid]:
            hi = mid
        elif c > rs[2 * mid + 1]:
            lo = mid + 1
        else:
            return True
    return False

def char_isdecimal(c: int) -> bool:
    if c < 128:
        return c >= 48 and c <= 57
    str_tables()
    return in_ranges(STRCHARS.decimal, c)

def char_isnumeric(c: int) -> bool:
    if c < 128:
        return c >= 48 and c <= 57
    str_tables()
    return in_ranges(STRCHARS.numeric, c)

def char_isdigit_exact(c: int) -> bool:
    if c < 128:
        return c >= 48 and c <= 57
    str_tables()
    return in_ranges(STRCHARS.digit, c)

# CPython's `str.isprintable` of one code point (what `repr` leaves unescaped).
def char_isprintable(c: int) -> bool:
    if c < 128:
        return c >= 32 and c < 127
    str_tables()
    return in_ranges(STRCHARS.printable, c)

def str_isdigit_exact(s: str) -> bool:
    i = 0
    while i < len(s):
        if not char_isdigit_exact(ord(s[i])):
            return False
        i += 1
    return len(s) > 0

# `\xhh`, `\uhhhh` or `\Uhhhhhhhh`: how `repr` writes a character it does not print.
def repr_escape(o: int) -> str:
    h = int_to_str_base(o, 16)
    width = 2
    prefix = "\\x"
    if o >= 65536:
        width = 8
        prefix = "\\U"
    elif o >= 256:
        width = 4
        prefix = "\\u"
    return prefix + str_repeat("0", width - len(h)) + h

def str_isdecimal_m(a: Args) -> W_Object:
    check_args(a, "isdecimal", 1, 1)
    s = str_arg(a, 0, "isdecimal")
    i = 0
    while i < len(s):
        if not char_isdecimal(ord(s[i])):
            return wrap_bool(False)
        i += 1
    return wrap_bool(len(s) > 0)

def str_isnumeric_m(a: Args) -> W_Object:
    check_args(a, "isnumeric", 1, 1)
    s = str_arg(a, 0, "isnumeric")
    i = 0
    while i < len(s):
        if not char_isnumeric(ord(s[i])):
            return wrap_bool(False)
        i += 1
    return wrap_bool(len(s) > 0)

def str_isascii_m(a: Args) -> W_Object:
    check_args(a, "isascii", 1, 1)
    s = str_arg(a, 0, "isascii")
    i = 0
    while i < len(s):
        if ord(s[i]) >= 128:
            return wrap_bool(False)
        i += 1
    return wrap_bool(True)

# CPython's istitle: every cased run starts with an upper- or titlecase character.
def str_istitle_m(a: Args) -> W_Object:
    check_args(a, "istitle", 1, 1)
    s = str_arg(a, 0, "istitle")
    cased = False
    prev_cased = False
    i = 0
    while i < len(s):
        c = char_to_str(s[i])
        up = str_upper(c)
        lo = str_lower(c)
        if up != lo and c != lo:
            if prev_cased:
                return wrap_bool(False)
            prev_cased = True
            cased = True
        elif up != lo:
            if not prev_cased:
                return wrap_bool(False)
            prev_cased = True
            cased = True
        else:
            prev_cased = False
        i += 1
    return wrap_bool(cased)

def ascii_ident_char(c: int, first: bool) -> bool:
    if c == 95 or (c >= 65 and c <= 90) or (c >= 97 and c <= 122):
        return True
    return not first and c >= 48 and c <= 57

def str_isidentifier_m(a: Args) -> W_Object:
    check_args(a, "isidentifier", 1, 1)
    s = str_arg(a, 0, "isidentifier")
    i = 0
    while i < len(s):
        c = ord(s[i])
        if c >= 128:
            raise not_implemented("str.isidentifier of non-ASCII text")
        if not ascii_ident_char(c, i == 0):
            return wrap_bool(False)
        i += 1
    return wrap_bool(len(s) > 0)

def str_isprintable_m(a: Args) -> W_Object:
    check_args(a, "isprintable", 1, 1)
    s = str_arg(a, 0, "isprintable")
    i = 0
    while i < len(s):
        if not char_isprintable(ord(s[i])):
            return wrap_bool(False)
        i += 1
    return wrap_bool(True)

def str_casefold_m(a: Args) -> W_Object:
    check_args(a, "casefold", 1, 1)
    s = str_arg(a, 0, "casefold")
    str_tables()
    b = new_builder()
    i = 0
    while i < len(s):
        c = ord(s[i])
        if c in STRCHARS.fold:
            builder_append(b, STRCHARS.fold[c])
        else:
            builder_append(b, str_lower(char_to_str(s[i])))
        i += 1
    return W_Str(value=builder_build(b))

def str_expandtabs_m(a: Args) -> W_Object:
    check_args(a, "expandtabs", 1, 2)
    s = str_arg(a, 0, "expandtabs")
    size = 8
    w = kwarg(a, "tabsize")
    if npos(a) == 2:
        w = a.vals[1]
    if w is not None:
        size = int_of(index_of(w))
    b = new_builder()
    col = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == '\t':
            if size > 0:
                n = size - col % size
                builder_append(b, str_repeat(" ", n))
                col += n
        else:
            builder_append(b, char_to_str(c))
            if c == '\n' or c == '\r':
                col = 0
            else:
                col += 1
        i += 1
    return W_Str(value=builder_build(b))

# One key of a `str.maketrans` dict: a one-character str becomes its code point.
def trans_key(k: W_Object) -> W_Object:
    if isinstance(k, W_Str):
        s = (k as W_Str).value
        if len(s) != 1:
            raise guest_error("ValueError", "string keys in translate table must be of length 1")
        return W_Int(value=ord(s[0]))
    if isinstance(k, W_Int):
        return k
    raise type_error("keys in translate table must be strings or integers")

def str_maketrans(a: Args) -> W_Object:
    n = npos(a)
    if n < 1 or n > 3:
        if n < 1:
            raise type_error("maketrans expected at least 1 argument, got " + int_to_str(n))
        raise type_error("maketrans expected at most 3 arguments, got " + int_to_str(n))
    out = new_dict()
    if n == 1:
        w = a.vals[0]
        if not isinstance(w, W_Dict):
            raise type_error("if you give only one argument to maketrans it must be a dict")
        d = (w as W_Dict).d
        keys = d.keys()
        i = 0
        while i < len(keys):
            setitem(out, trans_key(keys[i]), d[keys[i]])
            i += 1
        return out
    if not isinstance(a.vals[0], W_Str):
        raise type_error("first maketrans argument must be a string if there is a second argument")
    if not isinstance(a.vals[1], W_Str):
        raise type_error("maketrans() argument 2 must be str, not " + type_name(a.vals[1]))
    x = (a.vals[0] as W_Str).value
    y = (a.vals[1] as W_Str).value
    if len(x) != len(y):
        raise guest_error("ValueError", "the first two maketrans arguments must have equal length")
    i = 0
    while i < len(x):
        setitem(out, W_Int(value=ord(x[i])), W_Int(value=ord(y[i])))
        i += 1
    if n == 3:
        if not isinstance(a.vals[2], W_Str):
            raise type_error("maketrans() argument 3 must be str, not " + type_name(a.vals[2]))
        z = (a.vals[2] as W_Str).value
        i = 0
        while i < len(z):
            setitem(out, W_Int(value=ord(z[i])), W_NONE)
            i += 1
    return out

# table[c], or None when the table has no entry (a LookupError).
def trans_lookup(table: W_Object, c: int) -> W_Object:
    try:
        return getitem(table, W_Int(value=c))
    except GuestError as e:
        if is_instance_of(e.w, builtin_type("LookupError")):
            return None
        raise e
    return None

def str_translate_m(a: Args) -> W_Object:
    s = str_arg(a, 0, "translate")
    if npos(a) != 2:
        raise type_error("str.translate() takes exactly one argument (" + int_to_str(npos(a) - 1) + " given)")
    table = a.vals[1]
    b = new_builder()
    i = 0
    while i < len(s):
        r = trans_lookup(table, ord(s[i]))
        if r is None:
            builder_append(b, char_to_str(s[i]))
        elif r is W_NONE:
            i += 0
        elif isinstance(r, W_Int):
            v = (r as W_Int).value
            if v < 0 or v > 1114111:
                raise guest_error("ValueError", "character mapping must be in range(0x110000)")
            builder_append(b, char_to_str(chr(v)))
        elif isinstance(r, W_Str):
            builder_append(b, (r as W_Str).value)
        else:
            raise type_error("character mapping must return integer, None or str")
        i += 1
    return W_Str(value=builder_build(b))

def str_format_map_m(a: Args) -> W_Object:
    fmt = str_arg(a, 0, "format_map")
    if npos(a) != 2:
        raise type_error("format_map() takes exactly one argument (" + int_to_str(npos(a) - 1) + " given)")
    call = FormatCall(args=args1(a.vals[0]), auto=0, manual=False, mapping=a.vals[1])
    return W_Str(value=format_build(call, fmt, 2))

def setup_strchars():
    t = TYPES_BY_KIND.str_type
    add_method(t, "isdecimal", str_isdecimal_m)
    add_method(t, "isnumeric", str_isnumeric_m)
    add_method(t, "isascii", str_isascii_m)
    add_method(t, "istitle", str_istitle_m)
    add_method(t, "isidentifier", str_isidentifier_m)
    add_method(t, "isprintable", str_isprintable_m)
    add_method(t, "casefold", str_casefold_m)
    add_method(t, "expandtabs", str_expandtabs_m)
    add_method(t, "translate", str_translate_m)
    add_method(t, "format_map", str_format_map_m)
    type_set(t, intern("maketrans"), W_StaticMethod(func=W_Builtin(name="maketrans", f=str_maketrans)))
