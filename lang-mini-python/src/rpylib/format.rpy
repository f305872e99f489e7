# mini-Python's string formatting over plain RPy values: the format-spec mini-language of
# `format(value, spec)`, f-strings and `str.format` for ints, floats and strs, as CPython 3.11's
# Python/formatter_unicode.c does it, and one `%` conversion (`'%-5d' % n`) as
# Objects/unicodeobject.c's printf-style formatting does it.
#
# Vocabulary:
# - spec: the text after `:` (`>8`, `08.3f`); `FmtSpec` is it parsed:
#   [[fill]align][sign][z][#][0][width][grouping][.precision][kind].
# - kind: the presentation type (`d`, `x`, `f`, `%`, ...; NUL when absent).
# - digits: an int's magnitude written in decimal without sign; a big int reaches us as
#   `format_int_digits(negative, digits, spec)`, an RPy int as `format_int(n, spec)`.
# - a number is laid out as CPython's calc_number_widths does:
#   <lpadding><sign><prefix><spadding><grouped digits><decimal point><remainder><rpadding>,
#   where the remainder is what follows the integer digits (fraction, exponent, `%`).
# - percent flags: a bit set of `-` (1), `+` (2), ` ` (4), `#` (8), `0` (16), as the
#   interpreter parses `%` conversions (constants FMT_PCT_*).
#
# Errors are RPy exceptions with CPython 3.11's class and text (`ValueError: Unknown format
# code 'd' for object of type 'float'`, `Invalid format specifier '...' for object of type
# '...'`, ...). Digits of floats come from the float externs (`float_format_f/e/g`: CPython's
# `%f`, `%e`, `%g`; `float_to_str`: repr). Limits, failing closed with a ValueError rather than
# printing other text than CPython: float precisions above 1000 (the externs clamp there), `c`
# of a surrogate code point (RPy strs hold no surrogates).

const FMT_PCT_LEFT = 1
const FMT_PCT_PLUS = 2
const FMT_PCT_SPACE = 4
const FMT_PCT_ALT = 8
const FMT_PCT_ZERO = 16

const FMT_MAX_FLOAT_PRECISION = 1000

struct FmtSpec:
    fill: char
    align: char
    sign: char
    no_neg_0: bool
    alternate: bool
    width: int
    # 0: none, 1: ',' every 3, 2: '_' every 3, 3: '_' every 4 (b, o, x, X)
    grouping: int
    precision: int
    kind: char

def fmt_nul() -> char:
    return chr(0)

def fmt_max(a: int, b: int) -> int:
    if a > b:
        return a
    return b

def fmt_min(a: int, b: int) -> int:
    if a < b:
        return a
    return b

def fmt_has(chars: str, c: char) -> bool:
    i = 0
    while i < len(chars):
        if chars[i] == c:
            return True
        i += 1
    return False

def fmt_is_digit(c: char) -> bool:
    return ord(c) >= 48 and ord(c) <= 57

# How CPython names a presentation type in a message: the char, or `\x..` outside 33..127.
def fmt_code_text(c: char) -> str:
    n = ord(c)
    if n > 32 and n < 128:
        return char_to_str(c)
    return "\\x" + int_to_str_base(n, 16)

def fmt_unknown(c: char, fmt_type_name: str):
    raise ValueError(message="Unknown format code '" + fmt_code_text(c) + "' for object of type '" + fmt_type_name + "'")

# CPython's get_integer: the digits at `pos` as an int, -1 if there are none; too many raise.
# Returns the value; the position after it is `fmt_skip_digits(spec, pos)`.
def fmt_read_int(spec: str, pos: int) -> int:
    if pos >= len(spec) or not fmt_is_digit(spec[pos]):
        return -1
    acc = 0
    while pos < len(spec) and fmt_is_digit(spec[pos]):
        d = ord(spec[pos]) - 48
        if acc > (9223372036854775807 - d) // 10:
            raise ValueError(message="Too many decimal digits in format string")
        acc = acc * 10 + d
        pos += 1
    return acc

def fmt_skip_digits(spec: str, pos: int) -> int:
    while pos < len(spec) and fmt_is_digit(spec[pos]):
        pos += 1
    return pos

def fmt_is_align(c: char) -> bool:
    return c == '<' or c == '>' or c == '=' or c == '^'

# CPython's parse_internal_render_format_spec for a non-empty spec.
def fmt_parse(spec: str, default_kind: char, default_align: char, fmt_type_name: str) -> FmtSpec:
    f = FmtSpec(fill=' ', align=default_align, sign=fmt_nul(), no_neg_0=False, alternate=False, width=-1, grouping=0, precision=-1, kind=default_kind)
    n = len(spec)
    pos = 0
    fill_given = False
    align_given = False
    if n >= 2 and fmt_is_align(spec[1]):
        f.align = spec[1]
        f.fill = spec[0]
        fill_given = True
        align_given = True
        pos = 2
    elif n >= 1 and fmt_is_align(spec[0]):
        f.align = spec[0]
        align_given = True
        pos = 1
    if pos < n and (spec[pos] == '+' or spec[pos] == '-' or spec[pos] == ' '):
        f.sign = spec[pos]
        pos += 1
    if pos < n and spec[pos] == 'z':
        f.no_neg_0 = True
        pos += 1
    if pos < n and spec[pos] == '#':
        f.alternate = True
        pos += 1
    if not fill_given and pos < n and spec[pos] == '0':
        f.fill = '0'
        if not align_given and default_align == '>':
            f.align = '='
        pos += 1
    f.width = fmt_read_int(spec, pos)
    pos = fmt_skip_digits(spec, pos)
    if pos < n and spec[pos] == ',':
        f.grouping = 1
        pos += 1
    if pos < n and spec[pos] == '_':
        if f.grouping != 0:
            raise ValueError(message="Cannot specify both ',' and '_'.")
        f.grouping = 2
        pos += 1
    if pos < n and spec[pos] == ',' and f.grouping == 2:
        raise ValueError(message="Cannot specify both ',' and '_'.")
    if pos < n and spec[pos] == '.':
        pos += 1
        f.precision = fmt_read_int(spec, pos)
        if f.precision < 0:
            raise ValueError(message="Format specifier missing precision")
        pos = fmt_skip_digits(spec, pos)
    if n - pos > 1:
        raise ValueError(message="Invalid format specifier '" + spec + "' for object of type '" + fmt_type_name + "'")
    if n - pos == 1:
        f.kind = spec[pos]
    if f.grouping != 0:
        if fmt_has("defgEGF%", f.kind) or f.kind == fmt_nul():
            return f
        if fmt_has("boxX", f.kind) and f.grouping == 2:
            f.grouping = 3
            return f
        sep = ","
        if f.grouping == 2:
            sep = "_"
        raise ValueError(message="Cannot specify '" + sep + "' with '" + fmt_code_text(f.kind) + "'.")
    return f

# `count` copies of `c`.
def fmt_repeat(c: char, count: int) -> str:
    if count <= 0:
        return ""
    return char_to_str(c) * count

# The digits with separators every `size` digits and, when `min_width` asks for it, leading
# zeros (grouped too): CPython's _PyUnicode_InsertThousandsGrouping. `size` 0: no grouping.
def fmt_group(digits: str, min_width: int, sep: str, size: int) -> str:
    pieces: list[str] = []
    remaining = len(digits)
    end = len(digits)
    use_sep = False
    done = False
    if size > 0:
        while not done:
            l = fmt_min(size, fmt_max(fmt_max(remaining, min_width), 1))
            n_zeros = fmt_max(0, l - remaining)
            n_chars = fmt_max(0, fmt_min(remaining, l))
            if use_sep:
                pieces.append(sep)
            pieces.append(digits[end - n_chars:end])
            pieces.append(fmt_repeat('0', n_zeros))
            end -= n_chars
            use_sep = True
            remaining -= n_chars
            min_width -= l
            if remaining <= 0 and min_width <= 0:
                done = True
            else:
                min_width -= len(sep)
    if not done:
        l = fmt_max(fmt_max(remaining, min_width), 1)
        n_zeros = fmt_max(0, l - remaining)
        n_chars = fmt_max(0, fmt_min(remaining, l))
        if use_sep:
            pieces.append(sep)
        pieces.append(digits[end - n_chars:end])
        pieces.append(fmt_repeat('0', n_zeros))
    b = new_builder()
    i = len(pieces) - 1
    while i >= 0:
        builder_append(b, pieces[i])
        i -= 1
    return builder_build(b)

# A number laid out by the spec (see the header): CPython's calc_number_widths and
# fill_number. `upper` upper-cases the prefix and the digits (`X`).
def fmt_number(f: FmtSpec, negative: bool, prefix: str, digits: str, has_decimal: bool, remainder: str, upper: bool) -> str:
    sign = ""
    if f.sign == '+':
        sign = "+"
        if negative:
            sign = "-"
    elif f.sign == ' ':
        sign = " "
        if negative:
            sign = "-"
    elif negative:
        sign = "-"
    n_decimal = 0
    if has_decimal:
        n_decimal = 1
    n_fixed = len(sign) + len(prefix) + n_decimal + len(remainder)
    min_width = 0
    if f.fill == '0' and f.align == '=':
        min_width = f.width - n_fixed
    grouped = ""
    if len(digits) > 0:
        if f.grouping == 1:
            grouped = fmt_group(digits, min_width, ",", 3)
        elif f.grouping == 2:
            grouped = fmt_group(digits, min_width, "_", 3)
        elif f.grouping == 3:
            grouped = fmt_group(digits, min_width, "_", 4)
        else:
            grouped = fmt_group(digits, min_width, "", 0)
    if upper:
        prefix = str_upper(prefix)
        grouped = str_upper(grouped)
    padding = f.width - (n_fixed + len(grouped))
    lpad = 0
    spad = 0
    rpad = 0
    if padding > 0:
        if f.align == '<':
            rpad = padding
        elif f.align == '^':
            lpad = padding // 2
            rpad = padding - lpad
        elif f.align == '=':
            spad = padding
        else:
            lpad = padding
    b = new_builder()
    builder_append(b, fmt_repeat(f.fill, lpad))
    builder_append(b, sign)
    builder_append(b, prefix)
    builder_append(b, fmt_repeat(f.fill, spad))
    builder_append(b, grouped)
    if has_decimal:
        builder_append(b, ".")
    builder_append(b, remainder)
    builder_append(b, fmt_repeat(f.fill, rpad))
    return builder_build(b)

# `text` padded to the spec's width by its alignment (strings: `=` was refused before).
def fmt_align_text(text: str, f: FmtSpec) -> str:
    padding = f.width - len(text)
    if padding <= 0:
        return text
    if f.align == '>':
        return fmt_repeat(f.fill, padding) + text
    if f.align == '^':
        left = padding // 2
        return fmt_repeat(f.fill, left) + text + fmt_repeat(f.fill, padding - left)
    return text + fmt_repeat(f.fill, padding)

# ---- strs ----

# `format(s, spec)` for a str.
def format_str(s: str, spec: str) -> str:
    if len(spec) == 0:
        return s
    f = fmt_parse(spec, 's', '<', "str")
    if f.kind != 's':
        fmt_unknown(f.kind, "str")
    if f.sign == ' ':
        raise ValueError(message="Space not allowed in string format specifier")
    if f.sign != fmt_nul():
        raise ValueError(message="Sign not allowed in string format specifier")
    if f.no_neg_0:
        raise ValueError(message="Negative zero coercion (z) not allowed in string format specifier")
    if f.alternate:
        raise ValueError(message="Alternate form (#) not allowed in string format specifier")
    if f.align == '=':
        raise ValueError(message="'=' alignment not allowed in string format specifier")
    if f.precision >= 0 and len(s) > f.precision:
        s = s[0:f.precision]
    return fmt_align_text(s, f)

# ---- ints ----

# Decimal digits (no sign) in another base, lowercase: long division of the digit string.
def fmt_decimal_to_base(digits: str, base: int) -> str:
    work: list[int] = []
    i = 0
    while i < len(digits):
        work.append(ord(digits[i]) - 48)
        i += 1
    out: list[char] = []
    start = 0
    while start < len(work):
        rem = 0
        j = start
        while j < len(work):
            cur = rem * 10 + work[j]
            work[j] = cur // base
            rem = cur % base
            j += 1
        out.append(fmt_first_char(int_to_str_base(rem, base)))
        while start < len(work) and work[start] == 0:
            start += 1
    if len(out) == 0:
        return "0"
    b = new_builder()
    k = len(out) - 1
    while k >= 0:
        builder_append_char(b, out[k])
        k -= 1
    return builder_build(b)

def fmt_first_char(s: str) -> char:
    return s[0]

# An int's magnitude in `base`: from `n` when `digits` is "" (an RPy int), else from the
# decimal `digits` of a big int.
def fmt_magnitude(n: int, digits: str, base: int) -> str:
    if len(digits) == 0:
        text = int_to_str_base(n, base)
        if text[0] == '-':
            return text[1:]
        return text
    if base == 10:
        return digits
    return fmt_decimal_to_base(digits, base)

# The code point `c` formats: a value in 0..0x10FFFF that is no surrogate.
def fmt_int_char(negative: bool, n: int, digits: str) -> str:
    if len(digits) > 18:
        raise OverflowError(message="Python int too large to convert to C long")
    x = n
    if len(digits) > 0:
        x = str_to_int(digits, 10)
        if negative:
            x = 0 - x
    if x < 0 or x > 1114111:
        raise OverflowError(message="%c arg not in range(0x110000)")
    if x >= 55296 and x <= 57343:
        raise ValueError(message="mini-Python strings cannot hold the surrogate code point " + int_to_str(x))
    return char_to_str(chr(x))

# The int formats (b c d o x X n) of a parsed spec.
def fmt_int_body(negative: bool, n: int, digits: str, f: FmtSpec) -> str:
    if f.precision >= 0:
        raise ValueError(message="Precision not allowed in integer format specifier")
    if f.no_neg_0:
        raise ValueError(message="Negative zero coercion (z) not allowed in integer format specifier")
    k = f.kind
    if k == 'c':
        if f.sign != fmt_nul():
            raise ValueError(message="Sign not allowed with integer format specifier 'c'")
        if f.alternate:
            raise ValueError(message="Alternate form (#) not allowed with integer format specifier 'c'")
        return fmt_number(f, False, "", "", False, fmt_int_char(negative, n, digits), False)
    base = 10
    prefix = ""
    if k == 'b':
        base = 2
        prefix = "0b"
    elif k == 'o':
        base = 8
        prefix = "0o"
    elif k == 'x' or k == 'X':
        base = 16
        prefix = "0x"
    if not f.alternate:
        prefix = ""
    return fmt_number(f, negative, prefix, fmt_magnitude(n, digits, base), False, "", k == 'X')

# `float(big int)` of decimal digits, or CPython's OverflowError.
def fmt_digits_to_float(negative: bool, digits: str) -> float:
    x = str_to_float(digits)
    if math_isinf(x):
        raise OverflowError(message="int too large to convert to float")
    if negative:
        return 0.0 - x
    return x

# `format(v, spec)` of an int given as a sign and decimal digits, or as `n` when `digits` is
# "", naming its type `fmt_type_name` in errors (`int`, `bool`).
def fmt_int(negative: bool, n: int, digits: str, spec: str, fmt_type_name: str) -> str:
    if len(spec) == 0:
        text = fmt_magnitude(n, digits, 10)
        if negative:
            return "-" + text
        return text
    f = fmt_parse(spec, 'd', '>', fmt_type_name)
    if fmt_has("bcdoxXn", f.kind):
        return fmt_int_body(negative, n, digits, f)
    if fmt_has("eEfFgG%", f.kind):
        x = float(n)
        if len(digits) > 0:
            x = fmt_digits_to_float(negative, digits)
        return fmt_float_body(x, f)
    fmt_unknown(f.kind, fmt_type_name)
    return ""

# `format(n, spec)` for an RPy int.
def format_int(n: int, spec: str) -> str:
    return fmt_int(n < 0, n, "", spec, "int")

# `format(v, spec)` for an int of any size: its sign and decimal digits (no sign, no leading
# zeros but for zero itself).
def format_int_digits(negative: bool, digits: str, spec: str) -> str:
    return fmt_int(negative, 0, digits, spec, "int")

# `format_int_digits` for an int subclass named `fmt_type_name` in errors (`bool`). An empty spec
# gives the digits: `format(True, '')` is `str(True)`, which the interpreter writes itself.
def format_int_named(negative: bool, digits: str, spec: str, fmt_type_name: str) -> str:
    return fmt_int(negative, 0, digits, spec, fmt_type_name)

# ---- floats ----

def fmt_is_finite(x: float) -> bool:
    return not math_isinf(x) and not math_isnan(x)

# `s` with its trailing zeros, then a trailing point, removed (when it has a point).
def fmt_strip_zeros(s: str) -> str:
    if str_find(s, ".") < 0:
        return s
    end = len(s)
    while end > 0 and s[end - 1] == '0':
        end -= 1
    if end > 0 and s[end - 1] == '.':
        end -= 1
    return s[0:end]

# CPython's `g` conversion of a finite x (precision p >= 0): `alt` keeps trailing zeros and
# the point; `add_dot_0` is the no-type spec with a precision (switches to the exponent one
# digit earlier and makes an integral result end in `.0`).
def fmt_g(x: float, p: int, alt: bool, add_dot_0: bool) -> str:
    if not fmt_is_finite(x):
        return float_format_g(x, 1)
    if p == 0:
        p = 1
    e_text = float_format_e(x, p - 1)
    at = str_find(e_text, "e")
    exp10 = str_to_int(e_text[at + 1:], 10)
    limit = p
    if add_dot_0:
        limit = p - 1
    if exp10 < -4 or exp10 >= limit:
        mantissa = e_text[0:at]
        if alt:
            if str_find(mantissa, ".") < 0:
                mantissa = mantissa + "."
        else:
            mantissa = fmt_strip_zeros(mantissa)
        return mantissa + e_text[at:]
    s = float_format_f(x, p - 1 - exp10)
    if alt:
        if str_find(s, ".") < 0:
            s = s + "."
    else:
        s = fmt_strip_zeros(s)
    if add_dot_0 and str_find(s, ".") < 0:
        s = s + ".0"
    return s

# Whether a formatted number shows zero (every digit `0`, at least one).
def fmt_shows_zero(s: str) -> bool:
    seen = False
    i = 0
    while i < len(s):
        c = s[i]
        if c == 'e' or c == 'E':
            return seen
        if fmt_is_digit(c):
            if c != '0':
                return False
            seen = True
        i += 1
    return seen

# CPython's PyOS_double_to_string for a spec's kind, precision and flags, with `%`'s scaling
# and sign: the text before layout.
def fmt_float_text(x: float, kind: char, p: int, alt: bool, no_neg_0: bool) -> str:
    if p > FMT_MAX_FLOAT_PRECISION:
        raise ValueError(message="mini-Python formats floats with at most 1000 digits of precision")
    pct = False
    if kind == 'n':
        kind = 'g'
    if kind == '%':
        kind = 'f'
        x = x * 100.0
        pct = True
    s = ""
    if kind == fmt_nul():
        if p < 0:
            s = float_to_str(x)
            if alt and str_find(s, ".") < 0 and str_find(s, "e") >= 0:
                at = str_find(s, "e")
                s = s[0:at] + "." + s[at:]
        else:
            s = fmt_g(x, p, alt, True)
    else:
        if p < 0:
            p = 6
        if kind == 'f' or kind == 'F':
            s = float_format_f(x, p)
            if alt and fmt_is_finite(x) and str_find(s, ".") < 0:
                s = s + "."
        elif kind == 'e' or kind == 'E':
            s = float_format_e(x, p)
            if alt and fmt_is_finite(x) and str_find(s, ".") < 0:
                at = str_find(s, "e")
                s = s[0:at] + "." + s[at:]
        else:
            s = fmt_g(x, p, alt, False)
        if kind == 'F' or kind == 'E' or kind == 'G':
            s = str_upper(s)
    if no_neg_0 and len(s) > 0 and s[0] == '-' and fmt_shows_zero(s):
        s = s[1:]
    if pct:
        s = s + "%"
    return s

# The float formats of a parsed spec (also ints asked for e E f F g G %).
def fmt_float_body(x: float, f: FmtSpec) -> str:
    text = fmt_float_text(x, f.kind, f.precision, f.alternate, f.no_neg_0)
    negative = False
    if len(text) > 0 and text[0] == '-':
        negative = True
        text = text[1:]
    i = 0
    while i < len(text) and fmt_is_digit(text[i]):
        i += 1
    if i < len(text) and text[i] == '.':
        return fmt_number(f, negative, "", text[0:i], True, text[i + 1:], False)
    return fmt_number(f, negative, "", text[0:i], False, text[i:], False)

# `format(x, spec)` for a float.
def format_float(x: float, spec: str) -> str:
    if len(spec) == 0:
        return float_to_str(x)
    f = fmt_parse(spec, fmt_nul(), '>', "float")
    if f.kind == fmt_nul() or fmt_has("eEfFgGn%", f.kind):
        return fmt_float_body(x, f)
    fmt_unknown(f.kind, "float")
    return ""

# ---- printf-style `%` conversions ----

# CPython's unicode_format_arg_output: `text` (a sign, for `#x`/`#X`/`#o` the prefix, then
# the rest) padded to `width`; `numeric` conversions take a sign flag and zero padding.
def fmt_pct_output(text: str, flags: int, width: int, numeric: bool, prefixed: bool) -> str:
    b = new_builder()
    fill = ' '
    if numeric and (flags & FMT_PCT_ZERO) != 0:
        fill = '0'
    sign = ""
    if numeric:
        if len(text) > 0 and (text[0] == '-' or text[0] == '+'):
            sign = text[0:1]
            text = text[1:]
        elif (flags & FMT_PCT_PLUS) != 0:
            sign = "+"
        elif (flags & FMT_PCT_SPACE) != 0:
            sign = " "
    length = len(text)
    if width < length + len(sign):
        width = length + len(sign)
    if len(sign) > 0:
        if fill != ' ':
            builder_append(b, sign)
        width -= 1
    prefix = ""
    if prefixed:
        prefix = text[0:2]
        text = text[2:]
        if fill != ' ':
            builder_append(b, prefix)
        width = fmt_max(width - 2, 0)
        length -= 2
    if width > length and (flags & FMT_PCT_LEFT) == 0:
        builder_append(b, fmt_repeat(fill, width - length))
        width = length
    if fill == ' ':
        builder_append(b, sign)
        builder_append(b, prefix)
    builder_append(b, text)
    if width > length:
        builder_append(b, fmt_repeat(' ', width - length))
    return builder_build(b)

# `'%' + flags + width + '.' + prec + conv` of an int (conv one of d i u x X o c; prec -1
# when absent), the int given as in fmt_int (`digits` "" means `n`).
def fmt_pct_int(negative: bool, n: int, digits: str, flags: int, width: int, prec: int, conv: char) -> str:
    if conv == 'c':
        return fmt_pct_output(fmt_int_char(negative, n, digits), flags, width, False, False)
    base = 10
    if conv == 'x' or conv == 'X':
        base = 16
    elif conv == 'o':
        base = 8
    elif not fmt_has("diu", conv):
        raise ValueError(message="unsupported format character '" + fmt_code_text(conv) + "'")
    mag = fmt_magnitude(n, digits, base)
    if prec > len(mag):
        mag = fmt_repeat('0', prec - len(mag)) + mag
    prefixed = (flags & FMT_PCT_ALT) != 0 and base != 10
    if prefixed:
        if base == 8:
            mag = "0o" + mag
        else:
            mag = "0x" + mag
    if conv == 'X':
        mag = str_upper(mag)
    if negative:
        mag = "-" + mag
    return fmt_pct_output(mag, flags, width, True, prefixed)

# One `%` conversion of an RPy int.
def percent_int(n: int, flags: int, width: int, prec: int, conv: char) -> str:
    return fmt_pct_int(n < 0, n, "", flags, width, prec, conv)

# One `%` conversion of an int of any size (sign and decimal digits).
def percent_int_digits(negative: bool, digits: str, flags: int, width: int, prec: int, conv: char) -> str:
    return fmt_pct_int(negative, 0, digits, flags, width, prec, conv)

# One `%` conversion of a float (conv one of e E f F g G).
def percent_float(x: float, flags: int, width: int, prec: int, conv: char) -> str:
    if not fmt_has("eEfFgG", conv):
        raise ValueError(message="unsupported format character '" + fmt_code_text(conv) + "'")
    text = fmt_float_text(x, conv, prec, (flags & FMT_PCT_ALT) != 0, False)
    return fmt_pct_output(text, flags, width, True, False)

# One `%s`/`%r`/`%a` conversion of the text the interpreter made (str(), repr()): cut to
# `prec` chars when given, padded with spaces.
def percent_str(s: str, flags: int, width: int, prec: int) -> str:
    if prec >= 0 and len(s) > prec:
        s = s[0:prec]
    return fmt_pct_output(s, flags, width, False, False)

# CPython's error for a conversion char it does not know, at `index` in the format string.
def percent_bad_char(c: char, index: int):
    raise ValueError(message="unsupported format character '" + char_to_str(c) + "' (0x" + int_to_str_base(ord(c), 16) + ") at index " + int_to_str(index))
