//! Quasi-immutable fields at run time: which compiled code relies on which field of which
//! object, and the write hook that discards it (PyPy's `quasiimmut.py`, our own design).
//!
//! Vocabulary and invariants:
//! - A [`Token`] stands for one piece of compiled code (one residual graph). It is valid when
//!   made and becomes invalid for good when a field it depends on is written; it is never
//!   valid again (the JIT compiles new code, under a new token).
//! - A dependency is (token, object address, field index): the JIT read that field of that
//!   object as a constant while compiling the token's code ([`depend`]). The compiled code
//!   keeps the object alive (it is one of its constants), so the address names one object for
//!   as long as the token matters; a stale entry only ever invalidates code for nothing.
//! - [`invalidate`] is the write hook, called after every store to a quasi-immutable field in
//!   every execution mode (the IR interpreter, translated code and compiled code call the
//!   extern `jit_quasi_invalidate`): it marks every token depending on (object, field)
//!   invalid and forgets those dependencies. With no dependency registered it costs one
//!   atomic load.
//! - [`is_valid`] is what compiled code tests (the extern `jit_quasi_valid`) after a residual
//!   call that may write such a field, and what the JIT driver tests before entering code:
//!   an atomic load, no lock. The registry is process-wide (compiled code has no context
//!   argument), shared by every thread; tokens are never reused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The extern every store to a quasi-immutable field calls: `jit_quasi_invalidate(address,
/// field)` ([`invalidate`]).
pub const WRITE_HOOK: &str = "jit_quasi_invalidate";

/// The extern compiled code calls to test its token: `jit_quasi_valid(token) -> bool`
/// ([`is_valid`]).
pub const VALID_CHECK: &str = "jit_quasi_valid";

/// Compiled code whose validity depends on quasi-immutable fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token(pub u32);

/// Tokens per chunk of validity flags.
const CHUNK: usize = 4096;
/// Chunks (so at most `CHUNK * CHUNKS` tokens per process).
const CHUNKS: usize = 4096;

/// Validity flags, by token, in chunks allocated on first use (never moved or freed).
static FLAGS: [OnceLock<Box<[AtomicBool]>>; CHUNKS] = [const { OnceLock::new() }; CHUNKS];
/// The next token.
static NEXT: AtomicU32 = AtomicU32::new(0);
/// Number of dependencies registered (the write hook's fast path).
static WATCHED: AtomicUsize = AtomicUsize::new(0);
/// Writes that invalidated at least one token, so far.
static INVALIDATIONS: AtomicU64 = AtomicU64::new(0);

/// The dependencies: (object address, field index) -> tokens relying on it.
type Deps = HashMap<(u64, u32), Vec<Token>>;

fn deps() -> &'static Mutex<Deps> {
    static DEPS: OnceLock<Mutex<Deps>> = OnceLock::new();
    DEPS.get_or_init(|| Mutex::new(HashMap::new()))
}

fn flag(t: Token) -> Option<&'static AtomicBool> {
    let (c, i) = (t.0 as usize / CHUNK, t.0 as usize % CHUNK);
    FLAGS.get(c)?.get().map(|chunk| &chunk[i])
}

/// A new, valid token; `None` once the process has used them all (the JIT then does not read
/// quasi-immutable fields as constants).
pub fn new_token() -> Option<Token> {
    let t = NEXT.fetch_add(1, Ordering::Relaxed);
    let c = t as usize / CHUNK;
    let chunk = FLAGS.get(c)?.get_or_init(|| (0..CHUNK).map(|_| AtomicBool::new(false)).collect());
    chunk[t as usize % CHUNK].store(true, Ordering::Release);
    Some(Token(t))
}

/// Records that `token`'s code read field `field` of the object at `addr` as a constant.
pub fn depend(token: Token, addr: u64, field: u32) {
    let mut map = deps().lock().unwrap_or_else(|e| e.into_inner());
    let tokens = map.entry((addr, field)).or_default();
    if !tokens.contains(&token) {
        tokens.push(token);
        WATCHED.fetch_add(1, Ordering::Release);
    }
}

/// The write hook: field `field` of the object at `addr` was written; every token relying on
/// it becomes invalid.
pub fn invalidate(addr: u64, field: u32) {
    if WATCHED.load(Ordering::Acquire) == 0 {
        return;
    }
    let mut map = deps().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(tokens) = map.remove(&(addr, field)) {
        WATCHED.fetch_sub(tokens.len(), Ordering::Release);
        INVALIDATIONS.fetch_add(1, Ordering::Release);
        for t in tokens {
            if let Some(f) = flag(t) {
                f.store(false, Ordering::Release);
            }
        }
    }
}

/// How many writes have invalidated code so far: a JIT driver compares it with the count it
/// last saw to know when to look for invalid code.
pub fn invalidations() -> u64 {
    INVALIDATIONS.load(Ordering::Acquire)
}

/// Whether `token`'s code may still run (no field it relies on was written since).
pub fn is_valid(token: Token) -> bool {
    flag(token).is_some_and(|f| f.load(Ordering::Acquire))
}

/// The address of `token`'s validity flag (a byte, nonzero while valid), which never moves:
/// compiled code may load it with acquire ordering instead of calling [`VALID_CHECK`]. `None`
/// for a token never made.
pub fn flag_address(token: Token) -> Option<u64> {
    flag(token).map(|f| f.as_ptr() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_invalidates_exactly_the_tokens_relying_on_the_field() {
        let (a, b, c) = (new_token().unwrap(), new_token().unwrap(), new_token().unwrap());
        // Addresses no GC object has (odd): no other test can write them.
        depend(a, 0x1001, 0);
        depend(b, 0x1001, 1);
        depend(c, 0x1003, 0);
        invalidate(0x1001, 0);
        assert!(!is_valid(a));
        assert!(is_valid(b) && is_valid(c));
        invalidate(0x1001, 0);
        assert!(is_valid(b));
        invalidate(0x1003, 0);
        assert!(!is_valid(c));
        assert!(!is_valid(Token(u32::MAX)));
    }
}
