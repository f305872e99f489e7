//! Numbers at the edges: float formatting as CPython's `%` operator does it, `str -> int` and
//! `str -> float` as CPython's `int()` and `float()` parse, `int -> str` in a base, and the
//! `math` module's functions.
//!
//! Conventions (a front-end wrapper raising `ValueError`/`OverflowError` is a test of a status
//! and a call):
//! - Parsing comes in pairs of pure externs: `NAME_status(...) -> int` says whether the input
//!   is valid ([`PARSE_OK`], [`PARSE_INVALID`] for Python's `ValueError: invalid literal`,
//!   [`PARSE_OVERFLOW`] for an int outside `i64` (Python's ints are unbounded; RPy's are not),
//!   [`PARSE_BAD_BASE`] for a base other than 0 or 2..=36), and `NAME(...)` returns the value
//!   (0 / 0.0 when the status is not [`PARSE_OK`]).
//! - Math functions return what C's do (IEEE results: NaN, ±inf). `math_status(r, x, y)`
//!   classifies a result `r` of arguments `x`, `y` (pass `x` twice for one argument) as CPython's
//!   `math` module does: [`MATH_OK`], [`MATH_DOMAIN`] (a NaN from non-NaN arguments: `ValueError:
//!   math domain error`), [`MATH_RANGE`] (an infinity from finite arguments: `OverflowError:
//!   math range error`, except that `log`/`log10` of 0, which give `-inf`, are domain errors
//!   in Python: their wrappers read [`MATH_RANGE`] as a domain error).
//! - Formatting takes a precision; a negative one means Python's default (6).

use super::*;

/// The input is a valid literal.
pub const PARSE_OK: i64 = 0;
/// The input is no literal of the kind asked (Python's `ValueError`).
pub const PARSE_INVALID: i64 = 1;
/// An int literal whose value does not fit an `int` (64 bits).
pub const PARSE_OVERFLOW: i64 = 2;
/// A base other than 0 or 2..=36 (Python's `ValueError: int() base must be >= 2 and <= 36, or 0`).
pub const PARSE_BAD_BASE: i64 = 3;

/// A math result is a number.
pub const MATH_OK: i64 = 0;
/// A math result is NaN from arguments that are not.
pub const MATH_DOMAIN: i64 = 1;
/// A math result is infinite from finite arguments.
pub const MATH_RANGE: i64 = 2;

/// The default precision of `%f`, `%e` and `%g`.
const DEFAULT_PRECISION: usize = 6;

/// Precisions beyond this are clamped (CPython refuses more than its buffer; this bounds the
/// work an extern does).
const MAX_PRECISION: i64 = 1000;

fn precision(p: i64) -> usize {
    if p < 0 {
        DEFAULT_PRECISION
    } else {
        p.min(MAX_PRECISION) as usize
    }
}

/// `inf`, `-inf` or `nan` for a non-finite `x`.
fn non_finite(x: f64) -> Option<String> {
    if x.is_nan() {
        Some("nan".into())
    } else if x.is_infinite() {
        Some(if x > 0.0 { "inf" } else { "-inf" }.into())
    } else {
        None
    }
}

/// `'%.{p}f' % x`.
pub fn format_f(x: f64, p: usize) -> String {
    non_finite(x).unwrap_or_else(|| format!("{x:.p$}"))
}

/// `'%.{p}e' % x`: Rust's correctly rounded digits with Python's exponent (sign, two digits).
pub fn format_e(x: f64, p: usize) -> String {
    if let Some(s) = non_finite(x) {
        return s;
    }
    let s = format!("{x:.p$e}");
    let (mantissa, exp) = s.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
}

/// `'%.{p}g' % x`: `%e` or `%f` by the decimal exponent after rounding to `p` significant
/// digits (at least 1), trailing zeros and a bare point removed.
pub fn format_g(x: f64, p: usize) -> String {
    if let Some(s) = non_finite(x) {
        return s;
    }
    let p = p.max(1);
    let e = format_e(x, p - 1);
    let exp: i64 = e.rsplit_once('e').and_then(|(_, x)| x.parse().ok()).unwrap_or(0);
    let s =
        if -4 <= exp && exp < p as i64 { format_f(x, (p as i64 - 1 - exp) as usize) } else { e };
    let (body, exp_part) = match s.split_once('e') {
        Some((b, x)) => (b.to_string(), format!("e{x}")),
        None => (s, String::new()),
    };
    let body = if body.contains('.') {
        body.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        body
    };
    body + &exp_part
}

/// The value of one digit in bases up to 36 (`0-9`, `a-z`, `A-Z`).
fn digit_value(c: char) -> Option<u32> {
    c.to_digit(36)
}

/// Python's `int(text, base)` on an `i64`: the value or a `PARSE_*` status.
pub fn parse_int(text: &[u32], base: i64) -> Result<i64, i64> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(PARSE_BAD_BASE);
    }
    let chars: Vec<char> = text.iter().map(|&c| char::from_u32(c).unwrap_or('\u{fffd}')).collect();
    let s = trim_space(&chars);
    let (neg, mut s) = match s.first() {
        Some('-') => (true, &s[1..]),
        Some('+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = |i: usize| s.get(i).map(|c| c.to_ascii_lowercase());
    let prefix_base = match (lower(0), lower(1)) {
        (Some('0'), Some('x')) => Some(16),
        (Some('0'), Some('o')) => Some(8),
        (Some('0'), Some('b')) => Some(2),
        _ => None,
    };
    let mut base = base as u32;
    let mut after_prefix = false;
    if let Some(b) = prefix_base {
        if base == 0 || base == b {
            base = b;
            s = &s[2..];
            after_prefix = true;
        }
    }
    if base == 0 {
        // Base 0 without a prefix is decimal, where a leading zero is allowed only in zero.
        base = 10;
        let digits: Vec<&char> = s.iter().filter(|&&c| c != '_').collect();
        if digits.len() > 1 && *digits[0] == '0' && digits.iter().any(|&&c| c != '0') {
            return Err(PARSE_INVALID);
        }
    }
    // Underscores only between digits (or once right after a prefix).
    let mut value: i128 = 0;
    let mut seen_digit = false;
    let mut prev_underscore = false;
    for (i, &c) in s.iter().enumerate() {
        if c == '_' {
            if prev_underscore || !(seen_digit || after_prefix && i == 0) {
                return Err(PARSE_INVALID);
            }
            prev_underscore = true;
            continue;
        }
        let Some(d) = digit_value(c).filter(|&d| d < base) else {
            return Err(PARSE_INVALID);
        };
        value = value * base as i128 + d as i128;
        if value > i64::MAX as i128 + 1 {
            // Keep reading: a later bad char makes it invalid, not an overflow.
            value = i64::MAX as i128 + 2;
        }
        seen_digit = true;
        prev_underscore = false;
    }
    if !seen_digit || prev_underscore {
        return Err(PARSE_INVALID);
    }
    let value = if neg { -value } else { value };
    i64::try_from(value).map_err(|_| PARSE_OVERFLOW)
}

/// Without leading and trailing whitespace (Python's `str.isspace`).
fn trim_space(s: &[char]) -> &[char] {
    let space = |c: &char| super::strings::is_space(*c as u32);
    let lo = s.iter().position(|c| !space(c)).unwrap_or(s.len());
    let hi = s.iter().rposition(|c| !space(c)).map_or(lo, |i| i + 1);
    &s[lo..hi.max(lo)]
}

/// Python's `float(text)`: the value, or `PARSE_INVALID`.
pub fn parse_float(text: &[u32]) -> Result<f64, i64> {
    let chars: Vec<char> = text.iter().map(|&c| char::from_u32(c).unwrap_or('\u{fffd}')).collect();
    let s: String = trim_space(&chars).iter().collect();
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(&s).to_ascii_lowercase();
    if matches!(unsigned.as_str(), "inf" | "infinity" | "nan") {
        return s.parse::<f64>().map_err(|_| PARSE_INVALID);
    }
    // A decimal literal: sign? (digits [. digits?] | . digits) ([eE] sign? digits)?, with
    // single underscores between digits.
    let b = s.as_bytes();
    let mut clean = String::with_capacity(b.len());
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        clean.push(b[0] as char);
        i = 1;
    }
    let digits = |i: &mut usize, clean: &mut String| -> Result<usize, i64> {
        let start = *i;
        while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
            if b[*i] == b'_' {
                let between = *i > start
                    && b[*i - 1].is_ascii_digit()
                    && b.get(*i + 1).is_some_and(u8::is_ascii_digit);
                if !between {
                    return Err(PARSE_INVALID);
                }
            } else {
                clean.push(b[*i] as char);
            }
            *i += 1;
        }
        Ok(*i - start)
    };
    let int_digits = digits(&mut i, &mut clean)?;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        clean.push('.');
        i += 1;
        frac_digits = digits(&mut i, &mut clean)?;
    }
    if int_digits + frac_digits == 0 {
        return Err(PARSE_INVALID);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        clean.push('e');
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            clean.push(b[i] as char);
            i += 1;
        }
        if digits(&mut i, &mut clean)? == 0 {
            return Err(PARSE_INVALID);
        }
    }
    if i != b.len() {
        return Err(PARSE_INVALID);
    }
    clean.parse::<f64>().map_err(|_| PARSE_INVALID)
}

/// `x` in `base` (2..=36): lowercase digits, a `-` for negatives, no prefix; `""` for a bad
/// base.
pub fn int_in_base(x: i64, base: i64) -> String {
    if !(2..=36).contains(&base) {
        return String::new();
    }
    let mut n = x.unsigned_abs();
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit((n % base as u64) as u32, base as u32).unwrap_or('?'));
        n /= base as u64;
        if n == 0 {
            break;
        }
    }
    if x < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

externs! {
    /// `'%.{prec}f' % x` (a negative `prec`: `'%f'`).
    fn float_format_f(x: f64, prec: i64) -> StrPtr [allocates] {
        StrPtr::from_text(&format_f(x, precision(prec)))
    }
    /// `'%.{prec}e' % x` (a negative `prec`: `'%e'`).
    fn float_format_e(x: f64, prec: i64) -> StrPtr [allocates] {
        StrPtr::from_text(&format_e(x, precision(prec)))
    }
    /// `'%.{prec}g' % x` (a negative `prec`: `'%g'`).
    fn float_format_g(x: f64, prec: i64) -> StrPtr [allocates] {
        StrPtr::from_text(&format_g(x, precision(prec)))
    }
    /// Whether `int(s, base)` is valid: a `PARSE_*` status.
    fn str_to_int_status(s: StrPtr, base: i64) -> i64 [pure] {
        // SAFETY: a live str argument.
        parse_int(unsafe { s.chars() }, base).err().unwrap_or(PARSE_OK)
    }
    /// `int(s, base)` (0 unless `str_to_int_status` is `PARSE_OK`).
    fn str_to_int(s: StrPtr, base: i64) -> i64 [pure] {
        // SAFETY: a live str argument.
        parse_int(unsafe { s.chars() }, base).unwrap_or(0)
    }
    /// Whether `float(s)` is valid: a `PARSE_*` status.
    fn str_to_float_status(s: StrPtr) -> i64 [pure] {
        // SAFETY: a live str argument.
        parse_float(unsafe { s.chars() }).err().unwrap_or(PARSE_OK)
    }
    /// `float(s)` (0.0 unless `str_to_float_status` is `PARSE_OK`).
    fn str_to_float(s: StrPtr) -> f64 [pure] {
        // SAFETY: a live str argument.
        parse_float(unsafe { s.chars() }).unwrap_or(0.0)
    }
    /// `x` written in `base` (2..=36; `""` for another base).
    fn int_to_str_base(x: i64, base: i64) -> StrPtr [allocates] {
        StrPtr::from_text(&int_in_base(x, base))
    }
    /// The status of a math result `r` of arguments `x` and `y` (see the module header).
    fn math_status(r: f64, x: f64, y: f64) -> i64 [pure] {
        if r.is_nan() && !x.is_nan() && !y.is_nan() {
            MATH_DOMAIN
        } else if r.is_infinite() && x.is_finite() && y.is_finite() {
            MATH_RANGE
        } else {
            MATH_OK
        }
    }
    /// `math.sqrt` (NaN below zero).
    fn math_sqrt(x: f64) -> f64 [pure] { x.sqrt() }
    /// `math.floor`, as a float.
    fn math_floor(x: f64) -> f64 [pure] { x.floor() }
    /// `math.ceil`, as a float.
    fn math_ceil(x: f64) -> f64 [pure] { x.ceil() }
    /// `math.sin`.
    fn math_sin(x: f64) -> f64 [pure] { x.sin() }
    /// `math.cos`.
    fn math_cos(x: f64) -> f64 [pure] { x.cos() }
    /// `math.tan`.
    fn math_tan(x: f64) -> f64 [pure] { x.tan() }
    /// `math.atan`.
    fn math_atan(x: f64) -> f64 [pure] { x.atan() }
    /// `math.atan2(y, x)`.
    fn math_atan2(y: f64, x: f64) -> f64 [pure] { y.atan2(x) }
    /// `math.exp`.
    fn math_exp(x: f64) -> f64 [pure] { x.exp() }
    /// `math.log` (natural; -inf at 0, NaN below).
    fn math_log(x: f64) -> f64 [pure] { x.ln() }
    /// `math.log10`.
    fn math_log10(x: f64) -> f64 [pure] { x.log10() }
    /// `math.pow` (C `pow`).
    fn math_pow(x: f64, y: f64) -> f64 [pure] { x.powf(y) }
    /// `math.fabs`.
    fn math_fabs(x: f64) -> f64 [pure] { x.abs() }
    /// `math.fmod` (C `fmod`: the sign of `x`; NaN for a zero `y`).
    fn math_fmod(x: f64, y: f64) -> f64 [pure] { x % y }
    /// `math.hypot`.
    fn math_hypot(x: f64, y: f64) -> f64 [pure] { x.hypot(y) }
    /// `math.isnan`.
    fn math_isnan(x: f64) -> bool [pure] { x.is_nan() }
    /// `math.isinf`.
    fn math_isinf(x: f64) -> bool [pure] { x.is_infinite() }
}

#[cfg(test)]
mod tests;
