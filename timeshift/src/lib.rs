//! timeshift: the generating extension of the JIT generator.
//!
//! From the colours of the hint analysis, the codewriter turns every specialisation into
//! JitCode; the rainbow engine runs JitCode at compile time, with the portal's green arguments
//! known, and builds residual flow graphs — the interpreter specialised to one user program —
//! which a [`Backend`] compiles and runs. See DESIGN.md §6.
//!
//! Map of the crate:
//! - [`jitcode`]: JitCode (instructions over the graph's ops and blocks), the codewriter
//!   (`write`, `write_all`), its text form, liveness.
//! - [`state`]: the engine's state: red boxes, virtual objects, frames, and the heap cache —
//!   what is known of real objects' fields and items, and its dirty entries (stores delayed
//!   until something may observe them).
//! - [`merge`]: frozen states ([`merge::Frozen`]) at merge points and flexswitches: shapes
//!   (constants, variables, virtual objects), matching, generalisation, rebuilding a state from
//!   a shape, the variables that hold one object. Pure functions over states.
//! - [`rainbow`]: the engine ([`Compiler`], run on an [`Engine`]): its modules are the
//!   instruction loop and block exits (`run`), green and red ops and folding (`ops`), virtual
//!   objects and forcing (`virtuals`), followed and residual calls and entry graphs (`calls`),
//!   residual calls of the portal made direct calls of compiled code (`portal_calls`),
//!   or continued into the callee's code at compile time (`portal_inline`: guest calls
//!   inlined, their frames virtual),
//!   promotion, flexswitches and their snapshots (`promote`), cold branches (an overflow
//!   test, the exception test after a call) as guards on their warm side (`cold`), the heap cache at work
//!   (`heap_cache`: dirty entries flushed or carried), merge points with versions and
//!   generalisation (`merge_point`), the calls the JIT hints change — `@elidable` calls run
//!   at compile time or emitted once per argument list, calls through green function
//!   pointers (`elidable`) — and quasi-immutable fields read as constants under a token,
//!   with the validity checks that fall back to the interpreter (`quasi`); large
//!   compilations cut at the global merge point, the rest compiled when reached (`split`);
//!   [`Budgets`] bound each compilation; virtualizable frames kept in registers (`virtualizable`); [`CompileServices`] is what the driver provides them (continuations,
//!   prebuilt objects' addresses, compiled code at the merge point).
//! - [`heap`]: compile-time reads of run-time objects that are immutable or deep-frozen.
//! - [`backend`]: the [`Backend`] trait and the IR-interpreter backend used by the tests.
//! - [`error`]: errors across the JIT boundary: the backend's, the JIT's, and a run's (the
//!   program's run-time error or the JIT's), kept apart.
//! - [`config`]: the driver's settings (thresholds, budgets, logging), read once at the edge.
//! - [`driver`]: the JIT driver: analysis and codewriting once (at construction, or at the
//!   first compilation when the merge point is known: `JitDriver::with_merge_point`,
//!   `driver/codes.rs`), a cache of compiled code per
//!   green key, fallback to the interpreter when a compilation gives up, logging (the `cost`
//!   stage: one line per compilation, `driver/cost.rs`); code whose
//!   quasi-immutable token was invalidated is not entered again but compiled again when hot;
//!   graphs compiled again in place with the promoted values met inline (`driver/recompile.rs`);
//!   flexswitch fallbacks and the continuations they end in, compiled once (`driver/fallbacks.rs`);
//!   a driver over a tiered backend whose program was tiered in place, its own program made
//!   again from the backend's at the first compilation (`JitDriver::untiering`,
//!   `driver/analysed.rs`).
//! - [`bounds`]: the compile work of a run beyond each compilation's budgets: which values a
//!   promotion site gives a case (first ones, then those that repeat), the run's op budget.
//! - [`payoff`]: the payoff model: compiling deferred while the run's compile work exceeds
//!   what the work observed (merge point visits, entries, misses) pays for; entry
//!   compilations run with their op budget cut to the credit left (`driver/room.rs`).
//! - [`fallback`]: continuations — interpreter graphs entered in the middle — through which a
//!   flexswitch case that cannot be compiled goes on in the interpreter.
//! - [`resume`]: the portal frame's fallback continuation holds the rest of one instruction
//!   and shares one copy of the interpreter loop (translated with the interpreter when the
//!   language asks for it: `tiering::tiered_with_shared_continuation`); optionally it asks
//!   the JIT at the global merge point, where compiled code takes over again (the driver's
//!   trampoline, `driver/resume.rs`).
//! - [`tiering`]: the global merge point as a tiered interpreter's way into compiled code:
//!   finding it, the interpreter program that counts there (`jit_merge`), the entry state,
//!   its text (kept beside the translated interpreter so start-up skips the analysis).
//!
//! Flexswitch cases continue in entry graphs at the global merge point (shared by every
//! compilation), and a graph holding a flexswitch is compiled again with the values met there
//! inline, so loops through promotions close inside one graph.
//!
//! The LLVM backend (backend-llvm's `jit` module) implements [`Backend`] too.

pub mod backend;
pub mod bounds;
pub mod config;
pub mod driver;
pub mod error;
pub mod fallback;
pub mod heap;
pub mod jitcode;
pub mod merge;
pub mod payoff;
pub mod rainbow;
pub mod resume;
pub mod state;
pub mod tiering;

pub use backend::{Backend, LlinterpBackend, SwitchCase};
pub use config::JitConfig;
pub use driver::JitDriver;
pub use error::{BackendError, JitError, RunError, RunResult};
pub use rainbow::{
    Budgets, CompileServices, Compiled, Compiler, Engine, EntryTable, GiveUp, Promoted, Shared,
    Snapshot, Stats,
};
