//! Running mini-Python programs on the interpreter written in RPy (`src/interp/*.rpy`).
//!
//! The RPy sources are compiled once per process into one program
//! (`rpy_ir::front::compile_files`, each file keeping its name in diagnostics). A run
//! encodes the module's code objects ([`encode`]) into one string, calls the RPy entry
//! point `main(data) -> int` (the exit status) and, when asked, reads back what the guest
//! wrote to stderr (`stderr_text`); stdout goes through the RPy print externs (captured
//! with `rpy_ir::externs::capture_output_bytes` for tests). The machines are lang-tlc's
//! ([`lang_tlc::machine`]): the IR interpreter on the calling thread, the translated
//! interpreter on its worker thread, and the JIT ([`jit`]). [`repl`] keeps one machine for
//! an interactive session (the RPy entry point `repl_main`).

pub mod encode;
pub mod jit;
pub mod repl;

use std::sync::{Arc, OnceLock};

use backend_llvm::{LlvmConfig, Translated};
use lang_tlc::machine::{translate_interpreter, translate_interpreter_owned, Machine, Worker};
use rpy_ir::ir::{GraphIdx, Program as RpyProgram};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::heap::str_text;
use rpy_ir::runtime::{RtValue, RuntimeError, RuntimeErrorKind};
use timeshift::payoff::Payoff;
use timeshift::RunError;

pub use encode::RunInput;

/// The RPy files of the interpreter, by subject (each one's header says what it holds).
pub const SOURCES: &[(&str, &str)] = &[
    ("objects.rpy", include_str!("../interp/objects.rpy")),
    ("ints.rpy", include_str!("../interp/ints.rpy")),
    ("floats.rpy", include_str!("../interp/floats.rpy")),
    ("strs.rpy", include_str!("../interp/strs.rpy")),
    ("strmethods.rpy", include_str!("../interp/strmethods.rpy")),
    ("format.rpy", include_str!("../interp/format.rpy")),
    ("containers.rpy", include_str!("../interp/containers.rpy")),
    ("sets.rpy", include_str!("../interp/sets.rpy")),
    ("settable.rpy", include_str!("../interp/settable.rpy")),
    ("dictviews.rpy", include_str!("../interp/dictviews.rpy")),
    ("ranges.rpy", include_str!("../interp/ranges.rpy")),
    ("operations.rpy", include_str!("../interp/operations.rpy")),
    ("items.rpy", include_str!("../interp/items.rpy")),
    ("functions.rpy", include_str!("../interp/functions.rpy")),
    ("classes.rpy", include_str!("../interp/classes.rpy")),
    ("descriptors.rpy", include_str!("../interp/descriptors.rpy")),
    ("exceptions.rpy", include_str!("../interp/exceptions.rpy")),
    ("frame.rpy", include_str!("../interp/frame.rpy")),
    ("generators.rpy", include_str!("../interp/generators.rpy")),
    ("builtins.rpy", include_str!("../interp/builtins.rpy")),
    ("loader.rpy", include_str!("../interp/loader.rpy")),
    ("longs.rpy", include_str!("../interp/longs.rpy")),
    ("randommod.rpy", include_str!("../interp/randommod.rpy")),
    ("rpylib/random.rpy", crate::rpylib::RANDOM),
    ("rpylib/format.rpy", crate::rpylib::FORMAT),
    ("traceback_marks.rpy", include_str!("../interp/traceback_marks.rpy")),
    ("dunders.rpy", include_str!("../interp/dunders.rpy")),
    ("repl.rpy", include_str!("../interp/repl.rpy")),
    ("attrdel.rpy", include_str!("../interp/attrdel.rpy")),
    ("subclasses.rpy", include_str!("../interp/subclasses.rpy")),
    ("strformat.rpy", include_str!("../interp/strformat.rpy")),
    ("attrhooks.rpy", include_str!("../interp/attrhooks.rpy")),
    ("numbermethods.rpy", include_str!("../interp/numbermethods.rpy")),
    ("containermethods.rpy", include_str!("../interp/containermethods.rpy")),
    ("instantiation.rpy", include_str!("../interp/instantiation.rpy")),
    ("collectionsmod.rpy", include_str!("../interp/collectionsmod.rpy")),
    ("dequemod.rpy", include_str!("../interp/dequemod.rpy")),
    ("callfast.rpy", include_str!("../interp/callfast.rpy")),
    ("fastpaths.rpy", include_str!("../interp/fastpaths.rpy")),
    ("mro.rpy", include_str!("../interp/mro.rpy")),
    ("strchars.rpy", include_str!("../interp/strchars.rpy")),
    ("unicodetables.rpy", include_str!("../interp/unicodetables.rpy")),
    ("valuesubclasses.rpy", include_str!("../interp/valuesubclasses.rpy")),
    ("namedtuples.rpy", include_str!("../interp/namedtuples.rpy")),
    ("ordereddict.rpy", include_str!("../interp/ordereddict.rpy")),
    ("typecall.rpy", include_str!("../interp/typecall.rpy")),
    ("slicetype.rpy", include_str!("../interp/slicetype.rpy")),
    ("builtinsrest.rpy", include_str!("../interp/builtinsrest.rpy")),
    ("bytes.rpy", include_str!("../interp/bytes.rpy")),
    ("codecs.rpy", include_str!("../interp/codecs.rpy")),
    ("introspect.rpy", include_str!("../interp/introspect.rpy")),
    ("valueoverrides.rpy", include_str!("../interp/valueoverrides.rpy")),
];

/// Visits of a bytecode position that make jit mode compile from there, by default
/// (`--jit-hot` overrides it). A hundred times the framework's default
/// (`timeshift::config::DEFAULT_HOT_MERGES`, 1000): compiling a mini-Python loop costs 0.1 to
/// 3 s of CPU (LLVM), which no corpus program pays back (each runs in about 0.1 s
/// translated): at 1000, jit mode was up to 22× slower than translated on them
/// (`programs/tic_tac_toe_minimax.py`, `nbody_small.py`; 10 000 still left four such
/// programs). The payoff model ([`PAYOFF`]) now decides what is worth compiling; the
/// threshold also sets how often a merge point asks the driver (a hundredth of it).
pub const DEFAULT_JIT_HOT: u64 = 100_000;

/// How much compiling the work observed pays for in jit mode, by default
/// (`timeshift::payoff`; `RPY_JIT_PAYOFF` overrides it): no free ops, one residual op per
/// hundred million visits observed (below), and each entry compilation fitting in the credit left
/// (`Payoff::fit`: its size is settled before LLVM is paid). Compiling a residual op of
/// mini-Python costs about 0.4 to 1.5 ms of CPU (the engine, LLVM at O0 on the entry graph
/// and the continuations its guards need, the hot tier later), and the translated
/// interpreter makes a visit (one bytecode) in 12 to 20 ns: a compilation then costs at most
/// about 3 to 12% of the work observed before it (the run has gone on at least as long
/// again by the next one, as the room doubles), so a program is never much slower than in
/// translated mode, however soon it ends after compiling (issue 16). The framework's default
/// (300 free ops, 16 000 visits per op, overdrawing) was measured on TLC, whose residual ops
/// are cheaper to compile.
///
/// One op per *hundred* million visits (December 2026): once the object space's fast paths
/// were followed, the benchmark suite compiled graphs that ran slower than the translated
/// interpreter (error paths compiled with every instruction, frames written back around
/// calls, entry graphs left through fallbacks): at one op per million visits jit mode was 2-4x
/// slower than translated on spectral_norm, richards, sieve, generators and deltablue; at ten
/// million 1.0-1.8x; at a hundred million 0.93-1.0x (`scripts/bench_python.sh`). So today a
/// mini-Python program compiles only what a very long run pays for, and this comes down as
/// the residual code beats the interpreter (issue 18).
pub const PAYOFF: Payoff = Payoff { free_ops: 0, visits_per_op: 100_000_000, fit: true };

/// The settings the environment asks for (`lang_tlc::Settings::from_env`), with mini-Python's
/// payoff model ([`PAYOFF`]) unless `RPY_JIT_PAYOFF` names one.
pub fn settings_from_env() -> lang_tlc::Settings {
    let mut settings = lang_tlc::Settings::from_env();
    if std::env::var_os("RPY_JIT_PAYOFF").is_none() {
        settings.jit.payoff = PAYOFF;
    }
    settings
}

/// How a program is executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The IR interpreter runs the interpreter's flow graphs (the semantic reference).
    Llinterp,
    /// The interpreter translated to native code by backend-llvm.
    Translated,
    /// The translated interpreter with the generated JIT.
    Jit,
}

impl Mode {
    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Llinterp => "llinterp",
            Mode::Translated => "translated",
            Mode::Jit => "jit",
        }
    }

    /// The mode called `name`, if any.
    pub fn from_name(name: &str) -> Option<Mode> {
        [Mode::Llinterp, Mode::Translated, Mode::Jit].into_iter().find(|m| m.name() == name)
    }
}

/// What a run did: its exit status and, when captured, its stdout and stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The process exit status CPython would have.
    pub status: i32,
    /// Stdout (empty unless captured).
    pub stdout: Vec<u8>,
    /// Stderr (empty unless captured).
    pub stderr: String,
}

/// The entry points of the RPy interpreter.
#[derive(Clone, Copy, Debug)]
struct Entries {
    main: GraphIdx,
    stderr_text: GraphIdx,
}

/// The mini-Python interpreter compiled from its RPy sources, translated on first use of
/// translated mode.
pub struct Interpreter {
    /// Shared with the translated and JIT workers rather than copied for each.
    program: Arc<RpyProgram>,
    entries: Entries,
    translated: OnceLock<Result<Worker<Translated>, String>>,
    jit: OnceLock<Result<Worker<jit::PyJitMachine>, String>>,
    jit_hot: u64,
    settings: lang_tlc::Settings,
}

impl std::fmt::Debug for Interpreter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interpreter").field("entries", &self.entries).finish()
    }
}

/// The message of a run the RPy interpreter itself could not finish.
fn rpy_failure(e: &RunError, m: &dyn Machine) -> String {
    match e {
        RunError::Program(RuntimeError { kind: RuntimeErrorKind::StackOverflow, .. }) => {
            "RecursionError: maximum recursion depth exceeded (the interpreter's stack)".into()
        }
        _ => format!("internal error: {}", e.render(m.sources())),
    }
}

/// Runs `main` and reads stderr back, on any machine.
fn session<M: Machine>(
    m: &mut M,
    entries: Entries,
    data: &[u8],
    capture: bool,
) -> Result<Outcome, String> {
    let run = |m: &mut M| -> Result<(i32, String), String> {
        let input = m.alloc_str(data);
        let status = match m.call(entries.main, &[input]) {
            Ok(RtValue::Int(s)) => s as i32,
            Ok(other) => return Err(format!("internal error: main returned {other:?}")),
            Err(e) => return Err(rpy_failure(&e, m)),
        };
        let stderr = if capture {
            match m.call(entries.stderr_text, &[]) {
                Ok(v) => str_text(v).unwrap_or_default(),
                Err(e) => return Err(rpy_failure(&e, m)),
            }
        } else {
            String::new()
        };
        Ok((status, stderr))
    };
    if capture {
        let (r, stdout) = rpy_ir::externs::capture_output_bytes(|| run(m));
        let (status, stderr) = r?;
        Ok(Outcome { status, stdout, stderr })
    } else {
        let r = run(m);
        rpy_ir::externs::flush_output();
        let (status, stderr) = r?;
        Ok(Outcome { status, stdout: Vec::new(), stderr })
    }
}

impl Interpreter {
    /// Compiles the RPy sources; the error is the rendered diagnostics.
    pub fn compile() -> Result<Interpreter, String> {
        Interpreter::of_program(rpy_ir::front::compile_files(SOURCES).map_err(|d| d.to_string())?)
    }

    /// The interpreter with `settings`, its program loaded from the cache directory they name
    /// when a run of this binary kept it there (`backend_llvm::program_cache`), else compiled
    /// from the RPy sources (and kept): an empty program's start-up is then mostly the
    /// translated interpreter's load, not the front end.
    pub fn load(settings: lang_tlc::Settings) -> Result<Interpreter, String> {
        let dir = settings.llvm.cache_dir.as_deref();
        let program =
            backend_llvm::program_cache::compile_files(dir, SOURCES).map_err(|d| d.to_string())?;
        Ok(Interpreter::of_program(program)?.with_settings(settings))
    }

    fn of_program(program: RpyProgram) -> Result<Interpreter, String> {
        let graph = |name: &str| {
            program
                .graph_by_name(name)
                .ok_or_else(|| format!("the interpreter has no function '{name}'"))
        };
        let entries = Entries { main: graph("main")?, stderr_text: graph("stderr_text")? };
        Ok(Interpreter {
            program: Arc::new(program),
            entries,
            translated: OnceLock::new(),
            jit: OnceLock::new(),
            jit_hot: DEFAULT_JIT_HOT,
            settings: lang_tlc::Settings::default(),
        })
    }

    /// The interpreter compiled once per process, with the environment's settings.
    pub fn get() -> &'static Interpreter {
        static INTERP: OnceLock<Interpreter> = OnceLock::new();
        INTERP.get_or_init(|| {
            Interpreter::load(settings_from_env())
                .unwrap_or_else(|e| panic!("the mini-Python interpreter does not compile:\n{e}"))
        })
    }

    /// This interpreter with `settings` (before its translated or JIT mode first runs).
    pub fn with_settings(self, settings: lang_tlc::Settings) -> Interpreter {
        Interpreter { settings, ..self }
    }

    /// Sets how many visits of a bytecode position make JIT mode compile from there (1:
    /// at once, and with the framework's payoff model, `Payoff::default()`, whose first
    /// compilations may pass the credit: the first loop a program runs is compiled whatever
    /// it costs; `RPY_JIT_PAYOFF=off` compiles everything, as `tests/jit_hot.rs` does), for
    /// JIT runs started after this call on an interpreter whose JIT has not started yet.
    pub fn set_jit_hot(&mut self, visits: u64) {
        self.jit_hot = visits.max(1);
    }

    /// The compiled RPy program.
    pub fn rpy_program(&self) -> &RpyProgram {
        &self.program
    }

    fn worker(&self) -> Result<&Worker<Translated>, String> {
        let w = self.translated.get_or_init(|| {
            let program = Arc::clone(&self.program);
            translated_worker(&self.settings.llvm, move |llvm| {
                translate_interpreter(&program, SOURCES, llvm)
            })
        });
        w.as_ref().map_err(|e| e.clone())
    }

    fn jit_worker(&self) -> Result<&Worker<jit::PyJitMachine>, String> {
        let w = self
            .jit
            .get_or_init(|| self.jit_worker_of(jit::JitProgram::Shared(Arc::clone(&self.program))));
        w.as_ref().map_err(|e| e.clone())
    }

    /// The worker thread of jit mode, its machine made from `program`.
    fn jit_worker_of(&self, program: jit::JitProgram) -> Result<Worker<jit::PyJitMachine>, String> {
        let mut settings = self.settings.clone();
        settings.jit.hot_merges = self.jit_hot;
        if self.jit_hot == 1 && settings.jit.payoff == PAYOFF {
            settings.jit.payoff = Payoff::default();
        }
        Worker::start("mini-python-jit", move || jit::PyJitMachine::new(program, settings))
    }

    /// Runs a program in `mode`. With `input.capture_stderr`, stdout and stderr are
    /// returned in the outcome; otherwise they are written as the program runs. The error
    /// is a failure of the interpreter itself (never the guest program's).
    pub fn run(&self, input: &RunInput, mode: Mode) -> Result<Outcome, String> {
        let data = encode::encode(input)?;
        let capture = input.capture_stderr;
        let entries = self.entries;
        match mode {
            Mode::Llinterp => {
                let mut interp = Interp::new(&self.program);
                session(&mut interp, entries, &data, capture)
            }
            Mode::Translated => self
                .worker()?
                .run(move |t| session(t, entries, &data, capture))
                .map_err(|e| e.to_string())?,
            Mode::Jit => self
                .jit_worker()?
                .run(move |m| session(m, entries, &data, capture))
                .map_err(|e| e.to_string())?,
        }
    }

    /// [`run`](Self::run) for a process that runs one program and ends (the CLI). In
    /// translated mode the RPy program moves to the translated interpreter instead of being
    /// copied for it, so the process holds one copy (~8 MB less peak RSS); in jit mode it
    /// moves to the JIT machine, tiered in place, and the driver's copy is made only if it
    /// compiles (`lang_tlc::machine::tiered_jit_owned`: ~9 MB and ~14 ms less); the interpreter
    /// is then left without its program, and is forgotten rather than freed (freeing it
    /// object by object cost ~13 M instructions, 7% of an empty run; its workers stay idle
    /// rather than tear their machines down beside the exit).
    pub fn run_once(mut self, input: &RunInput, mode: Mode) -> Result<Outcome, String> {
        if mode == Mode::Translated && self.translated.get().is_none() {
            if let Some(program) = Arc::get_mut(&mut self.program) {
                let program = std::mem::take(program);
                let worker = translated_worker(&self.settings.llvm, move |llvm| {
                    translate_interpreter_owned(program, SOURCES, llvm)
                });
                let _ = self.translated.set(worker);
            }
        }
        if mode == Mode::Jit && self.jit.get().is_none() {
            if let Some(program) = Arc::get_mut(&mut self.program) {
                let program = std::mem::take(program);
                let worker = self.jit_worker_of(jit::JitProgram::Owned(Box::new(program)));
                let _ = self.jit.set(worker);
            }
        }
        let result = self.run(input, mode);
        std::mem::forget(self);
        result
    }
}

/// The worker thread of the translated interpreter, which `translate` makes there.
fn translated_worker(
    llvm: &LlvmConfig,
    translate: impl FnOnce(&LlvmConfig) -> Result<Translated, String> + Send + 'static,
) -> Result<Worker<Translated>, String> {
    let llvm = llvm.clone();
    Worker::start("mini-python-translated", move || {
        let t = translate(&llvm)?;
        let stats = t.stats().clone();
        Ok((t, stats))
    })
}
