//! The machines a TLC session runs on ([`Machine`]): the IR interpreter, the translated
//! interpreter, the JIT on the IR-interpreter backend and the JIT on LLVM, and the worker
//! thread the native ones run on ([`Worker`]). See [`crate::runner`] for how a run uses them.

use std::collections::HashMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

use backend_llvm::cache::{self, CacheKey};
use backend_llvm::jit::JitBackend;
use backend_llvm::{
    stack, translate_keyed, CompileStats, LlvmConfig, OptLevel, TargetCpu, Translated,
};
use rpy_ir::ir::{GraphIdx, Program as RpyProgram};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::heap::{new_str_latin1, str_chars};
use rpy_ir::runtime::RtValue;
use rpy_ir::span::SourceMap;
use std::rc::Rc;
use timeshift::tiering::{self, MergePoint};
use timeshift::{Backend, JitConfig, JitDriver, LlinterpBackend, RunError};

use crate::runner::{Settings, TlcError, TRANSLATED_OPT};

mod untiering;

pub use untiering::tiered_jit_owned;

/// A thread running sessions on a machine of type `M` (translated mode's, JIT mode's): it
/// builds the machine (translating the interpreter), owns it, and runs the sessions sent to it
/// one at a time, on a big stack (so RPy recursion is bounded by the depth limit, as in
/// llinterp, not by the caller's stack). Being the only thread that touches the translated
/// program's heap, it also spares collections the suspension of other threads, unless the
/// process registered some (llinterp runs register theirs): a fresh thread per run, beside a
/// registered caller, measured a third slower on factorial.
pub struct Worker<M> {
    pub(crate) jobs: mpsc::Sender<Job<M>>,
    /// What building the machine cost (the translation).
    pub stats: CompileStats,
}

impl<M> fmt::Debug for Worker<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker").field("stats", &self.stats).finish()
    }
}

/// A session to run on a worker.
type Job<M> = Box<dyn FnOnce(&mut M) + Send>;

/// The interpreter translated at [`TRANSLATED_OPT`] (through the object cache when a cache
/// directory is known).
pub fn translate_interpreter(
    program: &RpyProgram,
    sources: &[(&str, &str)],
    llvm: &LlvmConfig,
) -> Result<Translated, String> {
    translate_interpreter_owned(program.clone(), sources, llvm)
}

/// [`translate_interpreter`] of a program handed over rather than copied: the translated
/// interpreter keeps `program` itself (a host that runs one mode once needs no other copy;
/// mini-Python's program is ~8 MB).
pub fn translate_interpreter_owned(
    program: RpyProgram,
    sources: &[(&str, &str)],
    llvm: &LlvmConfig,
) -> Result<Translated, String> {
    let options = llvm.translation(TRANSLATED_OPT, true);
    let key = program_key(&program, sources, &options);
    translate_keyed(Rc::new(program), &options, key)
        .map_err(|e| format!("cannot translate the interpreter: {e}"))
}

/// The cache key of `program`, compiled from the RPy files `sources` (empty if unknown), if
/// `options` name a cache ([`cache::program_key`]: found without printing the program when
/// this binary has seen the sources).
fn program_key(
    program: &RpyProgram,
    sources: &[(&str, &str)],
    options: &backend_llvm::Options,
) -> Option<CacheKey> {
    let dir = options.cache_dir.as_ref()?;
    Some(cache::program_key(dir, program, sources, options.opt))
}

/// How [`tiered_jit`] makes the tiered interpreter.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tiers {
    /// With the portal's shared continuation translated beside it
    /// ([`tiering::tiered_with_shared_continuation`]: the driver's fallbacks call it rather
    /// than compile a copy), for a driver whose continuation asks.
    pub shared_continuation: bool,
}

/// The JIT driver of `program`'s interpreter, portal `portal` with green parameters `greens`,
/// over the interpreter translated in its tiered form ([`tiering::tiered`]: it enters the
/// JIT at the portal's global merge point), and what translating it cost.
///
/// With a cache directory, the merge point the hint analysis finds is kept as a note of the
/// untiered program's cache entry (`backend_llvm::cache::store_note`, keyed also by this
/// executable, whose code makes the analysis): a later run of the same program by the same
/// binary makes the driver with it ([`JitDriver::with_merge_point`]) and analyses only when
/// it first compiles; the tiered program's key is a note too (`cache::key_through_note`),
/// printed once per binary. Start-up of a run that compiles nothing is then translated mode's.
pub fn tiered_jit(
    program: &'static RpyProgram,
    sources: &[(&str, &str)],
    portal: &str,
    greens: &[&str],
    jit: JitConfig,
    llvm: &LlvmConfig,
    tiers: Tiers,
) -> Result<(JitDriver<'static, JitBackend>, CompileStats), String> {
    let keys = TieredKeys::new(program, sources, portal, greens, llvm);
    let known = keys.known_merge_point(program);
    let was_known = known.is_some();
    let mut stats = CompileStats::default();
    let driver = JitDriver::with_merge_point(program, portal, greens, jit, known, |mp| {
        let (made, key) = match mp {
            Some(mp) => {
                let made = match tiers.shared_continuation {
                    true => tiering::tiered_with_shared_continuation(program, mp),
                    false => tiering::tiered(program, mp),
                };
                let key = keys.tiered_key(&made, mp, tiers);
                (made, key)
            }
            None => (program.clone(), keys.key.clone()),
        };
        let (backend, s) = keys.translate(made, key, llvm)?;
        stats = s;
        Ok(backend)
    })
    .map_err(|d| format!("the JIT cannot be built:\n{d}"))?;
    if !was_known {
        keys.store_merge_point(driver.merge_point());
    }
    Ok((driver, stats))
}

/// The translation cache's keys of a tiered JIT's programs ([`tiered_jit`]).
pub(crate) struct TieredKeys {
    options: backend_llvm::Options,
    /// The untiered program's key.
    key: Option<CacheKey>,
    identity: Option<String>,
    /// The key of the merge point's note.
    note: Option<CacheKey>,
}

impl TieredKeys {
    pub(crate) fn new(
        program: &RpyProgram,
        sources: &[(&str, &str)],
        portal: &str,
        greens: &[&str],
        llvm: &LlvmConfig,
    ) -> TieredKeys {
        let options = llvm.translation(TRANSLATED_OPT, true);
        let key = program_key(program, sources, &options);
        let identity = cache::executable_identity();
        let mut keys = TieredKeys { options, key, identity, note: None };
        keys.note = keys.made_of(&["merge point", portal, &greens.join(" ")]);
        keys
    }

    /// A key for what this binary makes of the program: its notes.
    fn made_of(&self, what: &[&str]) -> Option<CacheKey> {
        let (key, exe) = (self.key.as_ref()?, self.identity.as_deref()?);
        Some(key.derive(&[what, &[exe]].concat()))
    }

    /// The merge point an earlier run of this binary found in `program`, if kept.
    pub(crate) fn known_merge_point(&self, program: &RpyProgram) -> Option<MergePoint> {
        match (&self.options.cache_dir, &self.note) {
            (Some(dir), Some(note)) => cache::load_note(dir, note, "merge")
                .and_then(|text| MergePoint::from_text(program, &text)),
            _ => None,
        }
    }

    /// Keeps the merge point the analysis found, for the next run.
    fn store_merge_point(&self, mp: Option<&MergePoint>) {
        if let (Some(dir), Some(note), Some(mp)) = (&self.options.cache_dir, &self.note, mp) {
            if let Err(e) = cache::store_note(dir, note, "merge", &mp.to_text()) {
                eprintln!("warning: cannot store the JIT's merge point in {}: {e}", dir.display());
            }
        }
    }

    /// The key of the program tiered at `mp` (`made`), through a note.
    pub(crate) fn tiered_key(
        &self,
        made: &RpyProgram,
        mp: &MergePoint,
        tiers: Tiers,
    ) -> Option<CacheKey> {
        let shared = if tiers.shared_continuation { "shared continuation" } else { "" };
        let note = self.made_of(&["tiered", shared, &mp.to_text()]);
        let dir = self.options.cache_dir.as_ref()?;
        Some(cache::key_through_note(dir, note.as_ref(), made, self.options.opt))
    }

    /// The JIT backend over `made` translated (through the cache under `key`).
    pub(crate) fn translate(
        &self,
        made: RpyProgram,
        key: Option<CacheKey>,
        llvm: &LlvmConfig,
    ) -> Result<(JitBackend, CompileStats), String> {
        let t = translate_keyed(Rc::new(made), &self.options, key)
            .map_err(|e| format!("cannot translate the interpreter: {e}"))?;
        let stats = t.stats().clone();
        Ok((JitBackend::new(t, llvm.jit), stats))
    }
}

/// Gives the memory that building a machine allocated and freed (the front end's trees, the
/// object file read from the cache, the translation's tables) back to the system: glibc keeps
/// freed chunks in each thread's arena, where they count in the process's resident size for
/// the whole run (`malloc_trim` releases the free pages of every arena).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: no arguments but the padding; only free memory is released.
    unsafe {
        libc::malloc_trim(0);
    }
}

impl<M: 'static> Worker<M> {
    /// Starts the thread and builds its machine there with `init`.
    pub fn start(
        name: &str,
        init: impl FnOnce() -> Result<(M, CompileStats), String> + Send + 'static,
    ) -> Result<Worker<M>, String> {
        let (jobs, inbox) = mpsc::channel::<Job<M>>();
        let (ready, started) = mpsc::channel();
        std::thread::Builder::new()
            .name(name.into())
            .stack_size(stack::WORKER_STACK)
            .spawn(move || {
                let mut machine = match init() {
                    Ok((m, stats)) => {
                        release_freed_memory();
                        let _ = ready.send(Ok(stats));
                        m
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                // Ends when the interpreter, and with it the sender, is dropped.
                for job in inbox {
                    // A job that panics drops its reply channel: its caller reports that.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut machine)));
                }
            })
            .map_err(|e| format!("cannot start the thread {name}: {e}"))?;
        let stats = started.recv().map_err(|_| format!("the thread {name} died"))??;
        Ok(Worker { jobs, stats })
    }

    /// Runs `job` on the worker and returns its result.
    pub fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut M) -> T + Send + 'static,
    ) -> Result<T, TlcError> {
        let (reply, result) = mpsc::sync_channel(1);
        let job: Job<M> = Box::new(move |m| {
            let _ = reply.send(job(m));
        });
        self.jobs.send(job).map_err(|_| TlcError::internal("the worker thread stopped"))?;
        result.recv().map_err(|_| TlcError::internal("the run panicked"))
    }
}

/// The inputs of a run: the bytecode, the encoded pool ([`pool_words`]) and the argument.
#[derive(Clone, Copy)]
pub(crate) struct Inputs<'a> {
    pub(crate) code: &'a [u8],
    pub(crate) pool: &'a [u8],
    pub(crate) input: i64,
}

/// What a session needs from an execution mode: calls of the RPy interpreter's graphs, strings
/// in its heap (kept alive as long as the machine; TLC's bytecode and pool are bytes, one char
/// each, which `ord` reads back), and the sources for rendering errors.
pub trait Machine {
    /// Calls graph `g` of the interpreter.
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError>;
    /// A string of one char per byte in the interpreter's heap.
    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue;
    /// The interpreter's sources (to render errors).
    fn sources(&self) -> &SourceMap;
}

impl Machine for Interp<'_> {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        Ok(Interp::call(self, g, args)?)
    }

    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        Interp::alloc_str_latin1(self, bytes)
    }

    fn sources(&self) -> &SourceMap {
        &self.program().sources
    }
}

/// Translated code runs on the calling thread: the worker, whose big stack bounds nothing
/// before the depth limit does.
impl Machine for Translated {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        Ok(self.call_here(g, args)?)
    }

    /// Not pinned (`Translated::alloc_str` pins for the program's lifetime, which would grow
    /// its roots by two strings per run for ever): the string is held in the session's locals
    /// on the worker, a registered thread, until `run` takes it as a (rooted) argument.
    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        new_str_latin1(bytes)
    }

    fn sources(&self) -> &SourceMap {
        &self.program().sources
    }
}

/// The JIT on the IR-interpreter backend: `run` goes through the JIT driver (the portal
/// `interp_eval`, greens `code`, `pc`, `pool`); every other call (building inputs, reading
/// results and errors) through an IR interpreter sharing the residual code's prebuilt objects.
pub(crate) struct JitMachine<'p> {
    pub(crate) interp: Interp<'p>,
    pub(crate) driver: JitDriver<'p, LlinterpBackend>,
    pub(crate) run: GraphIdx,
    pub(crate) prepare_pool: GraphIdx,
    pub(crate) make_args: GraphIdx,
}

impl<'p> JitMachine<'p> {
    pub(crate) fn new(
        program: &'p RpyProgram,
        run: GraphIdx,
        config: JitConfig,
    ) -> Result<JitMachine<'p>, TlcError> {
        let graph = |name: &str| {
            program
                .graph_by_name(name)
                .ok_or_else(|| TlcError::internal(format!("tlc.rpy has no '{name}'")))
        };
        let interp = Interp::new(program);
        let backend = LlinterpBackend::with_prebuilt(program, &interp.prebuilt_words());
        let greens = ["code", "pc", "pool"];
        let driver =
            JitDriver::with_backend(program, "interp_eval", &greens, config, |_| Ok(backend))
                .map_err(|d| TlcError::internal(d.to_string()))?;
        Ok(JitMachine {
            interp,
            driver,
            run,
            prepare_pool: graph("prepare_pool")?,
            make_args: graph("make_args")?,
        })
    }
}

impl Machine for JitMachine<'_> {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        if g != self.run {
            return Ok(self.interp.call(g, args)?);
        }
        let pool = self.interp.call(self.prepare_pool, &args[1..2])?;
        let eval_args = self.interp.call(self.make_args, &args[2..3])?;
        self.driver.call(&[args[0], RtValue::Int(0), eval_args, pool])
    }

    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        self.interp.alloc_str_latin1(bytes)
    }

    fn sources(&self) -> &SourceMap {
        &self.interp.program().sources
    }
}

/// The JIT on LLVM: `run` goes through the JIT driver (portal `interp_eval`, greens `code`,
/// `pc`, `pool`) whose residual code is compiled into the translated interpreter's session;
/// every other call runs the translated interpreter.
///
/// A program run again (the same bytecode and pool) reuses the objects of its first run, so
/// the JIT's cache, keyed by them, finds the code compiled then (PyPy's JIT keeps code per
/// code object the same way). They are kept for the thread's life, like the code.
pub(crate) struct LlvmJitMachine {
    /// The interpreter's program (the driver borrows it).
    pub(crate) program: &'static RpyProgram,
    /// The text of `tlc.rpy` it was compiled from.
    pub(crate) source: std::sync::Arc<str>,
    /// The settings it was made with.
    pub(crate) settings: Settings,
    pub(crate) driver: JitDriver<'static, JitBackend>,
    pub(crate) run: GraphIdx,
    pub(crate) portal: GraphIdx,
    pub(crate) prepare_pool: GraphIdx,
    /// Clears the interpreter's error state (`prepare_pool` does it for a new program).
    pub(crate) clear_error: GraphIdx,
    pub(crate) make_args: GraphIdx,
    /// (bytecode, pool data) -> index of the pair (code str, prepared pool) in `objects`.
    pub(crate) loaded: HashMap<(Vec<char>, Vec<char>), usize>,
    /// The loaded programs' objects, rooted.
    pub(crate) objects: rpy_ir::gc::RootBuf,
}

impl LlvmJitMachine {
    /// The JIT over the interpreter translated in its tiered form (entering compiled code at
    /// hot merge points), and what translating it cost.
    pub(crate) fn new(
        program: &'static RpyProgram,
        source: std::sync::Arc<str>,
        run: GraphIdx,
        settings: Settings,
    ) -> Result<(LlvmJitMachine, CompileStats), TlcError> {
        let graph = |name: &str| {
            program
                .graph_by_name(name)
                .ok_or_else(|| TlcError::internal(format!("tlc.rpy has no '{name}'")))
        };
        let greens = ["code", "pc", "pool"];
        let (jit, llvm) = (settings.jit.clone(), &settings.llvm);
        let sources = [("tlc.rpy", &*source)];
        // With the continuation asking (the default), the interpreter is translated with its
        // shared continuation: a fallback calls that copy rather than compiling one.
        let tiers = Tiers { shared_continuation: jit.resume || jit.resume_deferred };
        let (driver, stats) =
            tiered_jit(program, &sources, "interp_eval", &greens, jit, llvm, tiers)
                .map_err(TlcError::internal)?;
        let machine = LlvmJitMachine {
            program,
            source,
            settings: settings.clone(),
            driver,
            run,
            portal: graph("interp_eval")?,
            prepare_pool: graph("prepare_pool")?,
            clear_error: graph("clear_error")?,
            make_args: graph("make_args")?,
            loaded: HashMap::new(),
            objects: rpy_ir::gc::RootBuf::with_capacity(16),
        };
        Ok((machine, stats))
    }

    /// The code string and prepared pool of the program whose bytecode and pool data are
    /// `code` and `data`, from its first run if it ran before.
    pub(crate) fn load(
        &mut self,
        code: RtValue,
        data: RtValue,
    ) -> Result<(RtValue, RtValue), RunError> {
        let key = (str_chars(code).unwrap_or_default(), str_chars(data).unwrap_or_default());
        if let Some(&i) = self.loaded.get(&key) {
            // A program run again starts with no error left by an earlier run (its message
            // details would leak into this run's error).
            self.driver.backend().call_interpreter(self.clear_error, &[])?;
            let obj = |k: usize| RtValue::Ref(self.objects.get(k) as usize as *mut u8);
            return Ok((obj(i), obj(i + 1)));
        }
        let pool = self.driver.backend().call_interpreter(self.prepare_pool, &[data])?;
        let (RtValue::Ref(c), RtValue::Ref(p)) = (code, pool) else {
            unreachable!("tlc.rpy's code and pool are objects")
        };
        let i = self.objects.len();
        self.objects.push(c as u64);
        self.objects.push(p as u64);
        self.loaded.insert(key, i);
        Ok((code, pool))
    }
}

impl LlvmJitMachine {
    /// Every residual graph compiled so far, and the LLVM IR of those with a loop as the hot
    /// tier compiles it for `cpu`.
    pub(crate) fn residual_text(&self, cpu: TargetCpu) -> String {
        use std::fmt::Write;
        let backend = self.driver.backend();
        let program = backend.program();
        let first = backend.translated().program().graphs.len();
        let mut out = String::new();
        for (g, graph) in program.graphs.iter().skip(first) {
            out.push_str(&rpy_ir::text::print_graph(&program, g));
            out.push('\n');
            if rpy_ir::flow::Flow::new(graph).has_loop() {
                let ir = backend
                    .llvm_ir(g, OptLevel::Lean, cpu)
                    .unwrap_or_else(|e| format!("(LLVM IR not available: {e})"));
                let _ = writeln!(out, "; LLVM IR of {} at the hot tier (lean)\n{ir}", graph.name);
            }
        }
        out
    }
}

impl Machine for LlvmJitMachine {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        if g != self.run {
            return self.driver.backend().call_interpreter(g, args);
        }
        let (code, pool) = self.load(args[0], args[1])?;
        let backend = self.driver.backend();
        let eval_args = backend.call_interpreter(self.make_args, &args[2..3])?;
        let portal_args = [code, RtValue::Int(0), eval_args, pool];
        let Some(mp) = self.driver.merge_point() else {
            return self.driver.call(&portal_args);
        };
        // The translated interpreter runs the portal and enters compiled code where hot; a
        // program run again is compiled as a whole (its objects can then stay virtual). Both
        // with the merge points answered (a whole-call compilation that gives up runs the
        // tiered interpreter too).
        let types: Vec<_> = mp.greens.iter().chain(&mp.reds).map(|(_, t)| *t).collect();
        let ret = self.driver.backend().translated().program().graphs[self.portal].ret;
        let entry =
            |values: &[RtValue], visits: u64| self.driver.enter_at_merge_point(values, visits);
        // Keys the driver entered are entered by the backend itself at the next visits.
        let hook = self.driver.miss_hook();
        backend.with_merge_entry_direct(&types, ret, &entry, &hook, || {
            match self.driver.call_if_hot(&portal_args) {
                Some(result) => result,
                None => backend.call_interpreter(self.portal, &portal_args),
            }
        })
    }

    /// Not pinned: see translated mode's `alloc_str`.
    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        new_str_latin1(bytes)
    }

    fn sources(&self) -> &SourceMap {
        &self.driver.backend().translated().program().sources
    }
}
