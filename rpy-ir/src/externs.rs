//! The registry of Rust runtime functions callable from RPy through `call_extern`.
//!
//! Each extern has one Rust implementation with a C ABI signature (`native`, called directly by
//! compiled code) and a uniform wrapper (`interp`, called by the IR interpreter with every
//! argument as a 64-bit word: ints as two's complement, floats as IEEE bits, bools and chars
//! zero-extended, GC pointers as addresses). Both are generated from the same definition, so the
//! two modes cannot disagree on what an extern does.
//!
//! Invariants and conventions:
//! - C ABI types: `int` is `i64`, `float` is `f64`, `bool` is C `_Bool` (LLVM `i1 zeroext`),
//!   `char` is `u32` (LLVM `i32 zeroext`, a Unicode scalar value), `str` is a pointer
//!   ([`StrPtr`]), `void` is no result.
//! - A `str` is UTF-32: one `u32` code point per item. Text leaves the program (printing)
//!   encoded as UTF-8; a char that is no scalar value cannot exist (`chr` checks), so encoding
//!   never fails.
//! - Externs cannot report errors through the C ABI. A null `str` argument never crashes:
//!   `print_str` prints `<null>`, every other extern treats it as the empty string. Argument
//!   checks that need an error (division by zero in `float_mod`...) are the caller's job.
//! - `pure` means the result depends only on the arguments and nothing is written or printed:
//!   foldable on constants. Externs that allocate are never pure (each call is a new object).
//! - Output goes through a per-thread sink: captured by [`capture_output`] when active,
//!   otherwise buffered and written to stdout by [`flush_output`] (called by the IR
//!   interpreter when a call returns, by `rpy_flush_output` from compiled code, when the buffer
//!   fills up, and when the thread exits).
//! - An allocating extern that finds no memory aborts the process (it cannot return an error).

use crate::gc;
use crate::layout::{ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET, CHAR_SIZE};
use crate::types::{ArrayDef, Ty, TypeTable};
use std::cell::RefCell;
use std::io::Write;

/// The type of an extern's parameter or result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternTy {
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `bool`.
    Bool,
    /// `char`.
    Char,
    /// `str` (a GC pointer to an immutable char array).
    Str,
    /// No value (results only).
    Void,
    /// `array[str]` (a GC pointer; parameters only, see [`ArrayPtr`]).
    StrArray,
    /// `array[char]` (a GC pointer; parameters only, see [`ArrayPtr`]).
    CharArray,
}

impl ExternTy {
    /// The array type (item type, immutability) this type is, if it is an array.
    pub fn array_def(self) -> Option<ArrayDef> {
        match self {
            ExternTy::StrArray => {
                Some(ArrayDef { elem: Ty::Ref(TypeTable::STR), immutable: false })
            }
            ExternTy::CharArray => Some(ArrayDef { elem: Ty::Char, immutable: false }),
            _ => None,
        }
    }

    /// The IR type in a program whose types are `types`; `None` for an array type the program
    /// does not have (then no value of the program has this type).
    pub fn ty_in(self, types: &TypeTable) -> Option<Ty> {
        Some(match self {
            ExternTy::Int => Ty::Int,
            ExternTy::Float => Ty::Float,
            ExternTy::Bool => Ty::Bool,
            ExternTy::Char => Ty::Char,
            ExternTy::Str => Ty::Ref(TypeTable::STR),
            ExternTy::Void => Ty::Void,
            ExternTy::StrArray | ExternTy::CharArray => {
                let a = self.array_def()?;
                Ty::Ref(types.find_array(a.elem, a.immutable)?)
            }
        })
    }

    /// The IR type, interning an array type in `types` if needed (the front end).
    pub fn intern(self, types: &mut TypeTable) -> Ty {
        match self.array_def() {
            Some(a) => Ty::Ref(types.array(a.elem, a.immutable)),
            None => self.ty_in(types).unwrap_or(Ty::Void),
        }
    }

    /// Whether values of this type are GC pointers (LLVM `ptr` at the C ABI).
    pub fn is_pointer(self) -> bool {
        matches!(self, ExternTy::Str | ExternTy::StrArray | ExternTy::CharArray)
    }
}

/// One registered extern.
#[derive(Debug)]
pub struct ExternDef {
    /// The name RPy code calls it by.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [ExternTy],
    /// Result type.
    pub ret: ExternTy,
    /// No side effects and the result depends only on the arguments (foldable on constants).
    pub pure: bool,
    /// Allocates a heap object (a new `str`).
    pub allocates: bool,
    /// The C ABI function, for compiled code.
    pub native: *const (),
    /// The uniform wrapper, for the IR interpreter.
    pub interp: fn(&[u64]) -> u64,
}

// The table holds only function pointers and static data.
unsafe impl Sync for ExternDef {}

/// The hash of a string's code points that `str_hash` computes (64-bit FNV-1a over each code
/// point's four little-endian bytes), for the front end's prebuilt dicts.
pub fn str_hash_chars(chars: impl IntoIterator<Item = u32>) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        for b in c.to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h as i64
}

/// The extern called `name`.
pub fn lookup(name: &str) -> Option<&'static ExternDef> {
    all().find(|e| e.name == name)
}

/// Every registered extern: this module's table (printing, basic strings, arithmetic helpers)
/// then those of [`strings`], [`numbers`], [`io`] and [`bigint`].
pub fn all() -> impl Iterator<Item = &'static ExternDef> {
    TABLE.iter().chain(strings::TABLE).chain(numbers::TABLE).chain(io::TABLE).chain(bigint::TABLE)
}

/// A `str` argument or result of an extern: a GC pointer to a `str` object, possibly null.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrPtr(pub *mut u8);

impl StrPtr {
    /// The string's code points; empty for null.
    ///
    /// # Safety
    /// The pointer must be null or point to a live `str` object, which must stay alive (be
    /// reachable from a scanned place) while the slice is used.
    pub unsafe fn chars<'a>(self) -> &'a [u32] {
        if self.0.is_null() {
            return &[];
        }
        let len = *(self.0.add(ARRAY_LENGTH_OFFSET) as *const i64);
        std::slice::from_raw_parts(
            self.0.add(ARRAY_ITEMS_OFFSET) as *const u32,
            len.max(0) as usize,
        )
    }

    /// A new `str` of `len` zero chars (aborts the process if out of memory).
    pub fn alloc(len: usize) -> StrPtr {
        let p = gc::rpy_alloc_str(len as i64);
        if p.is_null() {
            out_of_memory(len);
        }
        StrPtr(p)
    }

    /// The items of a string this code allocated and has not yet handed out.
    ///
    /// # Safety
    /// `self` is a live, non-null `str` nothing else reads or writes while the slice is used.
    pub unsafe fn chars_mut<'a>(self) -> &'a mut [u32] {
        let len = *(self.0.add(ARRAY_LENGTH_OFFSET) as *const i64);
        std::slice::from_raw_parts_mut(
            self.0.add(ARRAY_ITEMS_OFFSET) as *mut u32,
            len.max(0) as usize,
        )
    }

    /// A new `str` holding the code points `chars` (aborts the process if out of memory).
    pub fn from_code_points(chars: &[u32]) -> StrPtr {
        let s = StrPtr::alloc(chars.len());
        // SAFETY: a fresh string of chars.len() items.
        unsafe { s.chars_mut().copy_from_slice(chars) };
        s
    }

    /// A new `str` with one code point per byte (U+0000..U+00FF; ASCII text is itself).
    pub fn from_latin1(bytes: &[u8]) -> StrPtr {
        let s = StrPtr::alloc(bytes.len());
        // SAFETY: a fresh string of bytes.len() items.
        let dst = unsafe { s.chars_mut() };
        for (d, &b) in dst.iter_mut().zip(bytes) {
            *d = u32::from(b);
        }
        s
    }

    /// A new `str` holding the code points of `text`.
    pub fn from_text(text: &str) -> StrPtr {
        let chars: Vec<u32> = text.chars().map(u32::from).collect();
        StrPtr::from_code_points(&chars)
    }
}

/// The UTF-8 encoding of code points (a value that is no scalar value, which checked code
/// never makes, becomes U+FFFD).
pub fn utf8(chars: &[u32]) -> String {
    chars.iter().map(|&c| char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

#[cold]
fn out_of_memory(len: usize) -> ! {
    eprintln!("fatal: out of memory allocating a string of {len} chars ({CHAR_SIZE} bytes each)");
    std::process::abort()
}

/// Conversion between an extern's Rust parameter/result type and the interpreter's words.
pub trait ExternValue: Copy {
    /// The type as the registry describes it.
    const TY: ExternTy;
    /// Decodes an interpreter word.
    fn from_word(w: u64) -> Self;
    /// Encodes as an interpreter word.
    fn to_word(self) -> u64;
}

/// Implements [`ExternValue`] for each Rust type: its registry type, then its word
/// conversions as `|word| value` and `|value| word`.
macro_rules! extern_values {
    ($($t:ty: $ty:ident, |$w:ident| $from:expr, |$x:ident| $to:expr;)*) => {$(
        impl ExternValue for $t {
            const TY: ExternTy = ExternTy::$ty;
            fn from_word($w: u64) -> $t {
                $from
            }
            fn to_word(self) -> u64 {
                let $x = self;
                $to
            }
        }
    )*};
}

extern_values! {
    i64: Int, |w| w as i64, |x| x as u64;
    f64: Float, |w| f64::from_bits(w), |x| x.to_bits();
    bool: Bool, |w| w != 0, |x| x as u64;
    // A `char` crosses the C ABI as its code point (Rust's `char` has no C equivalent).
    u32: Char, |w| w as u32, |x| x as u64;
    StrPtr: Str, |w| StrPtr(w as usize as *mut u8), |x| x.0 as usize as u64;
}

impl ExternValue for () {
    const TY: ExternTy = ExternTy::Void;
    fn from_word(_: u64) {}
    fn to_word(self) -> u64 {
        0
    }
}

const fn has_flag(flags: &[&str], flag: &str) -> bool {
    let mut i = 0;
    while i < flags.len() {
        let (a, b) = (flags[i].as_bytes(), flag.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

macro_rules! ret_ty {
    () => {
        ExternTy::Void
    };
    ($t:ty) => {
        <$t as ExternValue>::TY
    };
}

/// Defines every extern once: `fn name(args) -> ret [flags] { body }` generates
/// `native::name` (the `extern "C"` function), its interpreter wrapper and its table entry.
macro_rules! externs {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident ( $($arg:ident : $aty:ty),* ) $(-> $ret:ty)? [$($flag:ident),*] $body:block
    )*) => {
        /// The C ABI implementations, called directly by compiled code (through
        /// [`ExternDef::native`]).
        pub mod native {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[doc = $doc])*
                pub extern "C" fn $name($($arg: $aty),*) $(-> $ret)? $body
            )*
        }

        /// The interpreter wrappers: decode words, call the native function, encode the result.
        mod interp_wrappers {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[allow(unused_mut, unused_variables, unused_assignments, clippy::unused_unit)]
                pub fn $name(args: &[u64]) -> u64 {
                    let mut i = 0;
                    $(
                        let $arg = <$aty as ExternValue>::from_word(args[i]);
                        i += 1;
                    )*
                    ExternValue::to_word(super::native::$name($($arg),*))
                }
            )*
        }

        pub(super) static TABLE: &[ExternDef] = &[$(
            ExternDef {
                name: stringify!($name),
                params: &[$(<$aty as ExternValue>::TY),*],
                ret: ret_ty!($($ret)?),
                pure: has_flag(&[$(stringify!($flag)),*], "pure"),
                allocates: has_flag(&[$(stringify!($flag)),*], "allocates"),
                native: native::$name as *const (),
                interp: interp_wrappers::$name,
            },
        )*];
    };
}

mod arrays;
pub mod bigint;
pub mod io;
pub mod numbers;
pub mod strings;

pub use arrays::{ArrayPtr, CharArrayPtr, StrArrayPtr};

externs! {
    /// Prints an int's decimal digits (no separator).
    fn print_int(x: i64) [] {
        let mut buf = itoa_buf();
        write_output(fmt_int(&mut buf, x));
    }
    /// Prints a float as Python's `repr` does (`1.0`, `0.1`, `1e+16`, `inf`, `nan`).
    fn print_float(x: f64) [] {
        write_output(float_repr(x).as_bytes());
    }
    /// Prints one char, encoded in UTF-8.
    fn print_char(c: u32) [] {
        write_output(utf8(&[c]).as_bytes());
    }
    /// Prints a string, encoded in UTF-8 (`<null>` for a null string).
    fn print_str(s: StrPtr) [] {
        if s.0.is_null() {
            write_output(b"<null>");
        } else {
            // SAFETY: a live str argument.
            write_output(utf8(unsafe { s.chars() }).as_bytes());
        }
    }
    /// Prints a newline.
    fn print_newline() [] {
        write_output(b"\n");
    }
    /// Writes buffered output to stdout (compiled code calls it before exiting).
    fn print_flush() [] {
        flush_output();
    }
    /// The decimal representation of an int.
    fn int_to_str(x: i64) -> StrPtr [allocates] {
        let mut buf = itoa_buf();
        StrPtr::from_latin1(fmt_int(&mut buf, x))
    }
    /// Python's `repr` of a float.
    fn float_to_str(x: f64) -> StrPtr [allocates] {
        StrPtr::from_text(&float_repr(x))
    }
    /// A one-character string.
    fn char_to_str(c: u32) -> StrPtr [allocates] {
        StrPtr::from_code_points(&[c])
    }
    /// The concatenation of two strings.
    fn str_concat(a: StrPtr, b: StrPtr) -> StrPtr [allocates] {
        // SAFETY: live str arguments; they stay on this (registered) thread's stack while the
        // result is allocated, so they cannot be collected.
        let (n, m) = unsafe { (a.chars().len(), b.chars().len()) };
        let r = StrPtr::alloc(n + m);
        // SAFETY: r holds n + m items and is not yet shared; a and b are still alive.
        unsafe {
            let dst = r.chars_mut();
            dst[..n].copy_from_slice(a.chars());
            dst[n..].copy_from_slice(b.chars());
        }
        r
    }
    /// Whether two strings hold the same code points.
    fn str_eq(a: StrPtr, b: StrPtr) -> bool [pure] {
        // SAFETY: live str arguments.
        unsafe { a.chars() == b.chars() }
    }
    /// Comparison by code points (Python's order on `str`): -1, 0 or 1.
    fn str_cmp(a: StrPtr, b: StrPtr) -> i64 [pure] {
        // SAFETY: live str arguments.
        unsafe { a.chars().cmp(b.chars()) as i64 }
    }
    /// `s[start:stop]` with Python's rules (negative indices count from the end; clamped).
    fn str_slice(s: StrPtr, start: i64, stop: i64) -> StrPtr [allocates] {
        // SAFETY: a live str argument, alive (an argument) while the result is allocated.
        let (lo, hi) = python_slice(unsafe { s.chars() }.len(), start, stop);
        let r = StrPtr::alloc(hi - lo);
        // SAFETY: r is fresh with hi - lo items; s is alive.
        unsafe { r.chars_mut().copy_from_slice(&s.chars()[lo..hi]) };
        r
    }
    /// A hash of the string's code points (64-bit FNV-1a over each code point's four
    /// little-endian bytes), stable across runs and modes.
    fn str_hash(s: StrPtr) -> i64 [pure] {
        // SAFETY: a live str argument.
        str_hash_chars(unsafe { s.chars() }.iter().copied())
    }
    /// `base ** exp` with wrapping multiplication; a negative exponent gives 0.
    fn int_pow(base: i64, exp: i64) -> i64 [pure] {
        if exp < 0 {
            return 0;
        }
        let (mut result, mut b, mut e) = (1i64, base, exp as u64);
        while e > 0 {
            if e & 1 == 1 {
                result = result.wrapping_mul(b);
            }
            b = b.wrapping_mul(b);
            e >>= 1;
        }
        result
    }
    /// `x ** y` (C `pow`: IEEE results, no errors).
    fn float_pow(x: f64, y: f64) -> f64 [pure] {
        x.powf(y)
    }
    /// The largest integral float not above `x`.
    fn float_floor(x: f64) -> f64 [pure] {
        x.floor()
    }
    /// The smallest integral float not below `x`.
    fn float_ceil(x: f64) -> f64 [pure] {
        x.ceil()
    }
    /// The square root (NaN for negative numbers).
    fn float_sqrt(x: f64) -> f64 [pure] {
        x.sqrt()
    }
    /// C `fmod`: the remainder with the sign of `x`.
    fn float_fmod(x: f64, y: f64) -> f64 [pure] {
        x % y
    }
    /// Python's float `%`: the remainder with the sign of `y` (the caller checks `y != 0`).
    fn float_mod(x: f64, y: f64) -> f64 [pure] {
        python_float_divmod(x, y).1
    }
    /// Python's float `//` (the caller checks `y != 0`).
    fn float_floordiv(x: f64, y: f64) -> f64 [pure] {
        python_float_divmod(x, y).0
    }
    /// The write hook of a quasi-immutable field: field `field` of the object at `addr` was
    /// just written; the compiled code that read it as a constant becomes invalid
    /// ([`crate::runtime::quasi::invalidate`]). Every store to such a field calls it.
    fn jit_quasi_invalidate(addr: i64, field: i64) [] {
        crate::runtime::quasi::invalidate(addr as u64, field as u32)
    }
    /// Whether the compiled code of token `token` is still valid
    /// ([`crate::runtime::quasi::is_valid`]): what compiled code tests after a residual call
    /// that may write a quasi-immutable field.
    fn jit_quasi_valid(token: i64) -> bool [] {
        crate::runtime::quasi::is_valid(crate::runtime::quasi::Token(token as u32))
    }
    /// Around a direct portal call of compiled code (`+1` before, `-1` after): see
    /// [`crate::runtime::portal_calls`].
    fn jit_direct_calls(delta: i64) [] {
        crate::runtime::portal_calls::add(delta)
    }
}

/// Python's `divmod` on floats (CPython's `float_divmod`), for a non-zero divisor.
fn python_float_divmod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// The byte range of `s[start:stop]` for a string of `len` bytes, with Python's rules.
fn python_slice(len: usize, start: i64, stop: i64) -> (usize, usize) {
    let len = len as i64;
    let clamp = |i: i64| {
        let i = if i < 0 { i.saturating_add(len) } else { i };
        i.clamp(0, len) as usize
    };
    let (lo, hi) = (clamp(start), clamp(stop));
    (lo, hi.max(lo))
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

/// Formats `x` in decimal into `buf` (20 bytes hold any i64) without allocating.
fn fmt_int(buf: &mut [u8; 20], x: i64) -> &[u8] {
    let mut n = x.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if x < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// Python's `repr` of a float: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is in `-4..16`, scientific otherwise (`1e+16`, `1.5e-05`); `inf`, `-inf`,
/// `nan`; integral values end in `.0`.
///
/// Among the digit strings of that shortest length which round-trip, CPython (David Gay's
/// `dtoa` in mode 0) prints the one closest to the exact binary value; Rust's `{:e}` (Grisu
/// with a Dragon fallback) gives the shortest length but, when two strings of that length
/// round-trip, not always the closer one (`-1086353280556057.3` for the float with bits
/// `0xc30ee042ab1ae0ca`, CPython `...057.2`). So the length comes from `{:e}` and the digits
/// from the correctly rounded `{:.*e}` at that length, kept when it round-trips (it is then the
/// closest string of that length; near a power of two it may fall outside the narrower half of
/// the rounding interval, and then the shortest string is the only one and `{:e}`'s stays).
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` prints shortest round-trip digits: `-1.2345e-7`, `1e16`, `0e0`.
    let shortest = format!("{:e}", x);
    let ndigits =
        shortest.split_once('e').map_or(0, |(m, _)| m.chars().filter(char::is_ascii_digit).count());
    let closest = format!("{:.*e}", ndigits.saturating_sub(1), x);
    let sci = if closest.parse::<f64>() == Ok(x) { closest } else { shortest };
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::with_capacity(24);
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        // Fixed: the decimal point goes after digit number exp + 1.
        let point = exp + 1;
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-point) as usize));
            out.push_str(&digits);
        } else if point as usize >= digits.len() {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    }
    out
}

/// Flush the stdout buffer once it holds this many bytes.
const OUTPUT_BUFFER_LIMIT: usize = 1 << 16;

/// Where this thread's output goes.
struct Sink {
    /// Active capture (tests), if any: output is kept here instead of printed.
    capture: Option<Vec<u8>>,
    /// Output waiting to be written to stdout.
    buffer: Vec<u8>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        write_stdout(&self.buffer);
    }
}

thread_local! {
    static SINK: RefCell<Sink> = const { RefCell::new(Sink { capture: None, buffer: Vec::new() }) };
}

fn write_stdout(bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    // Output errors (a closed pipe) cannot be reported to RPy code: ignore them like print()
    // to a closed stdout would abort in the middle of nowhere otherwise.
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

/// Writes bytes to this thread's output sink.
pub fn write_output(bytes: &[u8]) {
    let ok = SINK.try_with(|s| {
        let mut s = s.borrow_mut();
        if let Some(c) = &mut s.capture {
            c.extend_from_slice(bytes);
            return;
        }
        s.buffer.extend_from_slice(bytes);
        if s.buffer.len() >= OUTPUT_BUFFER_LIMIT {
            write_stdout(&s.buffer);
            s.buffer.clear();
        }
    });
    if ok.is_err() {
        // The thread is exiting: no buffer any more, write directly.
        write_stdout(bytes);
    }
}

/// Writes this thread's buffered output to stdout.
pub fn flush_output() {
    let _ = SINK.try_with(|s| {
        let mut s = s.borrow_mut();
        write_stdout(&s.buffer);
        s.buffer.clear();
    });
}

/// Runs `f` with this thread's extern output captured, and returns its result with the output
/// (lossily decoded as UTF-8). Captures nest; output printed before is flushed first.
pub fn capture_output<R>(f: impl FnOnce() -> R) -> (R, String) {
    let (r, captured) = capture_output_bytes(f);
    (r, String::from_utf8_lossy(&captured).into_owned())
}

/// [`capture_output`] with the output's exact bytes (for forwarding output between threads).
pub fn capture_output_bytes<R>(f: impl FnOnce() -> R) -> (R, Vec<u8>) {
    /// Puts the enclosing capture back, also when `f` panics.
    struct Restore(Option<Vec<u8>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            let _ = SINK.try_with(|s| s.borrow_mut().capture = prev);
        }
    }
    flush_output();
    let prev = SINK.with(|s| s.borrow_mut().capture.replace(Vec::new()));
    let restore = Restore(prev);
    let r = f();
    let captured = SINK.with(|s| s.borrow_mut().capture.take().unwrap_or_default());
    drop(restore);
    (r, captured)
}

/// What the externs' unit tests share: calling an extern by name on words, making and reading
/// strings.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Calls extern `name` as the IR interpreter does.
    pub fn call(name: &str, args: &[u64]) -> u64 {
        (lookup(name).unwrap_or_else(|| panic!("no extern {name}")).interp)(args)
    }

    /// A fresh `str` holding `text`, as a word.
    pub fn s(text: &str) -> u64 {
        StrPtr::from_text(text).to_word()
    }

    /// The text of a `str` result.
    pub fn read(w: u64) -> String {
        // SAFETY: a fresh str result, kept alive by this stack frame.
        utf8(unsafe { StrPtr::from_word(w).chars() })
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{call, read, s};
    use super::*;

    #[test]
    fn table_is_consistent() {
        let mut names: Vec<_> = all().map(|e| e.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all().count(), "extern names are unique");
        let eq = lookup("str_eq").unwrap();
        assert_eq!(eq.params, &[ExternTy::Str, ExternTy::Str]);
        assert_eq!(eq.ret, ExternTy::Bool);
        assert!(eq.pure && !eq.allocates);
        let p = lookup("print_int").unwrap();
        assert!(!p.pure && p.ret == ExternTy::Void);
        let c = lookup("str_concat").unwrap();
        assert!(!c.pure && c.allocates);
        assert_eq!(
            lookup("str_slice").unwrap().params,
            &[ExternTy::Str, ExternTy::Int, ExternTy::Int]
        );
        assert!(lookup("nope").is_none());
        for e in all() {
            assert!(!(e.pure && e.allocates), "{} is pure but allocates", e.name);
            assert!(!e.native.is_null());
        }
    }

    #[test]
    fn native_and_interp_agree() {
        let f: extern "C" fn(i64, i64) -> i64 =
            // SAFETY: the table's native pointer of int_pow has exactly this signature.
            unsafe { std::mem::transmute(lookup("int_pow").unwrap().native) };
        assert_eq!(f(3, 4), 81);
        assert_eq!(call("int_pow", &[3, 4]), 81);
        assert_eq!(call("int_pow", &[2, 63]) as i64, i64::MIN);
        assert_eq!(call("int_pow", &[2, 64]), 0);
        assert_eq!(call("int_pow", &[5, -1i64 as u64]), 0);
        assert_eq!(call("int_pow", &[-3i64 as u64, 3]) as i64, -27);
        assert_eq!(call("int_pow", &[7, 0]), 1);
    }

    #[test]
    fn printing_is_captured() {
        let (_, out) = capture_output(|| {
            call("print_int", &[(-42i64) as u64]);
            call("print_char", &[b' ' as u64]);
            call("print_char", &[0x263Au64]);
            call("print_float", &[0.1f64.to_bits()]);
            call("print_newline", &[]);
            call("print_str", &[s("héllo")]);
            call("print_str", &[0]);
            let (_, inner) = capture_output(|| call("print_int", &[7]));
            assert_eq!(inner, "7");
            call("print_int", &[i64::MIN as u64]);
        });
        assert_eq!(out, "-42 ☺0.1\nhéllo<null>-9223372036854775808");
    }

    #[test]
    fn string_externs() {
        assert_eq!(read(call("int_to_str", &[(-1234i64) as u64])), "-1234");
        assert_eq!(read(call("int_to_str", &[0])), "0");
        assert_eq!(read(call("float_to_str", &[2.5f64.to_bits()])), "2.5");
        assert_eq!(read(call("char_to_str", &[b'x' as u64])), "x");
        assert_eq!(read(call("char_to_str", &[0x1F600])), "😀");
        assert_eq!(read(call("str_slice", &[s("aé😀b"), 1, 3])), "é😀");
        assert_eq!(call("str_cmp", &[s("é"), s("z")]) as i64, 1, "by code point");
        assert_eq!(read(call("str_concat", &[s("ab"), s("cde")])), "abcde");
        assert_eq!(read(call("str_concat", &[0, s("x")])), "x");
        assert_eq!(call("str_eq", &[s("ab"), s("ab")]), 1);
        assert_eq!(call("str_eq", &[s("ab"), s("abc")]), 0);
        assert_eq!(call("str_eq", &[0, s("")]), 1);
        assert_eq!(call("str_cmp", &[s("ab"), s("b")]) as i64, -1);
        assert_eq!(call("str_cmp", &[s("b"), s("ab")]) as i64, 1);
        assert_eq!(call("str_cmp", &[s("b"), s("b")]) as i64, 0);
        let slice = |a: i64, b: i64| read(call("str_slice", &[s("hello"), a as u64, b as u64]));
        assert_eq!(slice(1, 3), "el");
        assert_eq!(slice(-3, 100), "llo");
        assert_eq!(slice(-100, 2), "he");
        assert_eq!(slice(3, 1), "");
        assert_eq!(slice(0, -1), "hell");
        assert_eq!(slice(i64::MIN, i64::MAX), "hello");
        assert_eq!(call("str_hash", &[s("abc")]), call("str_hash", &[s("abc")]));
        assert_ne!(call("str_hash", &[s("abc")]), call("str_hash", &[s("abd")]));
        assert_eq!(call("str_hash", &[0]), 0xcbf2_9ce4_8422_2325);
    }

    #[test]
    fn float_externs() {
        let f =
            |name: &str, x: f64, y: f64| f64::from_bits(call(name, &[x.to_bits(), y.to_bits()]));
        assert_eq!(f("float_pow", 2.0, 10.0), 1024.0);
        assert_eq!(f("float_floor", -1.5, 0.0), -2.0);
        assert_eq!(f("float_ceil", -1.5, 0.0), -1.0);
        assert_eq!(f("float_sqrt", 9.0, 0.0), 3.0);
        assert_eq!(f("float_fmod", -7.0, 3.0), -1.0);
        assert_eq!(f("float_mod", -7.0, 3.0), 2.0);
        assert_eq!(f("float_mod", 7.0, -3.0), -2.0);
        assert_eq!(f("float_mod", 6.0, -3.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(f("float_floordiv", -7.0, 2.0), -4.0);
        assert_eq!(f("float_floordiv", 7.5, 2.0), 3.0);
        assert_eq!(f("float_floordiv", -0.5, 2.0), -1.0);
    }

    #[test]
    fn python_float_repr() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1.5e300, "1.5e+300"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (2.5, "2.5"),
            (-12.375, "-12.375"),
            (1.0 / 3.0, "0.3333333333333333"),
            (100.0, "100.0"),
            (123.456, "123.456"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (9999999999999998.0, "9999999999999998.0"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for &(x, want) in cases {
            assert_eq!(float_repr(x), want, "repr({x:?})");
        }
    }
}
