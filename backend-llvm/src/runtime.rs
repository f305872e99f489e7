//! The Rust side of compiled code: the runtime functions it calls (failure reporting, array
//! allocation) and the table of absolute symbols a session defines for them and the externs.
//!
//! The failure protocol (no unwinding through compiled frames, no setjmp/longjmp):
//! - A failing check calls [`rpy_fail`] with its site (an index into the program's
//!   [`crate::errors::SiteTable`]) and the dynamic values the message needs, sets the module's
//!   `failed` flag and returns a zero value.
//! - A function whose entry check finds the call too deep calls [`rpy_overflow`], which does
//!   not know the call site yet; the caller, seeing the flag set after the call, calls
//!   [`rpy_unwind`] with the call's site, which fills it in, then returns in turn.
//! - The pending failure lives in a thread-local of the thread running the code, read back by
//!   [`take_pending`] when the entry call returns.

use rpy_ir::externs;
use std::cell::Cell;

/// A site value meaning "not known yet" (the entry check of a callee).
pub const NO_SITE: u64 = u64::MAX;

/// A failure recorded by compiled code and not yet turned into a runtime error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The failing site, or [`NO_SITE`] if an entry check failed and no caller named its call.
    pub site: u64,
    /// First dynamic value (index, length, tag, depth... as the site's kind needs).
    pub a: i64,
    /// Second dynamic value.
    pub b: i64,
    /// The failure is a stack overflow found by an entry check (site filled by the caller).
    pub overflow: bool,
    /// The overflow was of the native stack (not the depth or register limit).
    pub native: bool,
}

thread_local! {
    static PENDING: Cell<Option<Pending>> = const { Cell::new(None) };
}

/// Forgets any pending failure of this thread (before a new entry call).
pub fn clear_pending() {
    PENDING.with(|p| p.set(None));
}

/// The pending failure of this thread, if any, cleared.
pub fn take_pending() -> Option<Pending> {
    PENDING.with(|p| p.take())
}

/// Records a failure at `site` (called by compiled code on a failing check).
pub extern "C" fn rpy_fail(site: u64, a: i64, b: i64) {
    PENDING.with(|p| p.set(Some(Pending { site, a, b, overflow: false, native: false })));
}

/// Records a stack overflow found by a function's entry check: the callee would be at depth
/// `depth` (the entry graph is at 0) with `words` interpreter registers in use; `native` is
/// non-zero if the native stack ran out instead.
pub extern "C" fn rpy_overflow(depth: i64, words: i64, native: i64) {
    PENDING.with(|p| {
        p.set(Some(Pending {
            site: NO_SITE,
            a: depth,
            b: words,
            overflow: true,
            native: native != 0,
        }))
    });
}

/// Called by a caller returning because its callee failed: names the call `site` if the
/// failure does not have a site yet.
pub extern "C" fn rpy_unwind(site: u64) {
    PENDING.with(|p| {
        if let Some(mut f) = p.get() {
            if f.site == NO_SITE {
                f.site = site;
                p.set(Some(f));
            }
        }
    });
}

/// Symbol names compiled code uses for the runtime functions.
pub mod names {
    /// [`super::rpy_fail`].
    pub const FAIL: &str = "rpy_rt.fail";
    /// [`super::rpy_overflow`].
    pub const OVERFLOW: &str = "rpy_rt.overflow";
    /// [`super::rpy_unwind`].
    pub const UNWIND: &str = "rpy_rt.unwind";
    /// `rpy_ir::gc::rpy_alloc_array`.
    pub const ALLOC_ARRAY: &str = "rpy_rt.alloc_array";
    /// libgc's `GC_malloc` (scanned, zeroed).
    pub const GC_MALLOC: &str = "rpy_rt.GC_malloc";

    /// The symbol of the extern called `name`.
    pub fn extern_symbol(name: &str) -> String {
        format!("rpy_extern.{name}")
    }
}

/// Every absolute symbol compiled code may need: the runtime functions and every extern.
pub fn symbols() -> Vec<(String, usize)> {
    let mut syms = vec![
        (names::FAIL.to_string(), rpy_fail as *const () as usize),
        (names::OVERFLOW.to_string(), rpy_overflow as *const () as usize),
        (names::UNWIND.to_string(), rpy_unwind as *const () as usize),
        (names::ALLOC_ARRAY.to_string(), rpy_ir::gc::rpy_alloc_array as *const () as usize),
        (names::GC_MALLOC.to_string(), rpy_ir::gc::GC_malloc as *const () as usize),
    ];
    for e in externs::all() {
        syms.push((names::extern_symbol(e.name), e.native as usize));
    }
    syms
}
