#! strformat.rpy: `str.format` (CPython's Objects/stringlib/unicode_format.h, written
#! anew): literal text with `{{`/`}}`, replacement fields `{field!conv:spec}`.
#!
#! Vocabulary and invariants:
#! - A field name is a first part (empty: the next automatic index; digits: a positional
#!   index; else a keyword) followed by any number of `.attr` and `[key]` (a key of digits
#!   is an int, any other a str).
#! - The conversion is `r`, `s` or `a` (`ascii` of the repr); the spec may itself hold
#!   replacement fields, expanded first (one level of nesting, as CPython's recursion depth
#!   2), sharing the automatic numbering with the outer string: `"{:{}}".format(x, w)`.
#! - Order as CPython's: the object is fetched, converted, then its spec expanded, then
#!   `format_spec` formats it. Every malformed string raises CPython's ValueError text.

# The state of one `str.format` call: its arguments and the automatic numbering
# (`auto` the next automatic index; `manual` once a field was numbered by hand: mixing
# both is an error).
struct FormatCall:
    args: Args
    auto: int
    manual: bool
    # `str.format_map`'s mapping (named fields are its items), or None.
    mapping: W_Object

def format_error(msg: str) -> GuestError:
    return guest_error("ValueError", msg)

def str_format_m(a: Args) -> W_Object:
    fmt = str_arg(a, 0, "format")
    call = FormatCall(args=a, auto=0, manual=False, mapping=None)
    return W_Str(value=format_build(call, fmt, 2))

# Expands every replacement field of `fmt` (`depth` nesting levels left).
def format_build(call: FormatCall, fmt: str, depth: int) -> str:
    if depth <= 0:
        raise format_error("Max string recursion exceeded")
    b = new_builder()
    i = 0
    n = len(fmt)
    while i < n:
        c = fmt[i]
        if c == '}':
            if i + 1 < n and fmt[i + 1] == '}':
                builder_append_char(b, '}')
                i += 2
                continue
            raise format_error("Single '}' encountered in format string")
        if c != '{':
            builder_append_char(b, c)
            i += 1
            continue
        if i + 1 >= n:
            raise format_error("Single '{' encountered in format string")
        if fmt[i + 1] == '{':
            builder_append_char(b, '{')
            i += 2
            continue
        i = format_field(call, fmt, i + 1, depth, b)
    return builder_build(b)

# One replacement field starting at `start` (after its `{`): appends its text to `b`
# and answers the index after its closing `}`.
def format_field(call: FormatCall, fmt: str, start: int, depth: int, b: strbuilder) -> int:
    n = len(fmt)
    i = start
    c = ' '
    while i < n:
        c = fmt[i]
        i += 1
        if c == '{':
            raise format_error("unexpected '{' in field name")
        if c == '[':
            while i < n and fmt[i] != ']':
                i += 1
            continue
        if c == '}' or c == ':' or c == '!':
            break
    if i >= n and not (c == '}' or c == ':' or c == '!'):
        raise format_error("expected '}' before end of string")
    name = str_slice(fmt, start, i - 1)
    conv = ' '
    spec = ""
    if c == '!' or c == ':':
        if c == '!':
            if i >= n:
                raise format_error("end of string while looking for conversion specifier")
            conv = fmt[i]
            i += 1
            if i < n:
                c2 = fmt[i]
                i += 1
                if c2 == '}':
                    return finish_field(call, name, conv, "", depth, b, i)
                if c2 != ':':
                    raise format_error("expected ':' after conversion specifier")
        spec_start = i
        count = 1
        while i < n:
            c3 = fmt[i]
            i += 1
            if c3 == '{':
                count += 1
            elif c3 == '}':
                count -= 1
                if count == 0:
                    return finish_field(call, name, conv, str_slice(fmt, spec_start, i - 1), depth, b, i)
        raise format_error("unmatched '{' in format spec")
    return finish_field(call, name, conv, spec, depth, b, i)

def finish_field(call: FormatCall, name: str, conv: char, spec: str, depth: int, b: strbuilder, next: int) -> int:
    w = field_object(call, name)
    if conv == 'r':
        w = W_Str(value=repr_of(w))
    elif conv == 's':
        w = W_Str(value=str_of(w))
    elif conv == 'a':
        w = W_Str(value=ascii_escape(repr_of(w)))
    elif conv != ' ':
        raise format_error("Unknown conversion specifier " + char_to_str(conv))
    if str_find(spec, "{") >= 0:
        spec = format_build(call, spec, depth - 1)
    builder_append(b, format_spec(w, spec))
    return next

def all_digits(s: str) -> bool:
    if len(s) == 0:
        return False
    i = 0
    while i < len(s):
        if s[i] < '0' or s[i] > '9':
            return False
        i += 1
    return True

# The object a field name designates: its first part, then each `.attr` and `[key]`.
def field_object(call: FormatCall, name: str) -> W_Object:
    n = len(name)
    i = 0
    while i < n and name[i] != '.' and name[i] != '[':
        i += 1
    first = str_slice(name, 0, i)
    a = call.args
    w: W_Object = None
    if call.mapping is not None:
        if len(first) == 0 or all_digits(first):
            raise format_error("Format string contains positional fields")
        w = getitem(call.mapping, W_Str(value=first))
    elif len(first) == 0 or all_digits(first):
        index = 0
        if len(first) == 0:
            if call.manual:
                raise format_error("cannot switch from manual field specification to automatic field numbering")
            index = call.auto
            call.auto += 1
        else:
            if call.auto > 0:
                raise format_error("cannot switch from automatic field numbering to manual field specification")
            call.manual = True
            index = parse_int(first)
        if index + 1 >= npos(a):
            raise guest_error("IndexError", "Replacement index " + int_to_str(index) + " out of range for positional args tuple")
        w = a.vals[index + 1]
    else:
        w = kwarg(a, first)
        if w is None:
            raise key_error(W_Str(value=first))
    while i < n:
        c = name[i]
        i += 1
        if c == '.':
            s = i
            while i < n and name[i] != '.' and name[i] != '[':
                i += 1
            if i == s:
                raise format_error("Empty attribute in format string")
            w = getattr_of(w, intern(str_slice(name, s, i)))
        elif c == '[':
            s = i
            while i < n and name[i] != ']':
                i += 1
            if i >= n:
                raise format_error("Missing ']' in format string")
            if i == s:
                raise format_error("Empty attribute in format string")
            key = str_slice(name, s, i)
            i += 1
            if i < n and name[i] != '.' and name[i] != '[':
                raise format_error("Only '.' or '[' may follow ']' in format field specifier")
            if all_digits(key):
                w = getitem(w, W_Int(value=parse_int(key)))
            else:
                w = getitem(w, W_Str(value=key))
        else:
            raise format_error("Only '.' or '[' may follow ']' in format field specifier")
    return w

# ascii(x): the repr of x with non-ASCII characters escaped.
def bi_ascii(a: Args) -> W_Object:
    check_args(a, "ascii", 1, 1)
    return W_Str(value=ascii_escape(repr_of(a.vals[0])))

def setup_strformat():
    add_builtin("ascii", bi_ascii)
