# Test driver for src/rpylib/format.rpy (appended to it by tests/rpylib.rs): entry points the
# Rust test calls with a (value, spec) case, each returning the formatted text.

def fmt_case_int(n: int, spec: str) -> str:
    return format_int(n, spec)

def fmt_case_digits(negative: int, digits: str, spec: str) -> str:
    return format_int_digits(negative != 0, digits, spec)

def fmt_case_bool(b: int, spec: str) -> str:
    return format_int_named(False, int_to_str(b), spec, "bool")

def fmt_case_float(x: float, spec: str) -> str:
    return format_float(x, spec)

def fmt_case_str(s: str, spec: str) -> str:
    return format_str(s, spec)

# A `%` conversion spelled as CPython's (`%-+08.2f`): the driver parses flags, width,
# precision and the conversion char, then calls the helper for the value's kind.
def pct_flags(spec: str) -> int:
    flags = 0
    i = 1
    while i < len(spec):
        c = spec[i]
        if c == '-':
            flags = flags | FMT_PCT_LEFT
        elif c == '+':
            flags = flags | FMT_PCT_PLUS
        elif c == ' ':
            flags = flags | FMT_PCT_SPACE
        elif c == '#':
            flags = flags | FMT_PCT_ALT
        elif c == '0':
            flags = flags | FMT_PCT_ZERO
        else:
            return flags
        i += 1
    return flags

def pct_after_flags(spec: str) -> int:
    i = 1
    while i < len(spec) and fmt_has("-+ #0", spec[i]):
        i += 1
    return i

def pct_width(spec: str) -> int:
    return fmt_read_int(spec, pct_after_flags(spec))

def pct_prec(spec: str) -> int:
    i = fmt_skip_digits(spec, pct_after_flags(spec))
    if i < len(spec) and spec[i] == '.':
        p = fmt_read_int(spec, i + 1)
        if p < 0:
            return 0
        return p
    return -1

def pct_conv(spec: str) -> char:
    return spec[len(spec) - 1]

def pct_case_int(n: int, spec: str) -> str:
    return percent_int(n, pct_flags(spec), pct_width(spec), pct_prec(spec), pct_conv(spec))

def pct_case_float(x: float, spec: str) -> str:
    return percent_float(x, pct_flags(spec), pct_width(spec), pct_prec(spec), pct_conv(spec))

def pct_case_str(s: str, spec: str) -> str:
    return percent_str(s, pct_flags(spec), pct_width(spec), pct_prec(spec))

def pct_case_bad(s: str, spec: str) -> str:
    percent_bad_char(spec[1], 1)
    return ""
