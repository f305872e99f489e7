//! The driver's JitCode: the hint analysis and the codewriter, run at construction or, for a
//! driver made with a known merge point ([`JitDriver::with_merge_point`]), at the first
//! compilation, checked then against that merge point.

use super::JitDriver;
use crate::backend::Backend;
use crate::config::JitConfig;
use crate::jitcode::{jitcode_text, write_all, JitCodes};
use crate::rainbow::GiveUp;
use crate::tiering::MergePoint;
use hintanalysis::{analyse, Policy};
use rpy_ir::ir::Program;
use rpy_ir::span::Diagnostics;
use std::time::Instant;

/// The hint analysis of `program` under `policy` and its JitCode (logged as `config` asks).
pub(super) fn analyse_and_write(
    program: &Program,
    policy: &Policy,
    config: &JitConfig,
) -> Result<JitCodes, Diagnostics> {
    let analysis = analyse(program, policy)?;
    if config.log.wants("colours") {
        eprint!("{}", hintanalysis::dump::colours_text(&analysis));
    }
    let codes = write_all(&analysis);
    if config.log.wants("jitcode") {
        for code in codes.codes.values() {
            eprint!("{}", jitcode_text(program, code));
        }
    }
    Ok(codes)
}

impl<B: Backend> JitDriver<'_, B> {
    /// The JitCode of the program, written at the first call if the driver was made with a
    /// known merge point ([`JitDriver::with_merge_point`]); `None` if that analysis failed or
    /// did not find the known merge point (logged once).
    pub(super) fn codes(&self) -> Option<&JitCodes> {
        self.codes
            .get_or_init(|| {
                let t0 = Instant::now();
                let codes = match analyse_and_write(self.program(), &self.policy, &self.config) {
                    Ok(codes) => codes,
                    Err(d) => {
                        eprintln!("jit: the JIT is off, its analysis failed:\n{d}");
                        return None;
                    }
                };
                if MergePoint::find(self.program(), &codes) != self.merge_point {
                    eprintln!(
                        "jit: the JIT is off: the merge point it was built with is not the \
                         analysis's (a stale note in the translation cache?)"
                    );
                    return None;
                }
                if self.wants("cost") {
                    eprintln!(
                        "jit analysis (at the first compilation): {:.2} ms",
                        t0.elapsed().as_secs_f64() * 1e3
                    );
                }
                Some(codes)
            })
            .as_ref()
    }

    /// [`JitDriver::codes`], or why nothing can be compiled.
    pub(super) fn written_codes(&self) -> Result<&JitCodes, GiveUp> {
        self.codes().ok_or_else(|| GiveUp::Unsupported("the JIT is off (no JitCode)".into()))
    }
}
