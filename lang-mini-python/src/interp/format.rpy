#! format.rpy: `format(value, spec)` (f-strings, `str.format`) and `%` formatting.
#!
#! Supported: a spec `[[fill]align][sign][0][width][,][.precision][type]` with types
#! `d s f e g x o b %` and none; `%` with `%d %i %s %r %f %.Nf %x %e %g %%` and widths.

# The parts of a format spec.
struct Spec:
    fill: str
    align: str
    sign: str
    zero: bool
    width: int
    comma: bool
    precision: int
    kind: str

def parse_spec(spec: str) -> Spec:
    s = Spec(fill=" ", align="", sign="", zero=False, width=0, comma=False, precision=-1, kind="")
    i = 0
    n = len(spec)
    if n >= 2 and (spec[1] == '<' or spec[1] == '>' or spec[1] == '^' or spec[1] == '='):
        s.fill = char_to_str(spec[0])
        s.align = char_to_str(spec[1])
        i = 2
    elif n >= 1 and (spec[0] == '<' or spec[0] == '>' or spec[0] == '^' or spec[0] == '='):
        s.align = char_to_str(spec[0])
        i = 1
    if i < n and (spec[i] == '+' or spec[i] == '-' or spec[i] == ' '):
        s.sign = char_to_str(spec[i])
        i += 1
    if i < n and spec[i] == '0':
        s.zero = True
        i += 1
    w = 0
    while i < n and char_isdigit(spec[i]):
        w = w * 10 + ord(spec[i]) - 48
        i += 1
    s.width = w
    if i < n and spec[i] == ',':
        s.comma = True
        i += 1
    if i < n and spec[i] == '.':
        i += 1
        p = 0
        while i < n and char_isdigit(spec[i]):
            p = p * 10 + ord(spec[i]) - 48
            i += 1
        s.precision = p
    if i < n:
        s.kind = char_to_str(spec[i])
        i += 1
    if i < n:
        raise guest_error("ValueError", "Invalid format specifier '" + spec + "'")
    return s

def group_thousands(digits: str) -> str:
    b = new_builder()
    n = len(digits)
    i = 0
    while i < n:
        if i > 0 and (n - i) % 3 == 0:
            builder_append_char(b, ',')
        builder_append_char(b, digits[i])
        i += 1
    return builder_build(b)

def pad(body: str, s: Spec, default_align: str) -> str:
    if len(body) >= s.width:
        return body
    align = s.align
    if align == "":
        align = default_align
    fill = s.fill
    if s.zero and s.align == "":
        fill = "0"
        align = "="
    n = s.width - len(body)
    if align == "<":
        return body + str_repeat(fill, n)
    if align == "^":
        left = n // 2
        return str_repeat(fill, left) + body + str_repeat(fill, n - left)
    if align == "=":
        if len(body) > 0 and (body[0] == '-' or body[0] == '+' or body[0] == ' '):
            return char_to_str(body[0]) + str_repeat(fill, n) + str_slice(body, 1, len(body))
        return str_repeat(fill, n) + body
    return str_repeat(fill, n) + body

def format_number(w: W_Object, s: Spec) -> str:
    kind = s.kind
    neg = False
    digits = ""
    if isinstance(w, W_Int) and (kind == "" or kind == "d" or kind == "x" or kind == "o" or kind == "b" or kind == "X"):
        v = (w as W_Int).value
        if isinstance(w, W_Bool) and kind == "":
            return repr_of(w)
        neg = v < 0
        if neg:
            v = 0 - v
        if kind == "x":
            digits = int_to_str_base(v, 16)
        elif kind == "X":
            digits = str_upper(int_to_str_base(v, 16))
        elif kind == "o":
            digits = int_to_str_base(v, 8)
        elif kind == "b":
            digits = int_to_str_base(v, 2)
        else:
            digits = int_to_str(v)
        if s.comma:
            digits = group_thousands(digits)
    else:
        if not is_number(w):
            raise guest_error("ValueError", "Unknown format code '" + kind + "' for object of type '" + type_name(w) + "'")
        x = as_float(w)
        neg = x < 0.0 or (x == 0.0 and 1.0 / x < 0.0)
        if neg:
            x = 0.0 - x
        p = s.precision
        if kind == "f" or kind == "F":
            if p < 0:
                p = 6
            digits = float_format_f(x, p)
        elif kind == "e":
            if p < 0:
                p = 6
            digits = float_format_e(x, p)
        elif kind == "g":
            if p < 0:
                p = 6
            digits = float_format_g(x, p)
        elif kind == "%":
            if p < 0:
                p = 6
            digits = float_format_f(x * 100.0, p) + "%"
        elif kind == "" or kind == "d":
            if kind == "d" and isinstance(w, W_Float):
                raise guest_error("ValueError", "Unknown format code 'd' for object of type 'float'")
            if p >= 0:
                digits = float_format_g(x, p)
            else:
                digits = repr_of(W_Float(value=x))
        else:
            raise guest_error("ValueError", "Unknown format code '" + kind + "' for object of type '" + type_name(w) + "'")
        if s.comma:
            dot = str_find(digits, ".")
            if dot < 0:
                digits = group_thousands(digits)
            else:
                digits = group_thousands(str_slice(digits, 0, dot)) + str_slice(digits, dot, len(digits))
    sign = ""
    if neg:
        sign = "-"
    elif s.sign == "+":
        sign = "+"
    elif s.sign == " ":
        sign = " "
    return pad(sign + digits, s, ">")

def format_spec(w: W_Object, spec: str) -> str:
    if len(spec) == 0:
        return str_of(w)
    s = parse_spec(spec)
    if isinstance(w, W_Str):
        body = (w as W_Str).value
        if s.kind != "" and s.kind != "s":
            raise guest_error("ValueError", "Unknown format code '" + s.kind + "' for object of type 'str'")
        if s.precision >= 0 and s.precision < len(body):
            body = str_slice(body, 0, s.precision)
        return pad(body, s, "<")
    if is_number(w):
        return format_number(w, s)
    m = special(w, "__format__")
    if m is not None:
        return str_result(call_special2(m, w, W_Str(value=spec)), "__format__")
    if s.kind != "":
        raise type_error("unsupported format string passed to " + type_name(w) + ".__format__")
    return pad(str_of(w), s, "<")

def bi_format(a: Args) -> W_Object:
    check_args(a, "format", 1, 2)
    spec = ""
    if npos(a) == 2:
        spec = str_arg(a, 1, "format")
    return W_Str(value=format_spec(a.vals[0], spec))

# fmt % values.
def percent_format(fmt: str, values: W_Object) -> str:
    vals: list[W_Object] = []
    if isinstance(values, W_Tuple):
        vals = list_of_iterable(values)
    else:
        vals.append(values)
    b = new_builder()
    k = 0
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
        j = i
        while i < n and (fmt[i] == '-' or fmt[i] == '+' or fmt[i] == ' ' or fmt[i] == '0' or fmt[i] == '.' or char_isdigit(fmt[i])):
            i += 1
        if i >= n:
            raise guest_error("ValueError", "incomplete format")
        conv = fmt[i]
        flags = str_slice(fmt, j, i)
        i += 1
        if conv == '%':
            builder_append_char(b, '%')
            continue
        if k >= len(vals):
            raise type_error("not enough arguments for format string")
        w = vals[k]
        k += 1
        spec = flags
        left = False
        if len(spec) > 0 and spec[0] == '-':
            left = True
            spec = str_slice(spec, 1, len(spec))
        if conv == 's':
            body = str_of(w)
            builder_append(b, percent_pad(body, spec, left))
        elif conv == 'r':
            builder_append(b, percent_pad(repr_of(w), spec, left))
        elif conv == 'd' or conv == 'i':
            if isinstance(w, W_Float):
                w = W_Int(value=int((w as W_Float).value))
            if not isinstance(w, W_Int):
                raise type_error("%" + char_to_str(conv) + " format: a real number is required, not " + type_name(w))
            builder_append(b, percent_number(w, spec + "d", left))
        elif conv == 'f' or conv == 'e' or conv == 'g' or conv == 'x':
            builder_append(b, percent_number(w, spec + char_to_str(conv), left))
        else:
            raise guest_error("ValueError", "unsupported format character '" + char_to_str(conv) + "'")
    if k < len(vals):
        raise type_error("not all arguments converted during string formatting")
    return builder_build(b)

def percent_pad(body: str, spec: str, left: bool) -> str:
    s = parse_spec(spec)
    if left:
        s.align = "<"
    return pad(body, s, ">")

def percent_number(w: W_Object, spec: str, left: bool) -> str:
    s = parse_spec(spec)
    if left:
        s.align = "<"
        s.zero = False
    return format_number(w, s)

def setup_format():
    add_builtin("format", bi_format)
