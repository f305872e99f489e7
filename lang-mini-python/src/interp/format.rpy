#! format.rpy: `format(value, spec)` (f-strings, `str.format`) and `%` formatting of guest
#! objects, over rpylib/format.rpy (the one implementation of the format-spec mini-language
#! and of printf-style conversions, tested against CPython).
#!
#! Vocabulary and invariants:
#! - This file only picks the rpylib function for a guest value (`format_int` for a machine
#!   word, `format_int_digits` for a big int's sign and decimal digits, `format_int_named` for
#!   a bool, `format_float`, `format_str`) and turns its RPy `ValueError`/`OverflowError` into
#!   the guest's with the same text.
#! - `%`: `[flags][width][.precision][length]conv` with flags `-+ #0`, `*` widths and
#!   precisions taken from the values, conversions `s r a c d i u x X o e E f F g G %`;
#!   CPython's errors for a wrong value type, too few or too many values; `%(key)s` takes
#!   the value from a dict (or a list: CPython's mapping test accepts any non-tuple, non-str
#!   sequence with items; the item lookup then raises).

def format_number_spec(w: W_Object, spec: str) -> str:
    if isinstance(w, W_Bool):
        if len(spec) == 0:
            return int_repr(w as W_Int)
        v = (w as W_Int).value
        return format_int_named(False, int_to_str(v), spec, "bool")
    if isinstance(w, W_Int):
        return format_int((w as W_Int).value, spec)
    if isinstance(w, W_Long):
        b = (w as W_Long).value
        if len(spec) > 0 and (spec[len(spec) - 1] == 'x' or spec[len(spec) - 1] == 'X' or spec[len(spec) - 1] == 'o' or spec[len(spec) - 1] == 'b'):
            return format_int_digits(big_sign(b) < 0, big_to_str(big_abs(b), 10), spec)
        return format_int_digits(big_sign(b) < 0, big_decimal_digits(b), spec)
    return format_float((w as W_Float).value, spec)

def format_spec(w: W_Object, spec: str) -> str:
    if len(spec) == 0 and (isinstance(w, W_IntUser) or isinstance(w, W_StrUser) or isinstance(w, W_FloatUser)):
        return str_of(w)
    if isinstance(w, W_Str) or is_number(w):
        try:
            if isinstance(w, W_Str):
                return format_str((w as W_Str).value, spec)
            return format_number_spec(w, spec)
        except ValueError as e:
            raise guest_error("ValueError", e.message)
        except OverflowError as oe:
            raise guest_error("OverflowError", oe.message)
    m = special(w, "__format__")
    if m is not None:
        return str_result(call_special2(m, w, W_Str(value=spec)), "__format__")
    if len(spec) != 0:
        raise type_error("unsupported format string passed to " + type_name(w) + ".__format__")
    return str_of(w)

def bi_format(a: Args) -> W_Object:
    check_args(a, "format", 1, 2)
    spec = ""
    if npos(a) == 2:
        spec = str_arg(a, 1, "format")
    return W_Str(value=format_spec(a.vals[0], spec))

# The state of one `fmt % values`: the values and the next one to take.
struct PercentArgs:
    vals: list[W_Object]
    next: int

def percent_next(p: PercentArgs) -> W_Object:
    if p.next >= len(p.vals):
        raise type_error("not enough arguments for format string")
    w = p.vals[p.next]
    p.next += 1
    return w

# A `*` width or precision: the next value, an int.
def percent_star(p: PercentArgs) -> int:
    w = percent_next(p)
    if not isinstance(w, W_Int):
        raise type_error("* wants int")
    return (w as W_Int).value

def percent_flag(c: char) -> int:
    if c == '-':
        return FMT_PCT_LEFT
    if c == '+':
        return FMT_PCT_PLUS
    if c == ' ':
        return FMT_PCT_SPACE
    if c == '#':
        return FMT_PCT_ALT
    if c == '0':
        return FMT_PCT_ZERO
    return 0

# One conversion of the value `w`.
def percent_one(w: W_Object, flags: int, width: int, prec: int, conv: char, index: int) -> str:
    if conv == 's':
        return percent_str(str_of(w), flags, width, prec)
    if conv == 'r':
        return percent_str(repr_of(w), flags, width, prec)
    if conv == 'a':
        return percent_str(ascii_escape(repr_of(w)), flags, width, prec)
    if conv == 'c':
        if isinstance(w, W_Str):
            s = (w as W_Str).value
            if len(s) != 1:
                raise type_error("%c requires int or char")
            return percent_str(s, flags, width, -1)
        if not is_int_obj(w):
            raise type_error("%c requires int or char")
    if conv == 'd' or conv == 'i' or conv == 'u' or conv == 'x' or conv == 'X' or conv == 'o' or conv == 'c':
        if isinstance(w, W_Float) and (conv == 'd' or conv == 'i' or conv == 'u'):
            w = bi_int(args1(w))
        if not is_int_obj(w):
            if conv == 'd' or conv == 'i' or conv == 'u':
                raise type_error("%" + char_to_str(conv) + " format: a real number is required, not " + type_name(w))
            raise type_error("%" + char_to_str(conv) + " format: an integer is required, not " + type_name(w))
        if isinstance(w, W_Long):
            b = (w as W_Long).value
            digits = big_to_str(big_abs(b), 10)
            if conv == 'd' or conv == 'i' or conv == 'u':
                digits = big_decimal_digits(b)
            return percent_int_digits(big_sign(b) < 0, digits, flags, width, prec, conv)
        return percent_int((w as W_Int).value, flags, width, prec, conv)
    if conv == 'e' or conv == 'E' or conv == 'f' or conv == 'F' or conv == 'g' or conv == 'G':
        if not is_number(w):
            raise type_error("must be real number, not " + type_name(w))
        return percent_float(as_float(w), flags, width, prec, conv)
    percent_bad_char(conv, index)
    return ""

# fmt % values.
def percent_format(fmt: str, values: W_Object) -> str:
    vals: list[W_Object] = []
    if isinstance(values, W_Tuple):
        vals = list_of_iterable(values)
    else:
        vals.append(values)
    p = PercentArgs(vals=vals, next=0)
    is_mapping = isinstance(values, W_Dict) or isinstance(values, W_List)
    b = new_builder()
    i = 0
    n = len(fmt)
    while i < n:
        c = fmt[i]
        if c != '%':
            builder_append_char(b, c)
            i += 1
            continue
        i += 1
        if i >= n:
            raise guest_error("ValueError", "incomplete format")
        keyed: W_Object = None
        if fmt[i] == '(':
            if not is_mapping:
                raise type_error("format requires a mapping")
            depth = 1
            i += 1
            start = i
            while i < n and depth > 0:
                if fmt[i] == '(':
                    depth += 1
                elif fmt[i] == ')':
                    depth -= 1
                i += 1
            if depth > 0:
                raise guest_error("ValueError", "incomplete format key")
            keyed = getitem(values, W_Str(value=fmt[start:i - 1]))
        flags = 0
        while i < n and percent_flag(fmt[i]) != 0:
            flags = flags | percent_flag(fmt[i])
            i += 1
        width = -1
        if i < n and fmt[i] == '*':
            width = percent_star(p)
            if width < 0:
                flags = flags | FMT_PCT_LEFT
                width = 0 - width
            i += 1
        else:
            while i < n and char_isdigit(fmt[i]):
                if width < 0:
                    width = 0
                width = width * 10 + (ord(fmt[i]) - 48)
                i += 1
        prec = -1
        if i < n and fmt[i] == '.':
            i += 1
            prec = 0
            if i < n and fmt[i] == '*':
                prec = percent_star(p)
                i += 1
            else:
                while i < n and char_isdigit(fmt[i]):
                    prec = prec * 10 + (ord(fmt[i]) - 48)
                    i += 1
        while i < n and (fmt[i] == 'l' or fmt[i] == 'h' or fmt[i] == 'L'):
            i += 1
        if i >= n:
            raise guest_error("ValueError", "incomplete format")
        conv = fmt[i]
        if conv == '%':
            builder_append_char(b, '%')
            i += 1
            continue
        w = keyed
        if w is None:
            w = percent_next(p)
        if width < 0:
            width = 0
        try:
            builder_append(b, percent_one(w, flags, width, prec, conv, i))
        except ValueError as e:
            raise guest_error("ValueError", e.message)
        except OverflowError as oe:
            raise guest_error("OverflowError", oe.message)
        i += 1
    if p.next < len(vals) and not is_mapping:
        raise type_error("not all arguments converted during string formatting")
    return builder_build(b)

def setup_format():
    add_builtin("format", bi_format)

# ascii(): a repr with every non-ASCII character escaped (\xNN, \uNNNN, \UNNNNNNNN).
def ascii_escape(s: str) -> str:
    b = new_builder()
    i = 0
    while i < len(s):
        c = ord(s[i])
        if c < 128:
            builder_append_char(b, s[i])
        elif c < 256:
            builder_append(b, "\\x" + hex_digits(c, 2))
        elif c < 65536:
            builder_append(b, "\\u" + hex_digits(c, 4))
        else:
            builder_append(b, "\\U" + hex_digits(c, 8))
        i += 1
    return builder_build(b)

def hex_digits(c: int, width: int) -> str:
    h = int_to_str_base(c, 16)
    while len(h) < width:
        h = "0" + h
    return h
