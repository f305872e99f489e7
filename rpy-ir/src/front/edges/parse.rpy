# Parsing that raises (rpy-ir/src/front/edges.rs): int() and float() as CPython's, over the
# status externs of rpy-ir/src/externs/numbers.rs.

def parse_int_base(s: str, base: int) -> int:
    st = str_to_int_status(s, base)
    if st == 1:
        raise ValueError(message="invalid literal for int() with base " + int_to_str_base(base, 10) + ": '" + s + "'")
    if st == 2:
        raise OverflowError(message="int too large to convert to int")
    if st == 3:
        raise ValueError(message="int() base must be >= 2 and <= 36, or 0")
    return str_to_int(s, base)

def parse_int(s: str) -> int:
    return parse_int_base(s, 10)

def parse_float(s: str) -> float:
    if str_to_float_status(s) != 0:
        raise ValueError(message="could not convert string to float: '" + s + "'")
    return str_to_float(s)
