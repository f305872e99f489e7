//! JIT mode: the generated JIT over the interpreter's portal `eval_frame` (greens `code`
//! and, through hints, `pc`), with backend-llvm's `JitBackend` over the interpreter
//! translated in its tiered form (`timeshift::tiering`: `jit_merge` at the top of the
//! dispatch loop).
//!
//! A run calls `main` in the translated interpreter with the merge points answered by the
//! driver (`JitBackend::with_merge_entry`): every guest frame, at any depth, counts visits
//! of its (code, pc) keys and enters compiled code once a key is hot
//! (`JitConfig::hot_merges`, `--jit-hot`). Short programs therefore run as translated
//! mode does and pay for compilation only where they loop.

use backend_llvm::jit::JitBackend;
use backend_llvm::CompileStats;
use std::sync::Arc;

use lang_tlc::machine::{tiered_jit, tiered_jit_owned, Machine, Tiers};
use rpy_ir::ir::{GraphIdx, Program as RpyProgram};
use rpy_ir::runtime::heap::new_str_latin1;
use rpy_ir::runtime::RtValue;
use rpy_ir::span::SourceMap;
use timeshift::{Backend, JitDriver, RunError};

/// The portal: the bytecode loop of one guest frame.
pub const PORTAL: &str = "eval_frame";
/// Its green arguments.
pub const GREENS: &[&str] = &["code"];

/// The RPy program a JIT machine is made from.
pub enum JitProgram {
    /// Shared with the host, which may run other modes: the driver borrows it (kept for the
    /// process) and the tiered interpreter is translated from a copy.
    Shared(Arc<RpyProgram>),
    /// Handed over (a process that runs one program in jit mode): tiered in place, the
    /// driver's copy made only at the first compilation (`lang_tlc::machine::tiered_jit_owned`).
    Owned(Box<RpyProgram>),
}

/// The JIT on LLVM over the tiered translated interpreter.
pub struct PyJitMachine {
    driver: JitDriver<'static, JitBackend>,
    portal: GraphIdx,
}

impl PyJitMachine {
    /// Analyses the interpreter from its portal and translates its tiered form; returns
    /// what the translation cost.
    pub fn new(
        program: JitProgram,
        settings: lang_tlc::Settings,
    ) -> Result<(PyJitMachine, CompileStats), String> {
        let interval = settings.jit.merge_interval();
        // The shared continuation translated with the interpreter (and cached with it): a
        // run's first fallback then calls that copy rather than compiling ~600 residual ops
        // of the interpreter loop (0.15-0.45 s of LLVM per run).
        let tiers =
            Tiers { shared_continuation: settings.jit.resume || settings.jit.resume_deferred };
        let (jit, llvm, sources) = (settings.jit.clone(), &settings.llvm, super::SOURCES);
        let (driver, stats) = match program {
            JitProgram::Shared(program) => {
                // The driver borrows the program for as long as the thread lives.
                let program: &'static RpyProgram = Box::leak(Box::new(program));
                tiered_jit(program, sources, PORTAL, GREENS, jit, llvm, tiers)?
            }
            JitProgram::Owned(program) => {
                tiered_jit_owned(*program, sources, PORTAL, GREENS, jit, llvm, tiers)?
            }
        };
        driver.backend().set_merge_interval(interval);
        // The tiered program's graphs have the original's indices.
        let portal = driver
            .backend()
            .translated()
            .program()
            .graph_by_name(PORTAL)
            .ok_or_else(|| format!("the interpreter has no '{PORTAL}'"))?;
        Ok((PyJitMachine { driver, portal }, stats))
    }
}

impl Machine for PyJitMachine {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        let backend = self.driver.backend();
        let Some(mp) = self.driver.merge_point() else {
            return backend.call_interpreter(g, args);
        };
        let types: Vec<_> = mp.greens.iter().chain(&mp.reds).map(|(_, t)| *t).collect();
        let ret = backend.translated().program().graphs[self.portal].ret;
        let entry =
            |values: &[RtValue], visits: u64| self.driver.enter_at_merge_point(values, visits);
        // Keys the driver entered are entered by the backend itself at the next visits (a
        // guest function's first merge point at each call: no trip through the driver).
        let hook = self.driver.miss_hook();
        backend.with_merge_entry_direct(&types, ret, &entry, &hook, || {
            backend.call_interpreter(g, args)
        })
    }

    /// Not pinned: held in the session's locals on the worker (a registered thread) until
    /// `main` takes it as a rooted argument (as lang-tlc's machines do).
    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        new_str_latin1(bytes)
    }

    fn sources(&self) -> &SourceMap {
        &self.driver.backend().translated().program().sources
    }
}
