//! String externs at native speed: searching, replacing, splitting, joining, stripping, case
//! mapping and character classes, with Python's `str` semantics on code points.
//!
//! Vocabulary and conventions:
//! - Strings are UTF-32 (`&[u32]`, see [`StrPtr::chars`]); a null `str` argument is the empty
//!   string, as everywhere in `externs`.
//! - An extern whose result is an array comes as a pair (see [`ArrayPtr`]): `NAME_len` counts
//!   the items, `NAME_into` writes them into an array of exactly that length that the caller
//!   allocated (items past the array's length are never written; a shorter array gets a
//!   prefix). The front end's builtins (`str_split`, `str_chars`) emit the pair around a
//!   `malloc_array`.
//! - Failure is a documented return value, never a crash: `str_split_len` with an empty
//!   separator returns -1 (Python raises `ValueError: empty separator`), which a front-end
//!   wrapper turns into an error.
//! - Whitespace is Python's `str.isspace` set ([`is_space`]); `isalpha`/`isdigit`/`isalnum`
//!   are Python's on ASCII and Latin-1 and use Rust's Unicode properties beyond (see
//!   [`is_alpha`], [`is_digit`]).

use super::*;

/// Python's `str.isspace` on one code point: the characters whose bidirectional type is
/// WS, B or S, or whose category is Zs.
pub fn is_space(c: u32) -> bool {
    matches!(
        c,
        0x09..=0x0d
            | 0x1c..=0x20
            | 0x85
            | 0xa0
            | 0x1680
            | 0x2000..=0x200a
            | 0x2028
            | 0x2029
            | 0x202f
            | 0x205f
            | 0x3000
    )
}

/// `str.isalpha` on one code point: letters. Exact (Python's categories Lu, Ll, Lt, Lm, Lo) on
/// Latin-1; beyond it Unicode's `Alphabetic` property, which also counts letter numbers and
/// combining vowel signs.
pub fn is_alpha(c: u32) -> bool {
    char::from_u32(c).is_some_and(char::is_alphabetic)
}

/// `str.isdigit` on one code point: exact on Latin-1 (`0`-`9` and the superscripts `²³¹`);
/// beyond it Unicode's numeric categories (Nd, Nl, No), Python's `isnumeric`.
pub fn is_digit(c: u32) -> bool {
    match c {
        0x30..=0x39 | 0xb2 | 0xb3 | 0xb9 => true,
        0..=0xff => false,
        _ => char::from_u32(c).is_some_and(char::is_numeric),
    }
}

/// `str.isalnum` on one code point.
pub fn is_alnum(c: u32) -> bool {
    is_alpha(c) || is_digit(c) || char::from_u32(c).is_some_and(char::is_numeric)
}

/// Whether every code point satisfies `f` and there is at least one (Python's `str.isX`).
fn all_of(s: StrPtr, f: fn(u32) -> bool) -> bool {
    // SAFETY: a live str argument.
    let chars = unsafe { s.chars() };
    !chars.is_empty() && chars.iter().all(|&c| f(c))
}

/// The first index `>= from` where `sub` starts in `hay`.
fn find_from(hay: &[u32], sub: &[u32], from: usize) -> Option<usize> {
    if sub.len() > hay.len() || from > hay.len() - sub.len() {
        return None;
    }
    if sub.is_empty() {
        return Some(from);
    }
    (from..=hay.len() - sub.len()).find(|&i| hay[i..i + sub.len()] == *sub)
}

/// The non-overlapping occurrences of a non-empty `sep` in `hay`, left to right: the pieces
/// between them.
fn split_on<'a>(hay: &'a [u32], sep: &[u32]) -> Vec<&'a [u32]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while let Some(i) = find_from(hay, sep, start) {
        pieces.push(&hay[start..i]);
        start = i + sep.len();
    }
    pieces.push(&hay[start..]);
    pieces
}

/// The maximal runs of non-whitespace in `hay` (Python's `str.split()`).
fn split_ws(hay: &[u32]) -> Vec<&[u32]> {
    hay.split(|&c| is_space(c)).filter(|w| !w.is_empty()).collect()
}

/// Writes fresh strings of `pieces` into `out` (up to its length). The pieces borrow from a
/// live argument, which stays alive (an argument) while the strings are allocated; `out` is
/// a live array the collector scans.
fn fill(out: StrArrayPtr, pieces: &[&[u32]]) {
    // SAFETY: out is null or a live array[str]; each new string is stored right away, so it
    // is reachable from out before the next allocation.
    let items = unsafe { out.items() };
    for (slot, piece) in items.iter_mut().zip(pieces) {
        *slot = StrPtr::from_code_points(piece);
    }
}

/// `s[lo..hi]` as a new string (positions already clamped).
fn piece(s: StrPtr, lo: usize, hi: usize) -> StrPtr {
    let r = StrPtr::alloc(hi - lo);
    // SAFETY: r is fresh with hi - lo items; s is a live argument.
    unsafe { r.chars_mut().copy_from_slice(&s.chars()[lo..hi]) };
    r
}

/// The chars of `s` mapped through a full case mapping (one char may become several).
fn map_case<I: Iterator<Item = char>>(s: StrPtr, f: fn(char) -> I) -> StrPtr {
    // SAFETY: a live str argument, copied before anything is allocated.
    let chars = unsafe { s.chars() };
    let mapped: Vec<u32> = chars
        .iter()
        .flat_map(|&c| {
            let ch = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
            f(ch).map(u32::from)
        })
        .collect();
    StrPtr::from_code_points(&mapped)
}

externs! {
    /// `s.find(sub)`: the first index where `sub` occurs, -1 if nowhere.
    fn str_find(s: StrPtr, sub: StrPtr) -> i64 [pure] {
        // SAFETY: live str arguments.
        let (h, n) = unsafe { (s.chars(), sub.chars()) };
        find_from(h, n, 0).map_or(-1, |i| i as i64)
    }
    /// `s.find(sub, start)`: from index `start` (negative counts from the end, clamped).
    fn str_find_from(s: StrPtr, sub: StrPtr, start: i64) -> i64 [pure] {
        // SAFETY: live str arguments.
        let (h, n) = unsafe { (s.chars(), sub.chars()) };
        // Python's start: negative counts from the end (clamped at 0); past the end finds
        // nothing, not even the empty string.
        let lo = if start < 0 { start.saturating_add(h.len() as i64).max(0) } else { start };
        match usize::try_from(lo) {
            Ok(lo) if lo <= h.len() => find_from(h, n, lo).map_or(-1, |i| i as i64),
            _ => -1,
        }
    }
    /// `s.rfind(sub)`: the last index where `sub` occurs, -1 if nowhere.
    fn str_rfind(s: StrPtr, sub: StrPtr) -> i64 [pure] {
        // SAFETY: live str arguments.
        let (h, n) = unsafe { (s.chars(), sub.chars()) };
        if n.len() > h.len() {
            return -1;
        }
        (0..=h.len() - n.len()).rev().find(|&i| h[i..i + n.len()] == *n).map_or(-1, |i| i as i64)
    }
    /// `s.count(sub)`: non-overlapping occurrences (`len(s) + 1` for an empty `sub`).
    fn str_count(s: StrPtr, sub: StrPtr) -> i64 [pure] {
        // SAFETY: live str arguments.
        let (h, n) = unsafe { (s.chars(), sub.chars()) };
        if n.is_empty() {
            return h.len() as i64 + 1;
        }
        split_on(h, n).len() as i64 - 1
    }
    /// `s.replace(old, new)`: every non-overlapping occurrence, left to right (an empty `old`
    /// inserts `new` before every char and at the end, as Python does).
    fn str_replace(s: StrPtr, old: StrPtr, new: StrPtr) -> StrPtr [allocates] {
        // SAFETY: live str arguments, copied before anything is allocated.
        let (h, o, n) = unsafe { (s.chars(), old.chars(), new.chars()) };
        let mut out = Vec::with_capacity(h.len());
        if o.is_empty() {
            for &c in h {
                out.extend_from_slice(n);
                out.push(c);
            }
            out.extend_from_slice(n);
        } else {
            for (i, p) in split_on(h, o).iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(n);
                }
                out.extend_from_slice(p);
            }
        }
        StrPtr::from_code_points(&out)
    }
    /// `s.startswith(prefix)`.
    fn str_startswith(s: StrPtr, prefix: StrPtr) -> bool [pure] {
        // SAFETY: live str arguments.
        unsafe { s.chars().starts_with(prefix.chars()) }
    }
    /// `s.endswith(suffix)`.
    fn str_endswith(s: StrPtr, suffix: StrPtr) -> bool [pure] {
        // SAFETY: live str arguments.
        unsafe { s.chars().ends_with(suffix.chars()) }
    }
    /// `s.strip()`: without leading and trailing whitespace.
    fn str_strip(s: StrPtr) -> StrPtr [allocates] {
        // SAFETY: a live str argument.
        let h = unsafe { s.chars() };
        let lo = h.iter().position(|&c| !is_space(c)).unwrap_or(h.len());
        let hi = h.iter().rposition(|&c| !is_space(c)).map_or(lo, |i| i + 1);
        piece(s, lo, hi.max(lo))
    }
    /// `s.lstrip()`: without leading whitespace.
    fn str_lstrip(s: StrPtr) -> StrPtr [allocates] {
        // SAFETY: a live str argument.
        let h = unsafe { s.chars() };
        let lo = h.iter().position(|&c| !is_space(c)).unwrap_or(h.len());
        piece(s, lo, h.len())
    }
    /// `s.rstrip()`: without trailing whitespace.
    fn str_rstrip(s: StrPtr) -> StrPtr [allocates] {
        // SAFETY: a live str argument.
        let h = unsafe { s.chars() };
        let hi = h.iter().rposition(|&c| !is_space(c)).map_or(0, |i| i + 1);
        piece(s, 0, hi)
    }
    /// `s.lower()` (full Unicode case mapping: a char may become several).
    fn str_lower(s: StrPtr) -> StrPtr [allocates] {
        map_case(s, char::to_lowercase)
    }
    /// `s.upper()` (full Unicode case mapping: `ß` becomes `SS`).
    fn str_upper(s: StrPtr) -> StrPtr [allocates] {
        map_case(s, char::to_uppercase)
    }
    /// `s.isdigit()`: non-empty and every char a digit ([`is_digit`]).
    fn str_isdigit(s: StrPtr) -> bool [pure] {
        all_of(s, is_digit)
    }
    /// `s.isalpha()`: non-empty and every char a letter ([`is_alpha`]).
    fn str_isalpha(s: StrPtr) -> bool [pure] {
        all_of(s, is_alpha)
    }
    /// `s.isspace()`: non-empty and every char whitespace ([`is_space`]).
    fn str_isspace(s: StrPtr) -> bool [pure] {
        all_of(s, is_space)
    }
    /// `s.isalnum()`: non-empty and every char a letter or a digit.
    fn str_isalnum(s: StrPtr) -> bool [pure] {
        all_of(s, is_alnum)
    }
    /// `c.isdigit()` on one char.
    fn char_isdigit(c: u32) -> bool [pure] {
        is_digit(c)
    }
    /// `c.isalpha()` on one char.
    fn char_isalpha(c: u32) -> bool [pure] {
        is_alpha(c)
    }
    /// `c.isspace()` on one char.
    fn char_isspace(c: u32) -> bool [pure] {
        is_space(c)
    }
    /// `c.isalnum()` on one char.
    fn char_isalnum(c: u32) -> bool [pure] {
        is_alnum(c)
    }
    /// How many pieces `s.split(sep)` has; -1 if `sep` is empty (Python's `ValueError`).
    fn str_split_len(s: StrPtr, sep: StrPtr) -> i64 [pure] {
        // SAFETY: live str arguments.
        let (h, p) = unsafe { (s.chars(), sep.chars()) };
        if p.is_empty() {
            return -1;
        }
        split_on(h, p).len() as i64
    }
    /// Writes the pieces of `s.split(sep)` into `out` (see the module header).
    fn str_split_into(s: StrPtr, sep: StrPtr, out: StrArrayPtr) [] {
        // SAFETY: live str arguments.
        let (h, p) = unsafe { (s.chars(), sep.chars()) };
        if !p.is_empty() {
            fill(out, &split_on(h, p));
        }
    }
    /// How many words `s.split()` has (runs of non-whitespace).
    fn str_split_ws_len(s: StrPtr) -> i64 [pure] {
        // SAFETY: a live str argument.
        split_ws(unsafe { s.chars() }).len() as i64
    }
    /// Writes the words of `s.split()` into `out`.
    fn str_split_ws_into(s: StrPtr, out: StrArrayPtr) [] {
        // SAFETY: a live str argument.
        fill(out, &split_ws(unsafe { s.chars() }));
    }
    /// `sep.join(parts)` (a null part is the empty string).
    fn str_join(sep: StrPtr, parts: StrArrayPtr) -> StrPtr [allocates] {
        // SAFETY: live arguments; everything is read before the result is allocated.
        let (p, items) = unsafe { (sep.chars(), parts.items()) };
        let total: usize = items.iter().map(|s| unsafe { s.chars() }.len()).sum::<usize>()
            + p.len() * items.len().saturating_sub(1);
        let r = StrPtr::alloc(total);
        // SAFETY: r is fresh with total items; the arguments are still alive.
        let dst = unsafe { r.chars_mut() };
        let mut at = 0;
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                dst[at..at + p.len()].copy_from_slice(p);
                at += p.len();
            }
            // SAFETY: an item of a live array[str].
            let c = unsafe { s.chars() };
            dst[at..at + c.len()].copy_from_slice(c);
            at += c.len();
        }
        r
    }
    /// The string of the chars of an `array[char]` (`''.join(chars)`).
    fn str_from_chars(chars: CharArrayPtr) -> StrPtr [allocates] {
        // SAFETY: a live array[char] argument, alive while the result is allocated.
        let n = unsafe { chars.items() }.len();
        let r = StrPtr::alloc(n);
        // SAFETY: r is fresh with n items; chars is alive and still n long.
        unsafe { r.chars_mut().copy_from_slice(chars.items()) };
        r
    }
    /// Writes the chars of `s` into `out` (`list(s)` as an `array[char]` of length `len(s)`).
    fn str_chars_into(s: StrPtr, out: CharArrayPtr) [] {
        // SAFETY: live arguments of different objects.
        let (h, items) = unsafe { (s.chars(), out.items()) };
        let n = h.len().min(items.len());
        items[..n].copy_from_slice(&h[..n]);
    }
    /// `s * n`: `s` repeated `n` times (empty for `n <= 0`).
    fn str_repeat(s: StrPtr, n: i64) -> StrPtr [allocates] {
        // SAFETY: a live str argument.
        let len = unsafe { s.chars() }.len();
        let n = n.max(0) as usize;
        let total = len.checked_mul(n).unwrap_or_else(|| out_of_memory(usize::MAX));
        let r = StrPtr::alloc(total);
        // SAFETY: r is fresh with len * n items; s is alive.
        unsafe {
            let (src, dst) = (s.chars(), r.chars_mut());
            for chunk in dst.chunks_exact_mut(len.max(1)).take(n) {
                chunk.copy_from_slice(src);
            }
        }
        r
    }
    /// `s[start:stop:step]` with Python's rules (clamping, negative indices and steps;
    /// [`OMITTED`] for a bound left out); a zero step gives the empty string (Python raises
    /// `ValueError`: the front end rejects a constant zero step).
    fn str_slice_step(s: StrPtr, start: i64, stop: i64, step: i64) -> StrPtr [allocates] {
        // SAFETY: a live str argument, copied before anything is allocated.
        let h = unsafe { s.chars() };
        let picked: Vec<u32> =
            slice_indices(h.len(), start, stop, step).into_iter().map(|i| h[i]).collect();
        StrPtr::from_code_points(&picked)
    }
}

/// A slice bound left out (`s[:j]`, `s[::-1]`): where it stands depends on the step's sign,
/// which may be known only at run time. (An explicit bound of exactly `i64::MIN` therefore
/// reads as omitted: far before the start, Python would clamp it; the difference shows only
/// with a negative step.)
pub const OMITTED: i64 = i64::MIN;

/// The indices `s[start:stop:step]` picks from a sequence of `len` items, as CPython's
/// `PySlice_AdjustIndices` computes them ([`OMITTED`] for a bound left out).
pub fn slice_indices(len: usize, start: i64, stop: i64, step: i64) -> Vec<usize> {
    if step == 0 {
        return Vec::new();
    }
    let len = len as i64;
    let (start, stop) = match step > 0 {
        true => {
            (if start == OMITTED { 0 } else { start }, if stop == OMITTED { len } else { stop })
        }
        // len - 1 and "one before the first" (-len - 1 adjusts to -1).
        false => (
            if start == OMITTED { len - 1 } else { start },
            if stop == OMITTED { -len - 1 } else { stop },
        ),
    };
    let adjust = |i: i64, lo: i64, hi: i64| {
        if i < 0 {
            let j = i.saturating_add(len);
            if j < 0 {
                lo
            } else {
                j
            }
        } else if i >= len {
            hi
        } else {
            i
        }
    };
    let (start, stop) = if step > 0 {
        (adjust(start, 0, len), adjust(stop, 0, len))
    } else {
        (adjust(start, -1, len - 1), adjust(stop, -1, len - 1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i = match i.checked_add(step) {
            Some(j) => j,
            None => break,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Layout;
    use crate::runtime::heap::alloc_array;

    fn call(name: &str, args: &[u64]) -> u64 {
        (lookup(name).unwrap_or_else(|| panic!("no extern {name}")).interp)(args)
    }

    fn s(text: &str) -> u64 {
        StrPtr::from_text(text).to_word()
    }

    fn read(w: u64) -> String {
        // SAFETY: a fresh str result, kept alive by this stack frame.
        utf8(unsafe { StrPtr::from_word(w).chars() })
    }

    fn str1(name: &str, a: &str) -> String {
        read(call(name, &[s(a)]))
    }

    #[test]
    fn searching_and_replacing() {
        let find = |a: &str, b: &str| call("str_find", &[s(a), s(b)]) as i64;
        let rfind = |a: &str, b: &str| call("str_rfind", &[s(a), s(b)]) as i64;
        assert_eq!(find("héllo wörld", "ö"), 7);
        assert_eq!(find("abc", ""), 0);
        assert_eq!(find("abc", "abcd"), -1);
        assert_eq!(rfind("abcabc", "bc"), 4);
        assert_eq!(rfind("abc", ""), 3);
        assert_eq!(rfind("", "a"), -1);
        let from = |a: &str, b: &str, i: i64| call("str_find_from", &[s(a), s(b), i as u64]) as i64;
        assert_eq!(from("abcabc", "a", 1), 3);
        assert_eq!(from("abcabc", "a", -3), 3);
        assert_eq!(from("abc", "", 5), -1, "Python: 'abc'.find('', 5) == -1");
        assert_eq!(from("abc", "", 3), 3);
        assert_eq!(call("str_count", &[s("aaaa"), s("aa")]), 2);
        assert_eq!(call("str_count", &[s("ab"), s("")]), 3);
        let replace = |a: &str, b: &str, c: &str| read(call("str_replace", &[s(a), s(b), s(c)]));
        assert_eq!(replace("a-b-c", "-", "+="), "a+=b+=c");
        assert_eq!(replace("aaa", "aa", "b"), "ba");
        assert_eq!(replace("ab", "", "-"), "-a-b-");
        assert_eq!(replace("😀x😀", "😀", "é"), "éxé");
        assert_eq!(call("str_startswith", &[s("hello"), s("he")]), 1);
        assert_eq!(call("str_startswith", &[s("he"), s("hello")]), 0);
        assert_eq!(call("str_endswith", &[s("hello"), s("llo")]), 1);
        assert_eq!(call("str_endswith", &[s("hello"), s("")]), 1);
    }

    #[test]
    fn stripping_case_and_classes() {
        assert_eq!(str1("str_strip", " \t\u{3000}a b\n\u{1c}"), "a b");
        assert_eq!(str1("str_strip", "   "), "");
        assert_eq!(str1("str_lstrip", "  a "), "a ");
        assert_eq!(str1("str_rstrip", "  a "), "  a");
        assert_eq!(str1("str_upper", "straße é"), "STRASSE É");
        assert_eq!(str1("str_lower", "ÀB"), "àb");
        let is = |name: &str, a: &str| call(name, &[s(a)]) == 1;
        assert!(is("str_isdigit", "0123²"));
        assert!(!is("str_isdigit", ""));
        assert!(!is("str_isdigit", "1a"));
        assert!(!is("str_isdigit", "½"), "Python: '½'.isdigit() is False");
        assert!(is("str_isalpha", "héllo"));
        assert!(is("str_isalpha", "ªº"));
        assert!(!is("str_isalpha", "a1"));
        assert!(is("str_isspace", " \t\n\x0b\x0c\r\x1c\u{85}\u{a0}"));
        assert!(!is("str_isspace", " x"));
        assert!(is("str_isalnum", "abc123"));
        assert!(!is("str_isalnum", "abc 123"));
        assert_eq!(call("char_isdigit", &[u64::from(b'7')]), 1);
        assert_eq!(call("char_isspace", &[0x2028]), 1);
        assert_eq!(call("char_isalpha", &[u64::from(b'_')]), 0);
        assert_eq!(call("char_isalnum", &[0x4e2d]), 1, "a CJK ideograph is a letter");
    }

    #[test]
    fn splitting_and_joining() {
        let mut table = crate::types::TypeTable::new();
        let strs = table.array(crate::types::Ty::Ref(crate::types::TypeTable::STR), false);
        let layout = Layout::compute(&table);
        let split = |text: &str, sep: Option<&str>| -> Vec<String> {
            let n = match sep {
                Some(p) => call("str_split_len", &[s(text), s(p)]) as i64,
                None => call("str_split_ws_len", &[s(text)]) as i64,
            };
            let out = alloc_array(&layout, strs, n as usize) as usize as u64;
            match sep {
                Some(p) => call("str_split_into", &[s(text), s(p), out]),
                None => call("str_split_ws_into", &[s(text), out]),
            };
            // SAFETY: a live array[str] of n items.
            let items = unsafe { StrArrayPtr::from_word(out).items() };
            items.iter().map(|p| read(p.to_word())).collect()
        };
        assert_eq!(split("a,b,,c", Some(",")), ["a", "b", "", "c"]);
        assert_eq!(split("", Some(",")), [""]);
        assert_eq!(split("a<>b<>", Some("<>")), ["a", "b", ""]);
        assert_eq!(split("  one two\u{3000}three\n ", None), ["one", "two", "three"]);
        assert_eq!(split("   ", None), Vec::<String>::new());
        assert_eq!(call("str_split_len", &[s("abc"), s("")]) as i64, -1);
        let parts = alloc_array(&layout, strs, 3) as usize as u64;
        // SAFETY: a live array[str] of 3 items.
        let items = unsafe { StrArrayPtr::from_word(parts).items() };
        items[0] = StrPtr::from_text("a");
        items[2] = StrPtr::from_text("😀");
        assert_eq!(read(call("str_join", &[s(", "), parts])), "a, , 😀");
        assert_eq!(read(call("str_join", &[s("-"), 0])), "");
    }

    #[test]
    fn repeating_and_slicing_with_steps() {
        assert_eq!(read(call("str_repeat", &[s("ab"), 3])), "ababab");
        assert_eq!(read(call("str_repeat", &[s("ab"), -1i64 as u64])), "");
        assert_eq!(read(call("str_repeat", &[s(""), 5])), "");
        let slice = |a: i64, b: i64, k: i64| {
            read(call("str_slice_step", &[s("0123456789"), a as u64, b as u64, k as u64]))
        };
        let (lo, hi) = (OMITTED, i64::MAX);
        assert_eq!(slice(lo, hi, 2), "02468");
        assert_eq!(slice(lo, lo, 3), "0369");
        assert_eq!(slice(hi, -100, -1), "9876543210");
        assert_eq!(slice(lo, lo, -1), "9876543210", "omitted bounds with a negative step");
        assert_eq!(slice(lo, 5, -2), "97");
        assert_eq!(slice(2, lo, -1), "210");
        assert_eq!(slice(-100, 100, -1), "");
        assert_eq!(slice(8, 2, -2), "864");
        assert_eq!(slice(-2, -8, -3), "85");
        assert_eq!(slice(2, 8, -1), "");
        assert_eq!(slice(100, -100, -4), "951");
        assert_eq!(slice(1, 5, 0), "");
        assert_eq!(slice_indices(3, hi, -100, i64::MIN), vec![2]);
        assert_eq!(slice_indices(0, OMITTED, OMITTED, -1), Vec::<usize>::new());
    }
}
