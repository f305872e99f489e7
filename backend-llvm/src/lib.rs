//! backend-llvm: rpy-ir programs compiled to native code through LLVM 19 — the "translated"
//! execution mode, agreeing with the IR interpreter (llinterp) on results, output and runtime
//! errors. The only crate of the workspace that links LLVM (inkwell builds the IR; ORC LLJIT,
//! through llvm-sys, links and runs it).
//!
//! Map of the crate:
//! - [`translated`]: [`translate`] a [`rpy_ir::ir::Program`] into a [`Translated`] program and
//!   call its graphs with the run-time values ([`rpy_ir::runtime::RtValue`]) and errors.
//! - [`jit`]: the JIT's code generator ([`jit::JitBackend`], timeshift's `Backend`): residual
//!   graphs compiled into the translated interpreter's session, flexswitch sites wired to the
//!   JIT's hook, slots so recompiled code reaches its callers, tail calls.
//! - [`lower`]: rpy-ir graphs to LLVM IR: every op of the op table, the shared heap layout,
//!   checks, calls, block parameters as phis, entry wrappers, runtime state globals; the
//!   overflow ops through `llvm.s*.with.overflow` (`lower/overflow.rs`), allocation from the
//!   inline free lists (`lower/alloc.rs`), one copy of the flexswitch site code shared by a
//!   residual function's `jit_hook`s of the same LLVM signature (`lower/shared_sites.rs`),
//!   the JIT runtime's validity test and direct-call count in line (`lower/runtime_externs.rs`);
//!   a pointer's null check only where no dominating check of it was made, and in residual
//!   code the prebuilt objects as address constants.
//! - [`errors`]: failure sites and the runtime errors (llinterp's exact messages) they become.
//! - [`runtime`]: the Rust functions compiled code calls (failure reporting) and the absolute
//!   symbols of a session (runtime functions, externs, GC allocation).
//! - [`session`]: the ORC LLJIT session: absolute symbols, process symbols, object files,
//!   lookups, resource trackers (code freed on its own).
//! - [`flexswitch`]: the flexswitch runtime: switches whose cases are added while the code
//!   runs (a case table for warm-up, rewritten dispatchers once the cases settle), the code of
//!   a switch site, misses calling back into Rust.
//! - [`target`]: LLVM initialisation, the host target machine, optimisation levels (O2 is
//!   `default<O2>` plus non-trivial loop unswitching, [`target::O2_PIPELINE`]), object
//!   emission.
//! - [`predict`]: the start of a residual graph evaluated on run-time values, up to its first
//!   flexswitch: the JIT compiles the case that switch will need in the same batch.
//! - [`partition`]: which graphs of a large program get LLVM's optimiser (graphs with loops
//!   and what they reference, within a budget), the split of its module into a hot and a cold
//!   part, and packs of object files.
//! - [`perf_map`]: `/tmp/perf-<pid>.map` naming the translated functions for `perf`
//!   (`RPY_LLVM_LOG=perf-map`).
//! - [`prebuilt`]: prebuilt objects (string literals, module constants) in GC memory.
//! - [`stack`]: where translated code runs (a big-stack thread, or the caller's) and its stack
//!   limit.
//! - [`background`]: the compile thread (modules in as bitcode, object files out) the JIT's
//!   hot tier compiles on, and [`quiesce`], which programs call before they exit.
//! - [`cache`]: the object cache keyed by the program's IR, LLVM, host, level and lowering;
//!   notes beside its entries (the key found from the RPy sources, the JIT's merge point).
//! - [`config`]: the settings the environment gives ([`LlvmConfig::from_env`], read once by
//!   the binaries): logging, the cache directory, the JIT's thresholds.
//! - [`program_cache`]: what the RPy front end makes of a list of source files, kept in the
//!   cache directory in `rpy_ir::binary` form and loaded by later runs of the same binary.
//!
//! The binary `rpy-llvm` (`src/main.rs`) runs programs from the command line like `rpy-ir run`.

pub mod background;
pub mod cache;
pub mod config;
pub mod errors;
pub mod flexswitch;
pub mod jit;
pub mod lower;
pub mod partition;
pub mod perf_map;
pub mod prebuilt;
pub mod predict;
pub mod program_cache;
pub mod runtime;
pub mod session;
pub mod stack;
pub mod target;
pub mod translated;

pub use background::quiesce;
pub use config::{LlvmConfig, LlvmLog};
pub use target::{OptLevel, TargetCpu};
pub use translated::{
    llvm_ir, translate, translate_keyed, translate_shared, translate_with, CompileStats, GraphRef,
    Options, TranslateError, Translated,
};
