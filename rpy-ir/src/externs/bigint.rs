//! Arbitrary-precision integers at the edges: the `big_*` externs, Python's `int` arithmetic
//! over `num-bigint`, for interpreters whose ints overflow into big integers (mini-Python).
//!
//! **Representation (the `bigint` type).** A big integer is a `str` whose code points encode
//! it, and RPy names that type `bigint` (an alias of `str` the front end resolves,
//! `front/lower/mod.rs`), so every extern, every mode and the JIT handle it as they handle
//! strings: a GC object the externs can allocate and return, immutable, one pointer to pass.
//! Every item is a code point of plane 1 (`U+10000..=U+1FFFF`, all Unicode scalar values):
//! - item 0 is the sign: [`DIGIT_BASE`] + 0 for zero, + 1 for positive, + 2 for negative;
//! - items 1.. are the magnitude's base-2^16 digits, least significant first, each
//!   [`DIGIT_BASE`] + digit, with no zero digit at the top: the form is **canonical**, so two
//!   bigints are equal exactly when their strings are (`str_eq`), and zero is one item.
//!
//! Why not a predeclared `array[int]` type that externs may return (the general way): it
//! would give every program's type table a second fixed heap type and tag next to `str`,
//! which shifts every other type's index and tag, hence every golden IR and residual-code
//! file, in the middle of parallel work on them. A `str` needs nothing new in any layer;
//! the cost is a decode/encode (linear) per call, small next to the arithmetic on big
//! numbers. If externs one day return arrays, only this module's codec changes.
//!
//! Conventions (as every extern's: externs cannot raise, so the checks are the caller's):
//! - Any `str` decodes to some integer (null and the empty string are zero; a char outside
//!   plane 1 is read modulo 2^16): only values these externs made are meaningful.
//! - Division and modulo by zero give zero (the caller raises `ZeroDivisionError` first);
//!   `big_pow` with a negative exponent gives zero; a negative shift count shifts the other
//!   way (the caller raises `ValueError: negative shift count` first).
//! - Results that allocate (`[allocates]`) are fresh strings; the others are `[pure]`, so the
//!   JIT folds them on constant arguments (which occur only for a prebuilt `bigint`: an
//!   allocating extern's result is never a constant).

use super::*;
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// What every item of a `bigint` is offset by: the first code point of plane 1.
pub const DIGIT_BASE: u32 = 0x1_0000;
/// The sign item of zero, of a positive and of a negative bigint.
const SIGN_ZERO: u32 = DIGIT_BASE;
const SIGN_POS: u32 = DIGIT_BASE + 1;
const SIGN_NEG: u32 = DIGIT_BASE + 2;

/// The integer a `bigint`'s code points encode (see the module header).
pub fn decode(items: &[u32]) -> BigInt {
    let Some((&sign, digits)) = items.split_first() else {
        return BigInt::zero();
    };
    let sign = match sign {
        SIGN_POS => Sign::Plus,
        SIGN_NEG => Sign::Minus,
        _ => return BigInt::zero(),
    };
    // Pairs of 16-bit digits make num-bigint's 32-bit digits, in a buffer kept per thread
    // (big numbers are decoded on every operation: no allocation but num-bigint's own).
    WORDS.with(|words| {
        let mut words = words.borrow_mut();
        words.clear();
        let pairs = digits.chunks_exact(2);
        let odd = pairs.remainder().first().map(|&d| digit(d));
        words.extend(pairs.map(|pair| digit(pair[0]) | digit(pair[1]) << 16));
        words.extend(odd);
        BigInt::from_biguint(sign, BigUint::from_slice(&words))
    })
}

thread_local! {
    /// [`decode`]'s buffer of 32-bit words.
    static WORDS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The 16-bit digit an item encodes.
fn digit(item: u32) -> u32 {
    item.wrapping_sub(DIGIT_BASE) & 0xffff
}

/// The number of items of `x`'s encoding.
fn encoded_len(x: &BigInt) -> usize {
    1 + x.bits().div_ceil(16) as usize
}

/// Writes the canonical code points of `x` to `out`, which has [`encoded_len`] items.
fn encode_into(x: &BigInt, out: &mut [u32]) {
    out[0] = match x.sign() {
        Sign::NoSign => SIGN_ZERO,
        Sign::Plus => SIGN_POS,
        Sign::Minus => SIGN_NEG,
    };
    // Four digits a 64-bit word; the top word is non-zero, but its upper digits may be
    // zero: `out` ends before them.
    for (items, w) in out[1..].chunks_mut(4).zip(x.magnitude().iter_u64_digits()) {
        for (k, item) in items.iter_mut().enumerate() {
            *item = DIGIT_BASE + ((w >> (16 * k)) & 0xffff) as u32;
        }
    }
}

/// The canonical code points of `x` (see the module header).
pub fn encode(x: &BigInt) -> Vec<u32> {
    let mut out = vec![0; encoded_len(x)];
    encode_into(x, &mut out);
    out
}

/// `a`'s and `b`'s order, from their encodings (canonical: a longer magnitude is larger).
fn compare_encoded(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (sa, sb) = (decode_sign(a), decode_sign(b));
    if sa != sb || sa == 0 {
        return sa.cmp(&sb);
    }
    let magnitude = match a.len().cmp(&b.len()) {
        Ordering::Equal => {
            a[1..].iter().rev().map(|&d| digit(d)).cmp(b[1..].iter().rev().map(|&d| digit(d)))
        }
        other => other,
    };
    if sa < 0 {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// The number of bits of `b`'s magnitude, from its encoding.
fn bit_length_encoded(b: &[u32]) -> u64 {
    match b {
        [] | [_] => 0,
        [_, rest @ ..] => {
            let top = digit(rest[rest.len() - 1]);
            (rest.len() as u64 - 1) * 16 + u64::from(32 - top.leading_zeros())
        }
    }
}

/// A new `bigint` holding `x`.
fn alloc(x: &BigInt) -> StrPtr {
    let s = StrPtr::alloc(encoded_len(x));
    // SAFETY: a fresh string of encoded_len(x) items.
    encode_into(x, unsafe { s.chars_mut() });
    s
}

/// The integer a `bigint` argument holds.
fn arg(b: StrPtr) -> BigInt {
    // SAFETY: a live str argument (externs' arguments stay on the caller's stack).
    decode(unsafe { b.chars() })
}

/// Python's `int(text, base)` for text that `str_to_int_status` accepted (or found too large
/// for an `int`): spaces around, a sign, a prefix `0x`/`0o`/`0b` when the base is 0 or
/// matches, underscores between digits. Anything it does not accept gives zero.
pub fn parse(text: &[u32], base: i64) -> BigInt {
    let chars: Vec<char> = text.iter().map(|&c| char::from_u32(c).unwrap_or('\u{fffd}')).collect();
    let space = |c: &char| super::strings::is_space(*c as u32);
    let lo = chars.iter().position(|c| !space(c)).unwrap_or(chars.len());
    let hi = chars.iter().rposition(|c| !space(c)).map_or(lo, |i| i + 1);
    let mut s = &chars[lo..hi.max(lo)];
    let neg = s.first() == Some(&'-');
    if matches!(s.first(), Some('-' | '+')) {
        s = &s[1..];
    }
    let prefix = match s {
        ['0', 'x' | 'X', ..] => 16,
        ['0', 'o' | 'O', ..] => 8,
        ['0', 'b' | 'B', ..] => 2,
        _ => 0,
    };
    let mut base = base;
    if prefix != 0 && (base == 0 || base == prefix) {
        base = prefix;
        s = &s[2..];
    }
    if base == 0 {
        base = 10;
    }
    if !(2..=36).contains(&base) {
        return BigInt::zero();
    }
    let digits: Vec<u8> = s.iter().filter(|&&c| c != '_').map(|&c| c as u8).collect();
    if digits.is_empty() || s.iter().any(|&c| !c.is_ascii_alphanumeric() && c != '_') {
        return BigInt::zero();
    }
    let magnitude = BigInt::parse_bytes(&digits, base as u32).unwrap_or_default();
    if neg {
        -magnitude
    } else {
        magnitude
    }
}

/// CPython's `hash(x)` of an int: `x mod (2**61 - 1)` with the sign of `x`, and -2 for -1.
pub fn python_hash(x: &BigInt) -> i64 {
    let modulus = BigUint::from((1u64 << 61) - 1);
    let h = (x.magnitude() % &modulus).to_i64().expect("below 2**61");
    let h = if x.is_negative() { -h } else { h };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `a / b` correctly rounded to a float (round half to even), as CPython's `int / int`:
/// ±inf when the quotient is too large for a float (CPython's `OverflowError: integer
/// division result too large for a float`), NaN when `b` is zero (the caller raises first).
pub fn true_divide(a: &BigInt, b: &BigInt) -> f64 {
    if b.is_zero() {
        return f64::NAN;
    }
    let negative = a.is_negative() != b.is_negative();
    let signed = |x: f64| if negative { -x } else { x };
    let (a, b) = (a.magnitude(), b.magnitude());
    if a.is_zero() {
        return signed(0.0);
    }
    // Both exact as floats: one IEEE division rounds correctly.
    if a.bits() <= 53 && b.bits() <= 53 {
        return signed(a.to_f64().expect("small") / b.to_f64().expect("small"));
    }
    const MANT_DIG: i64 = 53;
    const MIN_EXP: i64 = -1021; // DBL_MIN_EXP: 2**(MIN_EXP-1) is the least normal float.
    const MAX_EXP: i64 = 1024; // DBL_MAX_EXP
    let diff = a.bits() as i64 - b.bits() as i64;
    // a / b lies in [2**(diff-1), 2**(diff+1)).
    if diff > MAX_EXP {
        return signed(f64::INFINITY);
    }
    if diff < MIN_EXP - MANT_DIG - 1 {
        return signed(0.0);
    }
    // Scale a so the quotient has at least MANT_DIG + 2 bits (or all the bits a subnormal
    // result keeps, plus two), then round the quotient's extra bits by hand.
    let shift = diff.max(MIN_EXP) - MANT_DIG - 2;
    let mut inexact = false;
    let scaled = if shift >= 0 {
        let t = a >> shift as usize;
        inexact = &t << shift as usize != *a;
        t
    } else {
        a << (-shift) as usize
    };
    let (q, r) = scaled.div_rem(b);
    inexact |= !r.is_zero();
    // The number of low bits of q that do not fit in the result's precision.
    let extra = (q.bits() as i64).max(MIN_EXP - shift) - MANT_DIG;
    debug_assert!(extra >= 2, "the quotient keeps two rounding bits");
    let extra = extra as usize;
    let mut kept = &q >> extra;
    let low = &q - (&kept << extra);
    let half = BigUint::one() << (extra - 1);
    if low > half || (low == half && (inexact || kept.bit(0))) {
        kept += 1u32;
    }
    let mantissa = kept.to_f64().expect("at most 2**53");
    signed(scale_by_power_of_two(mantissa, shift + extra as i64))
}

/// `x * 2**e` for an integral `x` below 2**54 whose product is exact or overflows (C's
/// `ldexp` on such arguments), in steps whose intermediate values are normal floats.
fn scale_by_power_of_two(mut x: f64, mut e: i64) -> f64 {
    let step = |k: i32| f64::from_bits(((1023 + k) as u64) << 52);
    while e > 1000 {
        x *= step(1000);
        e -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1000 {
        x *= step(-1000);
        e += 1000;
    }
    x * step(e as i32)
}

/// `x` truncated towards zero (Python's `int(x)`), zero for NaN and infinities (the caller
/// raises first).
pub fn from_float(x: f64) -> BigInt {
    if !x.is_finite() {
        return BigInt::zero();
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp < 1023 {
        return BigInt::zero();
    }
    let mantissa = (bits & ((1u64 << 52) - 1)) | 1u64 << 52;
    // x = mantissa * 2**(exp - 1075).
    let m = BigInt::from(mantissa);
    let v = if exp >= 1075 { m << (exp - 1075) as usize } else { m >> (1075 - exp) as usize };
    if x < 0.0 {
        -v
    } else {
        v
    }
}

/// `x` as a float, correctly rounded (round half to even); ±inf when too large.
pub fn to_float(x: &BigInt) -> f64 {
    true_divide(x, &BigInt::one())
}

/// Python's `x << n` (`n < 0` shifts right).
fn shift_left(x: BigInt, n: i64) -> BigInt {
    if n >= 0 {
        x << n as usize
    } else {
        shift_right(x, n.checked_neg().unwrap_or(i64::MAX))
    }
}

/// Python's `x >> n`, rounding towards negative infinity (`n < 0` shifts left).
fn shift_right(x: BigInt, n: i64) -> BigInt {
    if n < 0 {
        return shift_left(x, n.checked_neg().unwrap_or(i64::MAX));
    }
    // num-bigint's `>>` on a signed value rounds towards negative infinity (as Python's).
    if (n as u64) >= x.bits() {
        return if x.is_negative() { -BigInt::one() } else { BigInt::zero() };
    }
    x >> n as usize
}

/// `b ** e` for `e >= 0` (zero for `e < 0`).
fn power(b: BigInt, e: i64) -> BigInt {
    if e < 0 {
        return BigInt::zero();
    }
    // Bases 0, 1 and -1 take any exponent; others of more than 32 bits of exponent have more
    // than 2**32 bits, which the `u32` exponent num-bigint takes could not count anyway.
    if b.is_zero() || b.magnitude().is_one() {
        return if e == 0 || (b.is_negative() && e % 2 == 0) { BigInt::one() } else { b };
    }
    let Ok(e) = u32::try_from(e) else {
        eprintln!("fatal: out of memory computing a power with exponent {e}");
        std::process::abort()
    };
    num_traits::Pow::pow(b, e)
}

externs! {
    /// The bigint of an int.
    fn big_from_int(x: i64) -> StrPtr [allocates] {
        alloc(&BigInt::from(x))
    }
    /// The bigint of a float, truncated towards zero (0 for NaN and infinities: the caller
    /// checks finiteness).
    fn big_from_float(x: f64) -> StrPtr [allocates] {
        alloc(&from_float(x))
    }
    /// Python's `int(s, base)` for text `str_to_int_status` accepted or found too large (0
    /// for anything else).
    fn big_from_str(s: StrPtr, base: i64) -> StrPtr [allocates] {
        // SAFETY: a live str argument.
        alloc(&parse(unsafe { s.chars() }, base))
    }
    /// `a + b`.
    fn big_add(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        alloc(&(arg(a) + arg(b)))
    }
    /// `a - b`.
    fn big_sub(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        alloc(&(arg(a) - arg(b)))
    }
    /// `a * b`.
    fn big_mul(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        alloc(&(arg(a) * arg(b)))
    }
    /// Python's `a // b` (floor; 0 when `b` is 0: the caller checks).
    fn big_floordiv(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        let (a, b) = (arg(a), arg(b));
        alloc(&if b.is_zero() { b } else { a.div_floor(&b) })
    }
    /// Python's `a % b` (the sign of `b`; 0 when `b` is 0: the caller checks).
    fn big_mod(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        let (a, b) = (arg(a), arg(b));
        alloc(&if b.is_zero() { b } else { a.mod_floor(&b) })
    }
    /// `b ** e` for `e >= 0` (0 for `e < 0`: the caller checks).
    fn big_pow(b: StrPtr, e: i64) -> StrPtr [allocates] {
        alloc(&power(arg(b), e))
    }
    /// `-b`.
    fn big_neg(b: StrPtr) -> StrPtr [allocates] {
        alloc(&-arg(b))
    }
    /// `abs(b)`.
    fn big_abs(b: StrPtr) -> StrPtr [allocates] {
        alloc(&arg(b).abs())
    }
    /// Python's `b << n` (the caller checks `n >= 0`; a negative `n` shifts right).
    fn big_lshift(b: StrPtr, n: i64) -> StrPtr [allocates] {
        alloc(&shift_left(arg(b), n))
    }
    /// Python's `b >> n`, rounding towards negative infinity (a negative `n` shifts left).
    fn big_rshift(b: StrPtr, n: i64) -> StrPtr [allocates] {
        alloc(&shift_right(arg(b), n))
    }
    /// Python's `a & b` (two's complement of infinite width).
    fn big_and(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        alloc(&(arg(a) & arg(b)))
    }
    /// Python's `a | b`.
    fn big_or(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        alloc(&(arg(a) | arg(b)))
    }
    /// Python's `a ^ b`.
    fn big_xor(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        alloc(&(arg(a) ^ arg(b)))
    }
    /// Python's `~b` (`-b - 1`).
    fn big_invert(b: StrPtr) -> StrPtr [allocates] {
        alloc(&!arg(b))
    }
    /// -1, 0 or 1 as `a` is below, equal to or above `b`.
    fn big_cmp(a: StrPtr, b: StrPtr) -> i64 [pure] {
        // SAFETY: live str arguments.
        compare_encoded(unsafe { a.chars() }, unsafe { b.chars() }) as i64
    }
    /// Whether `b` fits an `int` (64 bits).
    fn big_fits_int(b: StrPtr) -> bool [pure] {
        // SAFETY: a live str argument.
        let items = unsafe { b.chars() };
        // More than four 16-bit digits (canonical: the top one non-zero) is 2**64 or more.
        items.len() <= 5 && decode(items).to_i64().is_some()
    }
    /// `b` as an `int` when it fits (`big_fits_int`); otherwise its low 64 bits.
    fn big_to_int(b: StrPtr) -> i64 [pure] {
        // SAFETY: a live str argument.
        let items = unsafe { b.chars() };
        // The low 64 bits are in the first four digits.
        let b = decode(&items[..items.len().min(5)]);
        b.to_i64().unwrap_or_else(|| {
            let low = (&b & BigInt::from(u64::MAX)).to_u64().expect("64 bits");
            low as i64
        })
    }
    /// `float(b)`, correctly rounded; ±inf when too large (the caller raises
    /// `OverflowError: int too large to convert to float`).
    fn big_to_float(b: StrPtr) -> f64 [pure] {
        to_float(&arg(b))
    }
    /// Python's `a / b`, correctly rounded; ±inf when too large (the caller raises
    /// `OverflowError: integer division result too large for a float`), NaN when `b` is 0.
    fn big_truediv(a: StrPtr, b: StrPtr) -> f64 [pure] {
        true_divide(&arg(a), &arg(b))
    }
    /// The digits of `b` in `base` (2..=36, lower-case letters, no prefix; a `-` for
    /// negatives); base 10 is Python's `str(b)`.
    fn big_to_str(b: StrPtr, base: i64) -> StrPtr [allocates] {
        let base = if (2..=36).contains(&base) { base as u32 } else { 10 };
        StrPtr::from_latin1(arg(b).to_str_radix(base).as_bytes())
    }
    /// CPython's `hash(b)`.
    fn big_hash(b: StrPtr) -> i64 [pure] {
        python_hash(&arg(b))
    }
    /// Python's `b.bit_length()`.
    fn big_bit_length(b: StrPtr) -> i64 [pure] {
        // SAFETY: a live str argument.
        bit_length_encoded(unsafe { b.chars() }) as i64
    }
    /// Whether `b` is zero.
    fn big_is_zero(b: StrPtr) -> bool [pure] {
        // SAFETY: a live str argument.
        decode_sign(unsafe { b.chars() }) == 0
    }
    /// -1, 0 or 1: the sign of `b`.
    fn big_sign(b: StrPtr) -> i64 [pure] {
        // SAFETY: a live str argument.
        decode_sign(unsafe { b.chars() })
    }
}

/// The sign of an encoded bigint without decoding its digits.
fn decode_sign(items: &[u32]) -> i64 {
    match items.first() {
        Some(&SIGN_POS) => 1,
        Some(&SIGN_NEG) => -1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
