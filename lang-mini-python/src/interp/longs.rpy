#! longs.rpy: ints beyond a machine word (PyPy's W_LongObject), over the `big_*` externs.
#!
#! Vocabulary and invariants:
#! - `W_Long.value` is a `bigint` (rpy-ir's arbitrary-precision integer) that does NOT fit a
#!   machine word: every result goes through `wrap_big`, which gives back a `W_Int` when the
#!   value fits. So an int value has exactly one representation, and `W_Int` fast paths
#!   (`ovfcheck` + a guard in the JIT) never see a `W_Long`. `type()` is `int` for both.
#! - An "int object" is a `W_Int` (or `W_Bool`) or a `W_Long`; `big_of` reads either as a
#!   `bigint`. `W_Int` arithmetic that overflows calls `long_binop` on both operands.
#! - The externs cannot raise: zero divisors, negative exponents and shift counts, and
#!   conversions to float that overflow are checked here with CPython's messages.
#! - Limits, failing closed with an `OverflowError`: results of `**` and `<<` of more than
#!   2**32 bits (CPython would run out of memory; we would crash).

struct W_Long(W_Object) immutable:
    value: bigint

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.int_type

def wrap_big(b: bigint) -> W_Object:
    if big_fits_int(b):
        return W_Int(value=big_to_int(b))
    return W_Long(value=b)

def is_int_obj(w: W_Object) -> bool:
    return isinstance(w, W_Int) or isinstance(w, W_Long)

def big_of(w: W_Object) -> bigint:
    if isinstance(w, W_Long):
        return (w as W_Long).value
    return big_from_int((w as W_Int).value)

# The float nearest a big int; CPython's OverflowError when it has none.
def big_float(b: bigint) -> float:
    x = big_to_float(b)
    if x - x != 0.0:
        raise guest_error("OverflowError", "int too large to convert to float")
    return x

def long_repr(w: W_Long) -> str:
    if big_sign(w.value) < 0:
        return "-" + big_decimal_digits(w.value)
    return big_decimal_digits(w.value)

# The largest result of `**` and `<<` computed, in bits.
const MAX_RESULT_BITS = 4294967296

@dont_look_inside
def too_many_bits() -> GuestError:
    return guest_error("OverflowError", "mini-Python does not compute ints of more than 2**32 bits")

# a OP b on two ints, either of which may be big (or both small after an overflow).
def long_binop(a: bigint, op: int, b: bigint) -> W_Object:
    if op == OP_ADD:
        return wrap_big(big_add(a, b))
    if op == OP_SUB:
        return wrap_big(big_sub(a, b))
    if op == OP_MUL:
        return wrap_big(big_mul(a, b))
    if op == OP_FLOORDIV:
        if big_is_zero(b):
            raise guest_error("ZeroDivisionError", "integer division or modulo by zero")
        return wrap_big(big_floordiv(a, b))
    if op == OP_MOD:
        if big_is_zero(b):
            raise guest_error("ZeroDivisionError", "integer modulo by zero")
        return wrap_big(big_mod(a, b))
    if op == OP_TRUEDIV:
        if big_is_zero(b):
            raise guest_error("ZeroDivisionError", "division by zero")
        q = big_truediv(a, b)
        if q - q != 0.0:
            raise guest_error("OverflowError", "integer division result too large for a float")
        return W_Float(value=q)
    if op == OP_POW:
        if big_sign(b) < 0:
            if big_is_zero(a):
                raise guest_error("ZeroDivisionError", "0.0 cannot be raised to a negative power")
            return W_Float(value=float_pow(big_float(a), big_float(b)))
        if not big_fits_int(b):
            if big_is_zero(a) or big_cmp(big_abs(a), big_from_int(1)) == 0:
                return wrap_big(big_pow(a, big_to_int(big_mod(b, big_from_int(2))) + 2))
            raise guest_error("OverflowError", "exponent too large")
        e = big_to_int(b)
        if e > 1 and big_bit_length(a) > 1 and e > MAX_RESULT_BITS // big_bit_length(a):
            raise too_many_bits()
        return wrap_big(big_pow(a, e))
    if op == OP_LSHIFT:
        if big_sign(b) < 0:
            raise guest_error("ValueError", "negative shift count")
        if big_is_zero(a):
            return W_Int(value=0)
        if not big_fits_int(b) or big_to_int(b) > MAX_RESULT_BITS:
            raise too_many_bits()
        return wrap_big(big_lshift(a, big_to_int(b)))
    if op == OP_RSHIFT:
        if big_sign(b) < 0:
            raise guest_error("ValueError", "negative shift count")
        if not big_fits_int(b):
            if big_sign(a) < 0:
                return W_Int(value=-1)
            return W_Int(value=0)
        return wrap_big(big_rshift(a, big_to_int(b)))
    if op == OP_OR:
        return wrap_big(big_or(a, b))
    if op == OP_XOR:
        return wrap_big(big_xor(a, b))
    if op == OP_AND:
        return wrap_big(big_and(a, b))
    return None

# a ** b for machine words whose result overflows one.
def long_pow_small(a: int, b: int) -> W_Object:
    return long_binop(big_from_int(a), OP_POW, big_from_int(b))

# The comparison of a big int with a float, exactly (as CPython compares): -1, 0, 1, or 2
# for a NaN (unordered).
def big_float_cmp(a: bigint, x: float) -> int:
    if x != x:
        return 2
    if x - x != 0.0:
        if x > 0.0:
            return -1
        return 1
    fl = float_floor(x)
    c = big_cmp(a, big_from_float(fl))
    if c == 0 and x != fl:
        return -1
    return c

# a OP b where a and b are numbers and at least one is a W_Long.
def long_compare(a: W_Object, op: int, b: W_Object) -> bool:
    if isinstance(a, W_Float):
        c = big_float_cmp(big_of(b), (a as W_Float).value)
        if c == 2:
            return op == CMP_NE
        return int_compare(0 - c, op, 0)
    if isinstance(b, W_Float):
        c = big_float_cmp(big_of(a), (b as W_Float).value)
        if c == 2:
            return op == CMP_NE
        return int_compare(c, op, 0)
    return int_compare(big_cmp(big_of(a), big_of(b)), op, 0)

# hash() of an integral float too large for a machine word: the hash of the equal int.
def float_big_hash(x: float) -> int:
    return big_hash(big_from_float(x))

# int(x) of a finite float beyond a machine word.
def long_from_float(x: float) -> W_Object:
    return wrap_big(big_from_float(x))

# int(s, base) for a literal too long for a machine word (already validated).
def long_from_str(s: str, base: int) -> W_Object:
    check_int_str_digits(s, base)
    return wrap_big(big_from_str(s, base))

# The text of an int in base 16, 8 or 2 with its prefix (`hex`, `oct`, `bin`).
def int_prefixed(w: W_Object, base: int, prefix: str) -> str:
    b = big_of(w)
    if big_sign(b) < 0:
        return "-" + prefix + big_to_str(big_neg(b), base)
    return prefix + big_to_str(b, base)

# pow(a, b, m) on ints of any size.
def long_pow_mod(base: W_Object, e: W_Object, m: W_Object) -> W_Object:
    bm = big_of(m)
    if big_is_zero(bm):
        raise guest_error("ValueError", "pow() 3rd argument cannot be 0")
    be = big_of(e)
    if big_sign(be) < 0:
        raise guest_error("ValueError", "base is not invertible for the given modulus")
    r = big_mod(big_from_int(1), bm)
    b = big_mod(big_of(base), bm)
    two = big_from_int(2)
    while not big_is_zero(be):
        if not big_is_zero(big_and(be, big_from_int(1))):
            r = big_mod(big_mul(r, b), bm)
        b = big_mod(big_mul(b, b), bm)
        be = big_floordiv(be, two)
    return wrap_big(r)

# math.gcd of ints of any size.
def long_gcd(a: W_Object, b: W_Object) -> W_Object:
    x = big_abs(big_of(a))
    y = big_abs(big_of(b))
    while not big_is_zero(y):
        t = big_mod(x, y)
        x = y
        y = t
    return wrap_big(x)

# math.factorial(n) for n >= 0.
def long_factorial(n: int) -> W_Object:
    r = big_from_int(1)
    i = 2
    while i <= n:
        r = big_mul(r, big_from_int(i))
        i += 1
    return wrap_big(r)

# int(x) of a float, CPython's errors for NaN and infinities.
def int_of_float(x: float) -> W_Object:
    if x != x:
        raise guest_error("ValueError", "cannot convert float NaN to integer")
    if x > 9.2e18 or x < -9.2e18:
        if x - x != 0.0:
            raise guest_error("OverflowError", "cannot convert float infinity to integer")
        return long_from_float(x)
    return W_Int(value=int(x))

# round(w, nd) of an int for nd < 0: to a multiple of 10**-nd, ties to even.
def round_int_digits(w: W_Object, nd: int) -> W_Object:
    m = big_pow(big_from_int(10), 0 - nd)
    x = big_of(w)
    q = big_floordiv(x, m)
    t = big_sub(big_mul(big_from_int(2), big_mod(x, m)), m)
    if big_sign(t) > 0 or (big_is_zero(t) and not big_is_zero(big_and(q, big_from_int(1)))):
        q = big_add(q, big_from_int(1))
    return wrap_big(big_mul(q, m))

# round(x, nd) of a float for nd < 0, exactly (CPython's dtoa rounds the exact binary value):
# with fl = floor(x) and frac = x - fl, fl = q*m + r; up when 2r + 2frac > m, ties to even.
# 2r - m is even (m a power of ten), so 2frac < 2 decides only when 2r == m.
def round_float_negative(x: float, nd: int) -> float:
    if x != x or x - x != 0.0:
        return x
    if nd < -400:
        return x * 0.0
    m = big_pow(big_from_int(10), 0 - nd)
    fl = float_floor(x)
    frac = x - fl
    b = big_from_float(fl)
    q = big_floordiv(b, m)
    t = big_sub(big_mul(big_from_int(2), big_mod(b, m)), m)
    up = big_sign(t) > 0 or (big_is_zero(t) and (frac > 0.0 or not big_is_zero(big_and(q, big_from_int(1)))))
    if up:
        q = big_add(q, big_from_int(1))
    r = big_to_float(big_mul(q, m))
    if r - r != 0.0:
        raise guest_error("OverflowError", "rounded value too large to represent")
    if r == 0.0 and x < 0.0:
        return r * -1.0
    return r

# Whether comparing the numbers a and b through floats could be wrong: a big int, or a
# machine word beyond 2**53 (not every such int is a float) against a float.
def needs_exact_compare(a: W_Object, b: W_Object) -> bool:
    if isinstance(a, W_Long) or isinstance(b, W_Long):
        return True
    if isinstance(a, W_Int) and isinstance(b, W_Float):
        return not is_exact_float_int((a as W_Int).value)
    if isinstance(b, W_Int) and isinstance(a, W_Float):
        return not is_exact_float_int((b as W_Int).value)
    return False

def is_exact_float_int(v: int) -> bool:
    return v <= 9007199254740992 and v >= -9007199254740992

# &, |, ^ of two bools: a bool.
def bool_bitop(a: int, op: int, b: int) -> W_Object:
    if op == OP_AND:
        return wrap_bool((a & b) != 0)
    if op == OP_OR:
        return wrap_bool((a | b) != 0)
    return wrap_bool((a ^ b) != 0)

# CPython's hash of a float that is not an integer: the hash of the rational n / 2**k it is,
# n * 2**-k modulo the prime 2**61 - 1 (the inverse of 2 is 2**60), negated for negatives;
# the infinities hash as CPython's (+-314159); a NaN as 0 (CPython 3.11 hashes a NaN by its
# identity, which no program can predict).
def float_fraction_hash(x: float) -> int:
    if x != x:
        return 0
    if x - x != 0.0:
        if x > 0.0:
            return 314159
        return -314159
    y = x
    if y < 0.0:
        y = 0.0 - y
    k = 0
    while y != float_floor(y):
        y = y * 2.0
        k += 1
    p = big_from_int(2305843009213693951)
    h = big_mod(big_mul(big_mod(big_from_float(y), p), big_pow(big_from_int(2), (61 - k % 61) % 61)), p)
    r = big_to_int(h)
    if x < 0.0:
        r = 0 - r
    if r == -1:
        return -2
    return r

# CPython 3.11's limit on decimal conversions of ints (sys.get_int_max_str_digits()); binary,
# octal and hex conversions have none.
const INT_MAX_STR_DIGITS = 4300

# The decimal digits of |b|, CPython's ValueError past the limit.
def big_decimal_digits(b: bigint) -> str:
    s = big_to_str(big_abs(b), 10)
    if len(s) > INT_MAX_STR_DIGITS:
        raise guest_error("ValueError", "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
    return s

# int(s, base) past 64 bits: CPython's ValueError when a decimal literal has too many digits.
def check_int_str_digits(s: str, base: int):
    if base != 10 and base != 0:
        return
    n = 0
    i = 0
    while i < len(s):
        c = s[i]
        if base == 0 and (c == 'x' or c == 'X' or c == 'o' or c == 'O' or c == 'b' or c == 'B'):
            return
        if char_isdigit(c):
            n += 1
        i += 1
    if n > INT_MAX_STR_DIGITS:
        raise guest_error("ValueError", "Exceeds the limit (4300 digits) for integer string conversion: value has " + int_to_str(n) + " digits; use sys.set_int_max_str_digits() to increase the limit")
