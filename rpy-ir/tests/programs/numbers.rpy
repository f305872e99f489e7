# Numbers at the edges: CPython's float formatting, int()/float() parsing with a status,
# int -> str in a base, and math functions with CPython's domain/range status
# (rpy-ir/src/externs/numbers.rs).
# run: formats 0 => "3.14|3.142e+00|3.14159|1e+16|0.0001|-0.500|inf|nan|1.2346e-05|100000"
# run: parse_int 0 => 3779
# run: parse_float 0 => 6.0
# run: bad_input 0 => 123093
# run: bases 0 => "ff|-101|zz|777"
# run: math 0 => 16.0
# run: domain 0 => 121

def formats(x: int) -> str:
    pi = 3.14159265
    parts = array[str](10)
    parts[0] = float_format_f(pi, 2)
    parts[1] = float_format_e(pi, 3)
    parts[2] = float_format_g(pi, -1)
    parts[3] = float_format_g(1e16, -1)
    parts[4] = float_format_g(0.0001, 3)
    parts[5] = float_format_f(-0.5, 3)
    parts[6] = float_format_f(1e400, 2)
    parts[7] = float_format_g(0.0 * 1e400, 2)
    parts[8] = float_format_g(0.0000123456, 5)
    parts[9] = float_format_g(100000.0, -1)
    return str_join("|", parts)

def parse_int(x: int) -> int:
    return str_to_int("  1_000 ", 10) + str_to_int("0x1f", 0) + str_to_int("-0b11", 0) + str_to_int("z", 36) * 64 + str_to_int("777", 8)

def parse_float(x: int) -> float:
    return str_to_float(" 3.5 ") + str_to_float("1e1") / 4.0 + str_to_float("0")

def bad_input(x: int) -> int:
    n = str_to_int_status("12a", 10)
    n = n * 10 + str_to_int_status("99999999999999999999", 10)
    n = n * 10 + str_to_int_status("1", 1)
    n = n * 10 + str_to_float_status("1.5.")
    n = n * 10 + str_to_float_status("  -Infinity ")
    return n * 10 + str_to_int("12a", 10) - 10 + 3

def bases(x: int) -> str:
    return int_to_str_base(255, 16) + "|" + int_to_str_base(-5, 2) + "|" + int_to_str_base(1295, 36) + "|" + int_to_str_base(511, 8)

def math(x: float) -> float:
    return math_sqrt(16.0) + math_floor(2.5) + math_ceil(2.5) + math_fabs(-1.0) + math_hypot(3.0, 4.0) - math_cos(0.0) + math_log10(100.0) - math_exp(0.0) + math_atan2(0.0, 1.0) + math_fmod(7.0, 4.0) - math_pow(2.0, 1.0)

def domain(x: int) -> int:
    r = math_sqrt(-1.0)
    n = math_status(r, -1.0, -1.0) * 100
    e = math_exp(1000.0)
    n += math_status(e, 1000.0, 1000.0) * 10
    if math_isnan(r) and math_isinf(e):
        n += 1
    return n
