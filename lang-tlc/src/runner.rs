//! Running TLC programs on the TLC interpreter written in RPy (`tlc.rpy`).
//!
//! The interpreter source is compiled once per process ([`Interpreter::get`]). A run builds
//! the program's inputs as RPy heap objects, calls the RPy entry point `run(code, pool_data,
//! inputarg)` and turns its result into the printed text (TLC.md "In this project") or a
//! [`TlcError`]. Every execution mode runs the same session (`Session`) through a
//! `Machine`: the IR interpreter (`llinterp`, on the calling thread); the program
//! translated to native code by backend-llvm (`translated`: translated once per interpreter,
//! with the object cache so that later processes only load the compiled code, and run on the
//! interpreter's own thread, `Worker`); the JIT on LLVM (`jit`, its own worker: the JIT
//! driver over `interp_eval` with greens `code`, `pc`, `pool`, a backend-llvm `JitBackend`
//! over the interpreter translated in its tiered form — `jit_merge` at the dispatch loop —
//! and `LlvmJitMachine`: a first run of a program is the translated interpreter entering
//! compiled code at hot bytecode positions, a program run again is compiled as a whole); and
//! the JIT on the IR-interpreter backend (`jit-llinterp`, the JIT core's test backend).
//!
//! Conventions shared with `tlc.rpy` (its header states them from the RPy side):
//! - Names (attributes, methods, pool strings) are interned to ids `0..n` here; RPy compares
//!   ids, and the printer maps them back through [`NameTable`].
//! - The pool is passed flat (`load_pool` in `tlc.rpy`): `[nstrings, ids.., ndescrs, per
//!   descriptor: nattrs, ids.., nmethods, (id, pc)..]`, as a string of little-endian 64-bit
//!   words ([`pool_words`]), so the inputs of a run are two strings and an int in every mode.
//!   RPy builds the classes, one per structurally-equal descriptor.
//! - A `None` result means a TLC error; `error_kind`, `error_message`, `error_name` and
//!   `error_opcode` describe it.
//! - The printer reads the result through small RPy accessors (`obj_kind`, `cons_car`, ...)
//!   rather than through the heap layout, so it works the same in every execution mode.
//!
//! GC: results are held in Rust locals between calls, on a thread registered with the
//! collector (llinterp registers the caller; the worker registers itself), and everything the
//! printer reaches is reachable from them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use backend_llvm::TargetCpu;
use backend_llvm::Translated;
use backend_llvm::{CompileStats, LlvmConfig, OptLevel};
use rpy_ir::ir::{GraphIdx, Program as RpyProgram};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::heap::str_text;
use rpy_ir::runtime::{RtValue, RuntimeError, RuntimeErrorKind};
use rpy_ir::span::SourceMap;
use timeshift::{JitConfig, RunError};

use crate::machine::{translate_interpreter, Inputs, JitMachine, LlvmJitMachine, Machine, Worker};
use crate::printer::{self, ObjReader, ObjView};
use crate::program::Program;

/// The RPy source of the TLC interpreter.
pub const TLC_RPY: &str = include_str!("tlc.rpy");

/// How a TLC program is executed (TLC.md "Execution modes").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The IR interpreter runs the TLC interpreter's flow graphs.
    Llinterp,
    /// The TLC interpreter translated to native code by backend-llvm, without JIT.
    Translated,
    /// The translated interpreter plus the generated JIT.
    Jit,
    /// The generated JIT with the IR-interpreter backend: residual code and everything not
    /// compiled run in the IR interpreter (the JIT core's test backend, no LLVM).
    JitLlinterp,
}

impl Mode {
    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Llinterp => "llinterp",
            Mode::Translated => "translated",
            Mode::Jit => "jit",
            Mode::JitLlinterp => "jit-llinterp",
        }
    }

    /// The mode called `name` on the command line, if any.
    pub fn from_name(name: &str) -> Option<Mode> {
        [Mode::Llinterp, Mode::Translated, Mode::Jit, Mode::JitLlinterp]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// The kinds of TLC errors (TLC.md "In this project").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An operation on the wrong kind of object.
    TypeError,
    /// Stack underflow, a bad stack, argument or pool index, a list index out of range.
    IndexError,
    /// An unknown attribute or method name.
    KeyError,
    /// Integer division by zero.
    ZeroDivisionError,
    /// An unknown opcode, or a recursion deeper than `MAX_FRAMES` (100 000) frames of `CALL`
    /// and `SEND` ("maximum recursion depth exceeded", as Python 2 raised it; Python 3's
    /// RecursionError is a RuntimeError too): `tlc.rpy` checks the depth, and an RPy stack
    /// overflow is reported the same way, so that no program exhausts memory or the stack.
    RuntimeError,
    /// Not a TLC error: the RPy interpreter itself failed (a bug in `tlc.rpy`, or it ran out
    /// of memory), it could not be translated, or the mode is not available.
    Internal,
}

impl ErrorKind {
    /// The kind as printed (`error: KIND: message`) and as named in `cases.txt`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TypeError => "TypeError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::ZeroDivisionError => "ZeroDivisionError",
            ErrorKind::RuntimeError => "RuntimeError",
            ErrorKind::Internal => "InternalError",
        }
    }

    fn from_name(name: &str) -> Option<ErrorKind> {
        use ErrorKind::*;
        [TypeError, IndexError, KeyError, ZeroDivisionError, RuntimeError]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

/// A failed TLC run: the error kind and a one-line message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.name())]
pub struct TlcError {
    /// What kind of error.
    pub kind: ErrorKind,
    /// What went wrong.
    pub message: String,
}

impl TlcError {
    pub(crate) fn internal(message: impl Into<String>) -> TlcError {
        TlcError { kind: ErrorKind::Internal, message: message.into() }
    }
}

/// A run through a fresh JIT ([`Interpreter::residual_code`]): its outcome and the code the
/// JIT compiled for it.
#[derive(Clone, Debug)]
pub struct ResidualRun {
    /// The printed result, or the error the program failed with.
    pub result: Result<String, TlcError>,
    /// Every residual graph as rpy-ir text, with the LLVM IR of those holding a loop.
    pub code: String,
}

/// Attribute, method and pool-string names interned to the ids the RPy interpreter compares.
#[derive(Debug, Default)]
pub struct NameTable {
    names: Vec<String>,
    ids: HashMap<String, i64>,
}

impl NameTable {
    /// The id of `name`, interning it on first use.
    pub fn intern(&mut self, name: &str) -> i64 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as i64;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The name with id `id`.
    pub fn name(&self, id: i64) -> &str {
        usize::try_from(id).ok().and_then(|i| self.names.get(i)).map_or("?", |s| s.as_str())
    }
}

/// The flat pool encoding read by `load_pool` in `tlc.rpy`, interning names into `names`.
pub fn encode_pool(program: &Program, names: &mut NameTable) -> Vec<i64> {
    let pool = &program.pool;
    let mut data = vec![pool.strings.len() as i64];
    data.extend(pool.strings.iter().map(|s| names.intern(s)));
    data.push(pool.classdescrs.len() as i64);
    for d in &pool.classdescrs {
        data.push(d.attributes.len() as i64);
        data.extend(d.attributes.iter().map(|a| names.intern(a)));
        data.push(d.methods.len() as i64);
        for (m, pc) in &d.methods {
            data.push(names.intern(m));
            data.push(*pc);
        }
    }
    data
}

/// `words` as the string `decode_words` in `tlc.rpy` reads: 8 little-endian bytes each.
pub fn pool_words(words: &[i64]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// The entry points and accessors of `tlc.rpy` the runner calls.
#[derive(Clone, Debug)]
struct Entries {
    run: GraphIdx,
    error_kind: GraphIdx,
    error_message: GraphIdx,
    error_name: GraphIdx,
    error_opcode: GraphIdx,
    obj_kind: GraphIdx,
    int_value: GraphIdx,
    cons_car: GraphIdx,
    cons_cdr: GraphIdx,
    instance_size: GraphIdx,
    instance_attr_name: GraphIdx,
    instance_value: GraphIdx,
    /// `bytecodes_executed`, in a counting interpreter only.
    bytecodes_executed: Option<GraphIdx>,
}

// `obj_kind` results (the KIND_* constants of tlc.rpy).
const KIND_INT: i64 = 0;
const KIND_NIL: i64 = 1;
const KIND_CONS: i64 = 2;
const KIND_INSTANCE: i64 = 3;

/// The optimisation level of translated mode.
pub(crate) const TRANSLATED_OPT: OptLevel = OptLevel::O2;

/// The TLC interpreter, compiled from `tlc.rpy` to flow graphs, and translated to native code
/// on first use of translated mode.
#[derive(Debug)]
pub struct Interpreter {
    program: RpyProgram,
    /// The text of `tlc.rpy` it was compiled from (for the translation cache's key).
    source: Arc<str>,
    entries: Entries,
    /// Translated mode's thread, started on first use (or why it could not start).
    translated: OnceLock<Result<Worker<Translated>, String>>,
    /// JIT mode's thread, started on first use (or why it could not start).
    jit: OnceLock<Result<Worker<LlvmJitMachine>, String>>,
    /// Visits of a green key at the global merge point before JIT mode compiles it.
    jit_hot: u64,
    /// The JIT's and backend-llvm's settings.
    settings: Settings,
}

/// The settings of the translated and JIT modes, as the environment gives them
/// ([`Settings::from_env`], read by the command line and [`Interpreter::get`]).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The JIT driver's.
    pub jit: JitConfig,
    /// backend-llvm's (the object cache, logging, the JIT's tiers).
    pub llvm: LlvmConfig,
}

impl Settings {
    /// The settings the environment asks for (`RPY_JIT_LOG`, `RPY_LLVM_LOG`,
    /// `RPY_LLVM_CACHE`, `RPY_JIT_HOT_CALLS`...: [`JitConfig::from_env`],
    /// [`LlvmConfig::from_env`]).
    pub fn from_env() -> Settings {
        Settings { jit: JitConfig::from_env(), llvm: LlvmConfig::from_env() }
    }
}

impl Interpreter {
    /// Compiles `tlc.rpy`; the error is the rendered diagnostics.
    pub fn compile() -> Result<Interpreter, String> {
        Interpreter::from_source(TLC_RPY)
    }

    /// Compiles a copy of `tlc.rpy` that counts the bytecodes it executes (a counter bumped at
    /// the global merge point, i.e. once per dispatched instruction), for
    /// [`Interpreter::run_counting`]. The counter makes it slower than the real interpreter:
    /// use it to count, not to time.
    pub fn compile_counting() -> Result<Interpreter, String> {
        let edits = [
            (
                "# ---------------------------------------------------------------------------------------------\n# The interpreter.\n",
                "struct Counter:\n    n: int\n\nconst BYTECODES = Counter(n = 0)\n\n\
                 def bytecodes_executed() -> int:\n    return BYTECODES.n\n\n",
                true,
            ),
            (
                "        hint(None, global_merge_point=True)\n",
                "        BYTECODES.n = BYTECODES.n + 1\n",
                false,
            ),
            ("    clear_error()\n", "    BYTECODES.n = 0\n", false),
        ];
        let mut src = TLC_RPY.to_string();
        for (at, insert, before) in edits {
            if src.matches(at).count() != 1 {
                return Err(format!("tlc.rpy: cannot instrument: {at:?} is not unique"));
            }
            let pos = src.find(at).unwrap() + if before { 0 } else { at.len() };
            src.insert_str(pos, insert);
        }
        Interpreter::from_source(&src)
    }

    fn from_source(src: &str) -> Result<Interpreter, String> {
        let program = rpy_ir::front::compile("tlc.rpy", src).map_err(|d| d.to_string())?;
        let graph = |name: &str| {
            program.graph_by_name(name).ok_or_else(|| format!("tlc.rpy has no function '{name}'"))
        };
        let entries = Entries {
            run: graph("run")?,
            error_kind: graph("error_kind")?,
            error_message: graph("error_message")?,
            error_name: graph("error_name")?,
            error_opcode: graph("error_opcode")?,
            obj_kind: graph("obj_kind")?,
            int_value: graph("int_value")?,
            cons_car: graph("cons_car")?,
            cons_cdr: graph("cons_cdr")?,
            instance_size: graph("instance_size")?,
            instance_attr_name: graph("instance_attr_name")?,
            instance_value: graph("instance_value")?,
            bytecodes_executed: program.graph_by_name("bytecodes_executed"),
        };
        Ok(Interpreter {
            program,
            source: src.into(),
            entries,
            translated: OnceLock::new(),
            jit: OnceLock::new(),
            jit_hot: timeshift::config::DEFAULT_HOT_MERGES,
            settings: Settings::default(),
        })
    }

    /// This interpreter with `settings` (before its translated or JIT mode first runs; the
    /// default logs nothing and has no object cache).
    pub fn with_settings(self, settings: Settings) -> Interpreter {
        Interpreter { settings, ..self }
    }

    /// The interpreter compiled once per process, with the environment's settings
    /// ([`Settings::from_env`]). Panics if `tlc.rpy` does not compile (it is
    /// part of this crate, so that is a bug caught by every test).
    pub fn get() -> &'static Interpreter {
        static INTERP: OnceLock<Interpreter> = OnceLock::new();
        INTERP.get_or_init(|| {
            Interpreter::compile()
                .unwrap_or_else(|e| panic!("tlc.rpy does not compile:\n{e}"))
                .with_settings(Settings::from_env())
        })
    }

    /// The compiled RPy program (flow graphs of the TLC interpreter).
    pub fn rpy_program(&self) -> &RpyProgram {
        &self.program
    }

    /// Translates the interpreter to native code now, unless done already (through the object
    /// cache of backend-llvm when a cache directory is known), and returns what it cost.
    pub fn translate(&self) -> Result<CompileStats, TlcError> {
        Ok(self.worker()?.stats.clone())
    }

    /// Starts JIT mode now, unless done already: the hint analysis and codewriter, and the
    /// translation of the tiered interpreter (through the object cache); returns what the
    /// translation cost.
    pub fn start_jit(&self) -> Result<CompileStats, TlcError> {
        Ok(self.jit_worker()?.stats.clone())
    }

    fn worker(&self) -> Result<&Worker<Translated>, TlcError> {
        let w = self.translated.get_or_init(|| {
            let (program, llvm) = (self.program.clone(), self.settings.llvm.clone());
            let source = Arc::clone(&self.source);
            Worker::start("tlc-translated", move || {
                let t = translate_interpreter(&program, &[("tlc.rpy", &source)], &llvm)?;
                let stats = t.stats().clone();
                Ok((t, stats))
            })
        });
        w.as_ref().map_err(|e| TlcError::internal(e.clone()))
    }

    /// Sets how many visits of a bytecode position (a green key at the global merge point)
    /// make JIT mode compile the program from there (default
    /// [`timeshift::config::DEFAULT_HOT_MERGES`]; 1: compile at once). Applies to JIT runs
    /// started after this call on an interpreter whose JIT has not run yet.
    pub fn set_jit_hot(&mut self, visits: u64) {
        self.jit_hot = visits.max(1);
    }

    fn jit_worker(&self) -> Result<&Worker<LlvmJitMachine>, TlcError> {
        let w = self.jit.get_or_init(|| {
            let (program, run) = (self.program.clone(), self.entries.run);
            let source = Arc::clone(&self.source);
            let mut settings = self.settings.clone();
            settings.jit.hot_merges = self.jit_hot;
            Worker::start("tlc-jit", move || {
                // The driver borrows the program for as long as the thread lives (the process).
                let program: &'static RpyProgram = Box::leak(Box::new(program));
                LlvmJitMachine::new(program, source, run, settings).map_err(|e| e.message)
            })
        });
        w.as_ref().map_err(|e| TlcError::internal(e.clone()))
    }

    /// Runs `program` with `input` as its argument in `mode`; the result is the printed value.
    pub fn run(&self, program: &Program, input: i64, mode: Mode) -> Result<String, TlcError> {
        self.execute(program, input, mode).map(|(text, _)| text)
    }

    /// Runs `program` with `input` through a fresh JIT on LLVM that compiles at the first
    /// visit of the merge point, and returns the printed result and the residual code
    /// compiled for it: every residual graph as rpy-ir text and,
    /// for those holding a loop, their LLVM IR as the hot tier compiles it ([`OptLevel::Lean`])
    /// for `cpu` ([`TargetCpu::Generic`]: the same text on every machine).
    pub fn residual_code(
        &self,
        program: &Program,
        input: i64,
        cpu: TargetCpu,
    ) -> Result<ResidualRun, TlcError> {
        let mut names = NameTable::default();
        let pool = pool_words(&encode_pool(program, &mut names));
        let (entries, code) = (self.entries.clone(), program.code.clone());
        self.jit_worker()?.run(move |worker_machine| {
            // A fresh JIT over the worker's program (leaked once, for the thread's life).
            let mut settings = worker_machine.settings.clone();
            settings.jit.hot_merges = 1;
            let (mut machine, _) = LlvmJitMachine::new(
                worker_machine.program,
                Arc::clone(&worker_machine.source),
                entries.run,
                settings,
            )?;
            let inputs = Inputs { code: &code, pool: &pool, input };
            let result = Session::new(&mut machine, &entries, &names).run(inputs);
            Ok(ResidualRun {
                result: result.map(|(text, _)| text),
                code: machine.residual_text(cpu),
            })
        })?
    }

    /// Runs `program` like [`Interpreter::run`] on a counting interpreter
    /// ([`Interpreter::compile_counting`]) and also returns the number of bytecodes executed.
    pub fn run_counting(
        &self,
        program: &Program,
        input: i64,
        mode: Mode,
    ) -> Result<(String, u64), TlcError> {
        if self.entries.bytecodes_executed.is_none() {
            return Err(TlcError::internal("not a counting interpreter"));
        }
        let (text, count) = self.execute(program, input, mode)?;
        Ok((text, count.unwrap_or(0)))
    }

    /// Runs `program` in the IR interpreter.
    pub fn run_llinterp(&self, program: &Program, input: i64) -> Result<String, TlcError> {
        self.run(program, input, Mode::Llinterp)
    }

    fn execute(
        &self,
        program: &Program,
        input: i64,
        mode: Mode,
    ) -> Result<(String, Option<u64>), TlcError> {
        let mut names = NameTable::default();
        let pool = pool_words(&encode_pool(program, &mut names));
        match mode {
            Mode::Llinterp => {
                let inputs = Inputs { code: &program.code, pool: &pool, input };
                let mut llinterp = Interp::new(&self.program);
                Session::new(&mut llinterp, &self.entries, &names).run(inputs)
            }
            Mode::Translated => {
                let (entries, code) = (self.entries.clone(), program.code.clone());
                self.worker()?.run(move |t| {
                    let inputs = Inputs { code: &code, pool: &pool, input };
                    Session::new(t, &entries, &names).run(inputs)
                })?
            }
            Mode::Jit => {
                let (entries, code) = (self.entries.clone(), program.code.clone());
                self.jit_worker()?.run(move |m| {
                    let inputs = Inputs { code: &code, pool: &pool, input };
                    Session::new(m, &entries, &names).run(inputs)
                })?
            }
            Mode::JitLlinterp => {
                let inputs = Inputs { code: &program.code, pool: &pool, input };
                let jit = self.settings.jit.clone();
                let mut machine = JitMachine::new(&self.program, self.entries.run, jit)?;
                Session::new(&mut machine, &self.entries, &names).run(inputs)
            }
        }
    }
}

/// The TLC error for a failure of the RPy interpreter: running out of stack (in RPy
/// recursion, which `tlc.rpy` avoids, or in a runtime function) is TLC's own error for too
/// deep a recursion (as `MAX_FRAMES` in `tlc.rpy` reports it); anything else is
/// [`ErrorKind::Internal`], with the RPy error rendered.
fn rpy_failure(e: &RunError, sources: &SourceMap) -> TlcError {
    match e {
        RunError::Program(RuntimeError { kind: RuntimeErrorKind::StackOverflow, .. }) => {
            TlcError { kind: ErrorKind::RuntimeError, message: RECURSION_MESSAGE.into() }
        }
        RunError::Program(_) => {
            TlcError::internal(format!("the RPy interpreter failed: {}", e.render(sources)))
        }
        RunError::Jit(_) => TlcError::internal(format!("the JIT failed: {}", e.render(sources))),
    }
}

/// The message of a TLC `RuntimeError` for too deep a recursion (the one `tlc.rpy` reports).
const RECURSION_MESSAGE: &str = "maximum recursion depth exceeded";

/// One run: calls into the RPy graphs through a [`Machine`].
struct Session<'a, M: Machine> {
    machine: &'a mut M,
    entries: &'a Entries,
    names: &'a NameTable,
}

impl<'a, M: Machine> Session<'a, M> {
    fn new(machine: &'a mut M, entries: &'a Entries, names: &'a NameTable) -> Self {
        Session { machine, entries, names }
    }

    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, TlcError> {
        self.machine.call(g, args).map_err(|e| rpy_failure(&e, self.machine.sources()))
    }

    fn int(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<i64, TlcError> {
        match self.call(g, args)? {
            RtValue::Int(i) => Ok(i),
            other => Err(TlcError::internal(format!("expected an int, got {other:?}"))),
        }
    }

    fn str(&mut self, g: GraphIdx) -> Result<String, TlcError> {
        let v = self.call(g, &[])?;
        Ok(str_text(v).unwrap_or_default())
    }

    /// Runs the program: its printed result, and the bytecodes executed if counted.
    fn run(mut self, inputs: Inputs) -> Result<(String, Option<u64>), TlcError> {
        let e = self.entries;
        let code = self.machine.alloc_str(inputs.code);
        let pool = self.machine.alloc_str(inputs.pool);
        let result = self.call(e.run, &[code, pool, RtValue::Int(inputs.input)])?;
        let text = match result {
            RtValue::Ref(p) if !p.is_null() => {
                // Rooted while printing: the printer holds the objects it has still to print
                // in a Rust vector, out of the collector's sight (they are reachable from the
                // result, and the accessors it calls do not allocate, but that is for them to
                // say).
                let mut roots = rpy_ir::gc::RootBuf::with_capacity(1);
                roots.push(p as u64);
                printer::format(&mut self, result)?
            }
            _ => return Err(self.error()?),
        };
        let count = match e.bytecodes_executed {
            Some(g) => Some(self.int(g, &[])? as u64),
            None => None,
        };
        Ok((text, count))
    }

    /// The error recorded in the RPy interpreter's `ERROR` state.
    fn error(&mut self) -> Result<TlcError, TlcError> {
        let e = self.entries;
        let kind = self.str(e.error_kind)?;
        let mut message = self.str(e.error_message)?;
        let name = self.int(e.error_name, &[])?;
        if name >= 0 {
            message = format!("{message} '{}'", self.names.name(name));
        }
        let opcode = self.int(e.error_opcode, &[])?;
        if opcode >= 0 {
            message = format!("{message} {opcode}");
        }
        let Some(kind) = ErrorKind::from_name(&kind) else {
            return Ok(TlcError::internal(format!("unknown error kind '{kind}': {message}")));
        };
        Ok(TlcError { kind, message })
    }
}

impl<M: Machine> ObjReader for Session<'_, M> {
    fn view(&mut self, obj: RtValue) -> Result<ObjView, TlcError> {
        let e = self.entries;
        Ok(match self.int(e.obj_kind, &[obj])? {
            KIND_INT => ObjView::Int(self.int(e.int_value, &[obj])?),
            KIND_NIL => ObjView::Nil,
            KIND_CONS => {
                let car = self.call(e.cons_car, &[obj])?;
                ObjView::Cons { car, cdr: self.call(e.cons_cdr, &[obj])? }
            }
            KIND_INSTANCE => ObjView::Instance { size: self.int(e.instance_size, &[obj])? },
            k => return Err(TlcError::internal(format!("obj_kind returned {k}"))),
        })
    }

    fn attr(&mut self, obj: RtValue, index: i64) -> Result<(&str, RtValue), TlcError> {
        let e = self.entries;
        let name = self.int(e.instance_attr_name, &[obj, RtValue::Int(index)])?;
        let value = self.call(e.instance_value, &[obj, RtValue::Int(index)])?;
        Ok((self.names.name(name), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcodes::Opcode;

    #[test]
    fn tlc_rpy_compiles() {
        Interpreter::compile().unwrap_or_else(|e| panic!("{e}"));
    }

    /// The opcode constants of `tlc.rpy` are the opcode table's byte values (the table in
    /// `opcodes.rs` is the one definition; RPy has no way to import it).
    #[test]
    fn rpy_opcode_constants_match_the_table() {
        let consts: HashMap<&str, u8> = TLC_RPY
            .lines()
            .filter_map(|l| {
                let (name, value) = l.strip_prefix("const ")?.split_once(" = ")?;
                Some((name.trim(), value.split('#').next()?.trim().parse().ok()?))
            })
            .collect();
        for op in Opcode::ALL {
            assert_eq!(consts.get(op.name()), Some(&op.byte()), "const {} in tlc.rpy", op.name());
        }
    }

    #[test]
    fn modes_by_name() {
        for m in [Mode::Llinterp, Mode::Translated, Mode::Jit, Mode::JitLlinterp] {
            assert_eq!(Mode::from_name(m.name()), Some(m));
        }
        assert_eq!(Mode::from_name("native"), None);
    }

    #[test]
    fn error_kinds_by_name() {
        for k in ["TypeError", "IndexError", "KeyError", "ZeroDivisionError", "RuntimeError"] {
            assert_eq!(ErrorKind::from_name(k).map(ErrorKind::name), Some(k));
        }
        assert_eq!(ErrorKind::from_name("InternalError"), None);
        let e = TlcError { kind: ErrorKind::KeyError, message: "no such attribute 'x'".into() };
        assert_eq!(e.to_string(), "KeyError: no such attribute 'x'");
    }
}
