# Strings and numbers that raise (rpy-ir/src/front/edges.rs): parse_int / parse_float with
# CPython's ValueError messages, math functions raising as CPython's math module, and the
# string builder.
# run: ints 0 => 1255
# run: to_int abc => error: ValueError: invalid literal for int() with base 10: 'abc'
# run: to_int 12x => error: ValueError: invalid literal for int() with base 10: '12x'
# run: to_int -42 => -42
# run: to_int 99999999999999999999 => error: OverflowError: int too large to convert to int
# run: in_base 7 => error: ValueError: invalid literal for int() with base 7: '789'
# run: in_base 1 => error: ValueError: int() base must be >= 2 and <= 36, or 0
# run: in_base 16 => 1929
# run: to_float 2.5e3 => 2500.0
# run: to_float x => error: ValueError: could not convert string to float: 'x'
# run: caught 0 => 111
# run: maths 0 => 4.0
# run: math_error 0 => error: ValueError: math domain error
# run: math_error 1 => error: ValueError: math domain error
# run: math_error 2 => error: OverflowError: math range error
# run: math_error 3 => error: ValueError: math domain error
# run: math_error 4 => error: ValueError: math domain error
# run: math_error 5 => error: OverflowError: math range error
# run: math_error 6 => error: ValueError: math domain error
# run: math_error 7 => error: ValueError: math domain error
# run: math_error 8 => 0.0
# run: built 5 => "0-1-2-3-4|é!"
# run: built 0 => "|é!"
# run: long_build 1000 => 5000

def ints(x: int) -> int:
    return parse_int(" 1_000 ") + parse_int_base("ff", 16) + parse_int_base("0b0", 0)

def to_int(s: str) -> int:
    return parse_int(s)

def in_base(b: int) -> int:
    return parse_int_base("789", b)

def to_float(s: str) -> float:
    return parse_float(s)

def caught(x: int) -> int:
    n = 0
    try:
        n = parse_int("seven")
    except ValueError as e:
        if e.message == "invalid literal for int() with base 10: 'seven'":
            n = n + 1
    try:
        sqrt(-1.0)
    except ValueError:
        n = n + 10
    try:
        exp(1000.0)
    except OverflowError as o:
        if o.message == "math range error":
            n = n + 100
    return n

def maths(x: int) -> float:
    return sqrt(16.0) + log(1.0) + exp(0.0) - pow(2.0, 1.0) + log10(100.0) - fmod(7.0, 3.5) - hypot(3.0, 4.0) / 5.0 + sin(0.0) + cos(0.0) - tan(0.0) - 1.0

def math_error(k: int) -> float:
    inf = 1e400
    if k == 0:
        return sqrt(-1.0)
    if k == 1:
        return log(0.0)
    if k == 2:
        return exp(710.0)
    if k == 3:
        return pow(0.0, -1.0)
    if k == 4:
        return pow(-8.0, 0.5)
    if k == 5:
        return pow(10.0, 400.0)
    if k == 6:
        return fmod(1.0, 0.0)
    if k == 7:
        return sin(inf)
    return log(1.0)

def built(n: int) -> str:
    b = new_builder()
    i = 0
    while i < n:
        if i > 0:
            builder_append_char(b, '-')
        builder_append(b, int_to_str_base(i, 10))
        i = i + 1
    builder_append(b, "|")
    builder_append_char(b, 'é')
    builder_append(b, "!")
    return builder_build(b)

def long_build(n: int) -> int:
    b = new_builder()
    i = 0
    while i < n:
        builder_append(b, "abcd")
        builder_append_char(b, 'e')
        i = i + 1
    return len(builder_build(b))
