//! timeshift: the generating extension of the JIT generator.
//!
//! From the colours of the hint analysis, the codewriter turns every specialisation into
//! JitCode; the rainbow engine runs JitCode at compile time, with the portal's green arguments
//! known, and builds residual flow graphs — the interpreter specialised to one user program —
//! which a [`Backend`] compiles and runs. See DESIGN.md §6.
//!
//! Map of the crate:
//! - [`heap`]: compile-time reads of run-time objects that are immutable or deep-frozen.
//! - [`jitcode`]: JitCode (instructions over the graph's ops and blocks), the codewriter, its
//!   text form, liveness.
//! - [`state`]: the engine's state: red boxes, virtual objects, frames, the heap cache (what
//!   is known of real objects' fields, and the stores delayed until something may observe
//!   them; versions of merge points carry pending stores of virtual objects and what is
//!   known of the objects the state reaches, and forget the rest).
//! - [`merge`]: frozen states at merge points: shapes (constants, variables, virtual objects),
//!   matching and generalisation, the variables that hold one object.
//! - [`rainbow`]: the engine: green ops run now, red ops folded, virtualised or emitted, red
//!   splits, merge points with versions and generalisation, followed and residual calls,
//!   budgets.
//! - [`backend`]: the [`Backend`] trait and the IR-interpreter backend used by the tests.
//! - [`driver`]: the JIT driver: analysis and codewriting once, a cache of compiled code per
//!   green key, fallback to the interpreter when a compilation gives up, logging.
//! - [`fallback`]: continuations — interpreter graphs entered in the middle — through which a
//!   flexswitch case that cannot be compiled goes on in the interpreter.
//!
//! Flexswitch cases continue in entry graphs at the global merge point (shared by every
//! compilation), and a graph holding a flexswitch is compiled again with the values met there
//! inline, so loops through promotions close inside one graph.
//!
//! - [`tiering`]: the global merge point as a tiered interpreter's way into compiled code:
//!   finding it, the interpreter program that counts there (`jit_merge`), the entry state.
//!
//! The LLVM backend (backend-llvm's `jit` module) implements [`Backend`] too.

pub mod backend;
pub mod driver;
pub mod fallback;
pub mod heap;
pub mod jitcode;
pub mod merge;
pub mod rainbow;
pub mod state;
pub mod tiering;

pub use backend::{Backend, LlinterpBackend};
pub use driver::JitDriver;
pub use rainbow::{
    Budgets, Compiled, Compiler, Engine, EntryTable, GiveUp, Promoted, Shared, Snapshot, Stats,
};
