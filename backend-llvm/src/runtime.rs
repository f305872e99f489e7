//! The Rust side of compiled code: the runtime functions it calls (failure reporting, array
//! allocation) and the table of absolute symbols a session defines for them and the externs.
//!
//! The failure protocol (no unwinding through compiled frames, no setjmp/longjmp): every
//! function has one failure path, reached with `how`, a site (an index into the program's
//! [`crate::errors::SiteTable`]) and two dynamic values; it calls [`rpy_fail`], sets the
//! module's `failed` flag and returns a zero value. `how` is one of:
//! - [`HOW_CHECK`]: a check failed at the site (index and length, tag... in `a`, `b`);
//! - [`HOW_OVERFLOW`] / [`HOW_NATIVE_OVERFLOW`]: the function's entry check found the call too
//!   deep (depth and register total in `a`, `b`); the call site is not known there, so
//! - [`HOW_CALLEE`]: the caller, seeing the flag set after the call, names its call as the
//!   site if the failure has none yet, and fails in turn;
//! - [`HOW_JIT`]: a flexswitch miss failed; the JIT backend holds the error.
//!
//! The pending failure lives in a thread-local of the thread running the code, read back by
//! [`take_pending`] when the entry call returns.

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

/// `how`: a check failed at the site.
pub const HOW_CHECK: u64 = 0;
/// `how`: a callee failed; the site is the call.
pub const HOW_CALLEE: u64 = 1;
/// `how`: the entry check found the depth or register limit exceeded.
pub const HOW_OVERFLOW: u64 = 2;
/// `how`: the entry check found the native stack exhausted.
pub const HOW_NATIVE_OVERFLOW: u64 = 3;
/// `how`: a flexswitch miss failed in the JIT, which keeps the error itself (nothing to record).
pub const HOW_JIT: u64 = 4;

/// Records a failure (called by the failure path of compiled code; see the module
/// documentation for `how`).
pub extern "C" fn rpy_fail(how: u64, site: u64, a: i64, b: i64) {
    PENDING.with(|p| match how {
        HOW_CALLEE => {
            if let Some(mut f) = p.get() {
                if f.site == NO_SITE {
                    f.site = site;
                    p.set(Some(f));
                }
            }
        }
        HOW_JIT => {}
        HOW_OVERFLOW | HOW_NATIVE_OVERFLOW => p.set(Some(Pending {
            site: NO_SITE,
            a,
            b,
            overflow: true,
            native: how == HOW_NATIVE_OVERFLOW,
        })),
        _ => p.set(Some(Pending { site, a, b, overflow: false, native: false })),
    });
}

/// Symbol names compiled code uses for the runtime functions.
pub mod names {
    /// [`super::rpy_fail`].
    pub const FAIL: &str = "rpy_rt.fail";
    /// `rpy_ir::gc::rpy_alloc_array`.
    pub const ALLOC_ARRAY: &str = "rpy_rt.alloc_array";
    /// libgc's `GC_malloc` (scanned, zeroed).
    pub const GC_MALLOC: &str = "rpy_rt.GC_malloc";
    /// The refill of inline allocation's free lists (`rpy_refill`).
    pub const REFILL: &str = "rpy_rt.refill";
    /// `rpy_jit_merge` (asks the handler of [`super::with_merge_handler`]).
    pub const JIT_MERGE: &str = "rpy_rt.jit_merge";

    /// The symbol of the extern called `name`.
    pub fn extern_symbol(name: &str) -> String {
        format!("rpy_extern.{name}")
    }
}

/// Refills an empty free list of `size`-byte objects (`head`, a word of `rpy_rt.free`) from
/// `GC_malloc_many` and returns its first object, zeroed (null if out of memory).
extern "C" fn rpy_refill(size: i64, head: *mut *mut u8) -> *mut u8 {
    // SAFETY: compiled code runs on a registered thread; `head` is its free list's word; the
    // list's blocks are linked through their first word.
    unsafe {
        let first = rpy_ir::gc::GC_malloc_many(size as usize) as *mut *mut u8;
        if first.is_null() {
            return std::ptr::null_mut();
        }
        *head = *first;
        *first = std::ptr::null_mut();
        first as *mut u8
    }
}

/// Every absolute symbol compiled code may need: the runtime functions and every extern.
pub fn symbols() -> Vec<(String, usize)> {
    let mut syms = vec![
        (names::FAIL.to_string(), rpy_fail as *const () as usize),
        (names::ALLOC_ARRAY.to_string(), rpy_ir::gc::rpy_alloc_array as *const () as usize),
        (names::GC_MALLOC.to_string(), rpy_ir::gc::GC_malloc as *const () as usize),
        (names::REFILL.to_string(), rpy_refill as *const () as usize),
        (names::JIT_MERGE.to_string(), rpy_jit_merge as *const () as usize),
    ];
    for e in externs::all() {
        syms.push((names::extern_symbol(e.name), e.native as usize));
    }
    syms
}

/// What the JIT did at a `jit_merge` (see [`with_merge_handler`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// Go on interpreting; call again after this many visits of the key's counter.
    Declined {
        /// Visits before the next call.
        wait: i64,
    },
    /// The JIT ran the rest of the portal call: its result, as a word.
    Entered(u64),
    /// The JIT failed (it keeps the error).
    Failed,
}

/// The handler of `jit_merge` calls: the operands as words (the entry wrappers' encoding).
pub type MergeHandler<'h> = dyn Fn(&[u64]) -> MergeOutcome + 'h;

thread_local! {
    static MERGE: Cell<Option<*const MergeHandler<'static>>> = const { Cell::new(None) };
}

/// Runs `f` with `handler` answering the `jit_merge` calls of code running on this thread
/// (the previous handler is restored afterwards, on unwinding too). With no handler,
/// `jit_merge` declines for a long while (2^20 visits of the counter).
pub fn with_merge_handler<R>(handler: &MergeHandler<'_>, f: impl FnOnce() -> R) -> R {
    // SAFETY: only the lifetime is erased; the guard removes the pointer before the borrow of
    // `handler` ends (on unwinding too), and it is only called while installed.
    let erased: *const MergeHandler<'static> =
        unsafe { std::mem::transmute(handler as *const MergeHandler<'_>) };
    MERGE.with(|m| {
        let _installed = Installed::new(m, Some(erased));
        f()
    })
}

/// A value put in a cell for a scope: dropping the guard puts the previous value back, so
/// an unwinding panic restores it too. Handlers and hooks installed with their lifetime
/// erased rely on it.
pub(crate) struct Installed<'c, T: Copy> {
    cell: &'c Cell<T>,
    previous: T,
}

impl<'c, T: Copy> Installed<'c, T> {
    /// Puts `value` in `cell` until the guard is dropped.
    pub(crate) fn new(cell: &'c Cell<T>, value: T) -> Installed<'c, T> {
        Installed { cell, previous: cell.replace(value) }
    }
}

impl<T: Copy> Drop for Installed<'_, T> {
    fn drop(&mut self) {
        self.cell.set(self.previous);
    }
}

/// Zeroes [`CLEARED_STACK_BYTES`] of the stack below the caller's frame, where the merge
/// handler's frames just were. libgc scans stacks conservatively: guest pointers the
/// handler's frames left there (the merge point's reds: a frame, its locals) would otherwise
/// stay in stack words that later, deeper frames reserve but do not write, keeping dead guest
/// objects alive (sieve's `sum(... for f in sieve(n))` kept the previous 20 MB list live in
/// jit mode, not in translated mode). Once per handler call (every `wait` visits): cheap.
#[inline(never)]
fn clear_stack_below() {
    let mut zeros = [0u64; CLEARED_STACK_BYTES / 8];
    // SAFETY: a volatile write of a local array, so that the zeroing is not optimised out.
    unsafe { std::ptr::write_volatile(&mut zeros, [0u64; CLEARED_STACK_BYTES / 8]) };
    std::hint::black_box(&zeros);
}

/// How much of the stack [`clear_stack_below`] zeroes.
const CLEARED_STACK_BYTES: usize = 4 << 10;

/// `jit_merge`'s call once its counter runs out: asks the handler; 0: go on (the counter
/// reset), 1: entered (the result word in `*out`), 2: failed.
extern "C" fn rpy_jit_merge(counter: *mut i64, words: *const u64, n: u64, out: *mut u64) -> u64 {
    let Some(handler) = MERGE.with(|m| m.get()) else {
        // No JIT listening now: ask again much later (counters are shared by every program
        // the interpreter runs, so never is too long).
        // SAFETY: the code passes its counter.
        unsafe { *counter = 1 << 20 };
        return 0;
    };
    // SAFETY: the code passes n words; the handler is installed (see with_merge_handler).
    let (words, handler) = unsafe { (std::slice::from_raw_parts(words, n as usize), &*handler) };
    let outcome = handler(words);
    clear_stack_below();
    match outcome {
        MergeOutcome::Declined { wait } => {
            // SAFETY: as above.
            unsafe { *counter = wait.max(1) };
            0
        }
        MergeOutcome::Entered(w) => {
            // SAFETY: `out` is the module's result word; the next visit asks again at once
            // (a compiled key enters without waiting).
            unsafe {
                *out = w;
                *counter = 1;
            }
            1
        }
        MergeOutcome::Failed => 2,
    }
}
