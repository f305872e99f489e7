//! Portal calls made directly from compiled code to compiled code (PyPy's `call_assembler`),
//! counted while they run.
//!
//! Vocabulary and invariants:
//! - A *direct portal call* is residual code calling the compiled code of the merge point its
//!   callee's portal call reaches, without going through the interpreter and the JIT driver
//!   (`timeshift`'s `rainbow/portal_calls.rs`). The code brackets the call with the extern
//!   [`DIRECT_CALLS`]`(+1)` before and `(-1)` after, so [`active`] says whether one is running.
//! - The JIT driver asks [`active`] before letting a fallback's continuation *resume*
//!   compiled code (`timeshift`'s `resume.rs`): a resume makes the continuation return a
//!   dummy value to a trampoline of the driver, which only the driver's own calls of compiled
//!   code have; under a direct call the continuation's result goes back to compiled code, so
//!   it must go on interpreting to the end of the portal call instead.
//! - Process-wide, as compiled code has no context argument; compiled code runs on one
//!   thread at a time (the compile thread never runs it).

use std::sync::atomic::{AtomicI64, Ordering};

/// The extern compiled code calls around a direct portal call: `jit_direct_calls(delta)`
/// ([`add`]).
pub const DIRECT_CALLS: &str = "jit_direct_calls";

static RUNNING: AtomicI64 = AtomicI64::new(0);

/// Adds `delta` (+1 entering a direct portal call, -1 leaving it) to the running count.
/// A load and a store, not an atomic read-modify-write: only the thread running compiled code
/// changes the count (one at a time, see the module header), and a locked add per direct call
/// was ~10% of fib's run time.
pub fn add(delta: i64) {
    RUNNING.store(RUNNING.load(Ordering::Relaxed) + delta, Ordering::Relaxed);
}

/// The address of the running count (an `i64`, never moved): compiled code may do [`add`]'s
/// relaxed load and store itself instead of calling [`DIRECT_CALLS`].
pub fn count_address() -> u64 {
    RUNNING.as_ptr() as u64
}

/// Whether a direct portal call is running.
pub fn active() -> bool {
    RUNNING.load(Ordering::Relaxed) > 0
}

/// Forgets the count (a run that failed inside a direct call left it raised).
pub fn reset() {
    RUNNING.store(0, Ordering::Relaxed);
}
