//! [`tiered_jit_owned`]: the tiered JIT of a program handed over rather than borrowed, held
//! once.
//!
//! [`tiered_jit`] borrows the program for the driver and translates a tiered copy of it, so
//! the process holds the interpreter twice from start-up on (mini-Python's: ~8 MB, and ~5 ms
//! of CPU to copy). With the merge point known from an earlier run (the cache's note), the
//! program is instead tiered in place and moved into the backend, and the driver makes its
//! own copy only when it first compiles (`timeshift`'s `JitDriver::untiering`): a run that
//! compiles nothing costs what translated mode's start-up does. Without a known merge point
//! (the first run of a binary, or no cache) the analysis needs the program at once, and
//! this is [`tiered_jit`] of the program kept for the process.

use backend_llvm::jit::JitBackend;
use backend_llvm::{CompileStats, LlvmConfig};
use rpy_ir::ir::Program as RpyProgram;
use timeshift::{JitConfig, JitDriver};

use super::{tiered_jit, TieredKeys, Tiers};

/// [`tiered_jit`] of `program` handed over: one copy of it until the first compilation.
pub fn tiered_jit_owned(
    program: RpyProgram,
    sources: &[(&str, &str)],
    portal: &str,
    greens: &[&str],
    jit: JitConfig,
    llvm: &LlvmConfig,
    tiers: Tiers,
) -> Result<(JitDriver<'static, JitBackend>, CompileStats), String> {
    let keys = TieredKeys::new(&program, sources, portal, greens, llvm);
    let Some(known) = keys.known_merge_point(&program) else {
        // Kept for the process: the driver borrows it.
        let program: &'static RpyProgram = Box::leak(Box::new(program));
        return tiered_jit(program, sources, portal, greens, jit, llvm, tiers);
    };
    let mut stats = CompileStats::default();
    let mp = known.clone();
    let driver = JitDriver::untiering(
        program,
        portal,
        greens,
        jit,
        known,
        tiers.shared_continuation,
        |made| {
            let key = keys.tiered_key(&made, &mp, tiers);
            let (backend, s) = keys.translate(made, key, llvm)?;
            stats = s;
            Ok(backend)
        },
    )
    .map_err(|d| format!("the JIT cannot be built:\n{d}"))?;
    Ok((driver, stats))
}
