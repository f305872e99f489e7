//! Translated mode: a whole program compiled by LLVM and loaded into its own ORC session,
//! callable with llinterp's values and reporting llinterp's runtime errors.
//!
//! Invariants:
//! - A [`Translated`] owns a copy of its program, its session (the code), and the roots of its
//!   prebuilt and pinned objects; dropping it frees all of them.
//! - Before every entry call the runtime state globals are reset (`failed` 0, depth -1,
//!   registers 0, the stack limit of the thread that runs the code); calls are serialised by
//!   `&mut self`, so one set of globals per program suffices.
//! - Arguments and the result travel through a [`RootBuf`] (scanned by the collector).
//! - A program larger than the optimisation budget is compiled as two objects, its hot part
//!   at the requested level and its cold part at [`target::COLD_PIPELINE`] ([`crate::partition`]), linked into the
//!   same session; the object cache stores them packed as one.

use crate::cache::{self, CacheKey};
use crate::config::LlvmLog;
use crate::errors::{self, SiteTable};
use crate::lower::{self, names, LowerError};
use crate::partition;
use crate::prebuilt;
use crate::runtime::{self, Pending};
use crate::session::{Session, SessionError};
use crate::stack;
use crate::target::{self, OptLevel};
use inkwell::context::Context;
use inkwell::module::Module;
use rpy_ir::externs;
use rpy_ir::gc::{self, RootBuf};
use rpy_ir::ir::{GraphIdx, PrebuiltIdx, Program};
use rpy_ir::layout::Layout;
use rpy_ir::runtime::uncaught::HostCall;
use rpy_ir::runtime::{heap, RtValue, RuntimeError, DEFAULT_MAX_DEPTH};
use rpy_ir::types::Ty;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Why a program could not be translated.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    /// The lowering rejected a graph or built invalid IR.
    #[error(transparent)]
    Lower(#[from] LowerError),
    /// LLVM's optimiser or code generator failed.
    #[error("LLVM: {0}")]
    Llvm(String),
    /// Linking or symbol lookup failed.
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// How to translate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The optimisation level.
    pub opt: OptLevel,
    /// Where to keep compiled objects between runs (`None`: always compile).
    pub cache_dir: Option<PathBuf>,
    /// What is logged (the translation, and the JIT and flexswitches built on the result).
    pub log: LlvmLog,
    /// Options of LLVM's own command line, given to LLVM if this translation initialises it
    /// ([`crate::target::init_llvm_with`]).
    pub llvm_args: Vec<String>,
}

impl Options {
    /// Compile at `opt`, without an object cache.
    pub fn new(opt: OptLevel) -> Options {
        Options { opt, cache_dir: None, log: LlvmLog::default(), llvm_args: Vec::new() }
    }
}

/// Where the time of a translation went, and what it produced.
#[derive(Clone, Debug, Default)]
pub struct CompileStats {
    /// Number of graphs (functions) compiled.
    pub graphs: usize,
    /// Number of IR ops in them.
    pub ops: usize,
    /// Number of graphs given the optimiser (all of them unless the program is larger than
    /// the optimisation budget, see [`crate::partition`]); `None` when the object came from
    /// the cache (not worth ranking the program's graphs again to know).
    pub hot_graphs: Option<usize>,
    /// Building the LLVM IR.
    pub lower: Duration,
    /// Running the IR optimisation pipeline.
    pub optimise: Duration,
    /// Code generation (IR to object file).
    pub codegen: Duration,
    /// Creating the session, linking the object and looking up symbols.
    pub link: Duration,
    /// Size of the object file in bytes.
    pub object_bytes: usize,
    /// The object came from the cache (no lowering, optimisation or code generation).
    pub cached: bool,
}

impl CompileStats {
    /// Total time from program to callable code.
    pub fn total(&self) -> Duration {
        self.lower + self.optimise + self.codegen + self.link
    }
}

impl fmt::Display for CompileStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "{} graphs{}, {} ops: lower {:.2} ms, optimise {:.2} ms, codegen {:.2} ms, link {:.2} ms, \
             object {} bytes{}",
            self.graphs,
            self.hot_graphs.map_or(String::new(), |n| format!(" ({n} hot)")),
            self.ops,
            ms(self.lower),
            ms(self.optimise),
            ms(self.codegen),
            ms(self.link),
            self.object_bytes,
            if self.cached { " (cached)" } else { "" }
        )
    }
}

/// Milliseconds since the first call (the process's first log line), for timelines in logs.
pub(crate) fn log_stamp() -> f64 {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
}

/// A graph named by index or by name.
pub trait GraphRef {
    /// The graph of `program` this names, if any.
    fn resolve(&self, program: &Program) -> Option<GraphIdx>;
}

impl GraphRef for GraphIdx {
    fn resolve(&self, program: &Program) -> Option<GraphIdx> {
        program.graphs.get(*self).map(|_| *self)
    }
}

impl GraphRef for &str {
    fn resolve(&self, program: &Program) -> Option<GraphIdx> {
        program.graph_by_name(self)
    }
}

/// Translates `program` at `opt` without an object cache.
pub fn translate(program: &Program, opt: OptLevel) -> Result<Translated, TranslateError> {
    translate_with(program, &Options::new(opt))
}

/// Translates `program` as `options` say, using the object cache if one is given.
pub fn translate_with(program: &Program, options: &Options) -> Result<Translated, TranslateError> {
    translate_shared(Rc::new(program.clone()), options)
}

/// Like [`translate_with`], keeping `program` itself rather than a copy: a program made
/// only to be translated (a tiered interpreter) is not copied, and the JIT backend made over
/// the result shares it until it adds residual graphs (copy on write).
pub fn translate_shared(
    program: Rc<Program>,
    options: &Options,
) -> Result<Translated, TranslateError> {
    let key = options.cache_dir.as_ref().map(|_| CacheKey::new(&program, options.opt));
    translate_keyed(program, options, key)
}

/// Like [`translate_shared`], with the program's cache key given (`None`: no cache): the
/// key of a program made from a keyed one ([`CacheKey::derive`]) costs no printing.
pub fn translate_keyed(
    program: Rc<Program>,
    options: &Options,
    key: Option<CacheKey>,
) -> Result<Translated, TranslateError> {
    target::init_llvm_with(&options.llvm_args);
    let layout = Layout::compute(&program.types);
    let key = options.cache_dir.as_ref().zip(key);
    if let Some((dir, key)) = &key {
        if let Some((object, sites)) = cache::load(dir, key, &program) {
            let stats = CompileStats {
                graphs: program.graphs.len(),
                ops: program.graphs.values().map(|g| g.op_count()).sum(),
                object_bytes: object.len(),
                cached: true,
                ..CompileStats::default()
            };
            // An entry that does not link (damaged on disk) is recompiled below.
            let linked =
                load(Rc::clone(&program), layout.clone(), &object, sites, stats, options.log);
            if let Ok(t) = linked {
                return Ok(t);
            }
        }
    }
    let (object, sites, stats) = compile_object(&program, &layout, options.opt, options.log)?;
    if let Some((dir, key)) = &key {
        if let Err(e) = cache::store(dir, key, &object, &sites, &program) {
            eprintln!("warning: cannot store the compiled program in {}: {e}", dir.display());
        }
    }
    load(program, layout, &object, sites, stats, options.log)
}

/// Lowers, optimises and compiles `program` to an object file: one relocatable object, or
/// for a program larger than the optimisation budget (see [`crate::partition`]) the hot and
/// the cold part's objects packed together ([`partition::pack_objects`]).
pub fn compile_object(
    program: &Program,
    layout: &Layout,
    opt: OptLevel,
    log: LlvmLog,
) -> Result<(Vec<u8>, SiteTable, CompileStats), TranslateError> {
    let mut stats = CompileStats {
        graphs: program.graphs.len(),
        ops: program.graphs.values().map(|g| g.op_count()).sum(),
        ..CompileStats::default()
    };
    let start = Instant::now();
    let llcx = Context::create();
    let lowered = lower_modules(&llcx, program, layout, opt)?;
    stats.lower = start.elapsed();
    let Lowered { module, cold, sites, hot_graphs } = lowered;
    stats.hot_graphs = Some(hot_graphs);
    if log.wants("ir") {
        eprintln!("{}", module.print_to_string().to_string());
    }
    let machine = target::host_machine(opt);
    let start = Instant::now();
    target::optimise(&module, &machine, opt).map_err(TranslateError::Llvm)?;
    stats.optimise = start.elapsed();
    if log.wants("opt-ir") {
        eprintln!("{}", module.print_to_string().to_string());
    }
    let start = Instant::now();
    let mut objects = vec![target::emit_object(&module, &machine).map_err(TranslateError::Llvm)?];
    // One module's memory at a time. (Compiling the cold part on a thread of its own, in
    // parallel, took as long on a loaded machine and 30% more memory.)
    drop(module);
    if let Some(cold) = cold {
        objects.push(compile_cold(&cold, log)?);
    }
    stats.codegen = start.elapsed();
    let object = partition::pack_objects(objects);
    stats.object_bytes = object.len();
    Ok((object, sites, stats))
}

/// Compiles the cold part of a program with [`target::COLD_PIPELINE`], in a context of its own (which could as well
/// be on another thread).
fn compile_cold(cold: &ColdPart, log: LlvmLog) -> Result<Vec<u8>, TranslateError> {
    let llcx = Context::create();
    // SAFETY: a live context; the flag only affects values created later.
    unsafe { llvm_sys::core::LLVMContextSetDiscardValueNames(llcx.raw(), 1) };
    let module = cold.module(&llcx)?;
    if log.wants("ir") {
        eprintln!("{}", module.print_to_string().to_string());
    }
    let opt = OptLevel::Pipeline(target::COLD_PIPELINE);
    let machine = target::host_machine(opt);
    target::optimise(&module, &machine, opt).map_err(TranslateError::Llvm)?;
    target::emit_object(&module, &machine).map_err(TranslateError::Llvm)
}

/// A program lowered to LLVM IR, ready for the optimiser and code generator.
struct Lowered<'ctx> {
    /// The module, or its hot part, to compile at the requested level.
    module: Module<'ctx>,
    /// The cold part, if the program is larger than the optimisation budget.
    cold: Option<ColdPart>,
    /// The failure sites the code refers to.
    sites: SiteTable,
    /// The number of graphs compiled at the requested level.
    hot_graphs: usize,
}

/// The cold part of a program, compiled with [`target::COLD_PIPELINE`]: the whole program's bitcode and the symbols
/// of the functions defined from it.
struct ColdPart {
    bitcode: Vec<u8>,
    symbols: HashSet<String>,
}

impl ColdPart {
    /// The cold part's module, in `llcx`.
    fn module<'ctx>(&self, llcx: &'ctx Context) -> Result<Module<'ctx>, TranslateError> {
        partition::cold_module(&self.bitcode, llcx, |name| self.symbols.contains(name))
            .map_err(TranslateError::Llvm)
    }
}

/// The hot graphs of `program` at `opt` when it is split into a hot and a cold part (`None`:
/// one module, every graph compiled at `opt`).
fn cold_split(program: &Program, opt: OptLevel) -> Option<partition::HotSet> {
    match opt {
        // Nothing to save at O0: every function is compiled cheaply already.
        OptLevel::O0 => None,
        _ => Some(partition::hot_graphs(program, target::OPTIMISE_BUDGET))
            .filter(|h| !h.is_everything()),
    }
}

/// Lowers `program` into a module of `llcx`, and splits its cold part off when the program
/// is larger than the optimisation budget.
fn lower_modules<'ctx>(
    llcx: &'ctx Context,
    program: &Program,
    layout: &Layout,
    opt: OptLevel,
) -> Result<Lowered<'ctx>, TranslateError> {
    let hot = cold_split(program, opt);
    if hot.is_some() {
        // A program this large is not read as LLVM IR text: the names of its values would
        // only cost time and memory (a tenth of both, at the split).
        // SAFETY: `llcx` is a live context; the flag only affects values created later.
        unsafe { llvm_sys::core::LLVMContextSetDiscardValueNames(llcx.raw(), 1) };
    }
    let module = llcx.create_module("rpy");
    target::configure_module(&module, &target::host_machine(opt));
    let sites = lower::lower_program(llcx, &module, program, layout)?;
    target::without_unwind_tables(llcx, &module);
    let Some(hot) = hot else {
        let hot_graphs = program.graphs.len();
        return Ok(Lowered { module, cold: None, sites, hot_graphs });
    };
    let symbols: HashSet<String> = program
        .graphs
        .iter()
        .filter(|&(g, _)| !hot.contains(g))
        .map(|(_, graph)| names::graph(&graph.name))
        .collect();
    let bitcode = partition::split_off(&module, |name| symbols.contains(name));
    let cold = Some(ColdPart { bitcode, symbols });
    Ok(Lowered { module, cold, sites, hot_graphs: hot.len() })
}

/// The LLVM IR of `program` after the optimisation pipeline of `opt`, as text (the hot then
/// the cold module, for a program larger than the optimisation budget).
pub fn llvm_ir(program: &Program, opt: OptLevel) -> Result<String, TranslateError> {
    let layout = Layout::compute(&program.types);
    let llcx = Context::create();
    let lowered = lower_modules(&llcx, program, &layout, opt)?;
    target::optimise(&lowered.module, &target::host_machine(opt), opt)
        .map_err(TranslateError::Llvm)?;
    let mut text = lowered.module.print_to_string().to_string();
    if let Some(cold) = &lowered.cold {
        text.push_str(&cold.module(&llcx)?.print_to_string().to_string());
    }
    Ok(text)
}

/// Addresses of the runtime state globals of a loaded program.
#[derive(Clone, Copy, Debug)]
pub(crate) struct State {
    pub failed: usize,
    pub depth: usize,
    pub words: usize,
    pub max_depth: usize,
    pub stack_limit: usize,
}

impl State {
    /// Resets the state for an entry call on the current thread, runs it, and returns the
    /// failure it reported, if any.
    ///
    /// # Safety
    /// The addresses are those of a live session's globals; `entry` is the entry wrapper of
    /// `func`'s signature and `io` holds a word per argument then one for the result.
    unsafe fn run(
        self,
        entry: usize,
        func: usize,
        io: *mut u64,
        nargs: usize,
        limit: usize,
    ) -> Option<Pending> {
        *(self.failed as *mut u8) = 0;
        *(self.depth as *mut i64) = -1;
        *(self.words as *mut i64) = 0;
        *(self.stack_limit as *mut u64) = limit as u64;
        runtime::clear_pending();
        let wrapper: unsafe extern "C" fn(usize, *mut u64, *mut u64) = std::mem::transmute(entry);
        wrapper(func, io, io.add(nargs));
        if *(self.failed as *const u8) == 0 {
            return None;
        }
        Some(runtime::take_pending().expect("compiled code failed without reporting why"))
    }
}

/// A translated program: native code for every graph, ready to call.
pub struct Translated {
    /// Shared with a JIT backend made over this (which copies it once it adds graphs).
    pub(crate) program: Rc<Program>,
    layout: Layout,
    session: Rc<Session>,
    pub(crate) sites: SiteTable,
    pub(crate) state: State,
    pub(crate) funcs: Vec<usize>,
    by_addr: HashMap<usize, GraphIdx>,
    pub(crate) entries: Vec<usize>,
    prebuilt: RootBuf,
    pinned: RootBuf,
    /// The free lists of inline allocation (`rpy_rt.free`): scanned, so the objects waiting
    /// there stay allocated.
    _free: RootBuf,
    pub(crate) max_depth: usize,
    stats: CompileStats,
    /// What is logged ([`Options::log`]).
    pub(crate) log: LlvmLog,
}

// SAFETY: nothing in a Translated is tied to a thread: the root buffers are libgc blocks any
// registered thread may use, the session's ORC state is internally synchronised, and calls
// take `&mut self`. The session's and the program's `Rc`s are only cloned by a JIT backend
// owning the Translated (they move together).
unsafe impl Send for Translated {}

impl fmt::Debug for Translated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Translated").field("stats", &self.stats).finish()
    }
}

/// Loads a compiled object into a new session and sets up the program's heap objects.
fn load(
    program: Rc<Program>,
    layout: Layout,
    object: &[u8],
    sites: SiteTable,
    mut stats: CompileStats,
    log: LlvmLog,
) -> Result<Translated, TranslateError> {
    let start = Instant::now();
    gc::register_current_thread();
    let session = Rc::new(Session::new()?);
    session.define_absolute(&runtime::symbols())?;
    let mut free = RootBuf::with_capacity(crate::lower::FREE_CLASSES);
    free.resize(crate::lower::FREE_CLASSES);
    session.define_absolute(&[(names::FREE.to_string(), free.as_mut_ptr() as usize)])?;
    let objects = partition::unpack_objects(object)
        .ok_or_else(|| SessionError("not an object file or a pack of them".into()))?;
    for (i, part) in objects.iter().enumerate() {
        session.add_object(part, &format!("rpy{i}.o"))?;
    }
    let funcs_table = session.lookup(names::FUNCS)?;
    let ngraphs = program.graphs.len();
    // SAFETY: the table holds one address per graph.
    let funcs: Vec<usize> =
        unsafe { std::slice::from_raw_parts(funcs_table as *const usize, ngraphs) }.to_vec();
    if log.wants("perf-map") {
        crate::perf_map::write(&program, &funcs);
    }
    let by_addr =
        funcs.iter().enumerate().map(|(i, &a)| (a, GraphIdx::from_u32(i as u32))).collect();
    let entries = program
        .types
        .sigs()
        .map(|(s, _)| session.lookup(&names::entry(s.as_u32() as usize)))
        .collect::<Result<Vec<_>, _>>()?;
    let state = State {
        failed: session.lookup(names::FAILED)?,
        depth: session.lookup(names::DEPTH)?,
        words: session.lookup(names::WORDS)?,
        max_depth: session.lookup(names::MAX_DEPTH)?,
        stack_limit: session.lookup(names::STACK_LIMIT)?,
    };
    let prebuilt = prebuilt::build(&program, &layout, &funcs);
    let table = session.lookup(names::PREBUILT)?;
    // SAFETY: the table has room for every prebuilt object (at least one slot).
    unsafe {
        std::ptr::copy_nonoverlapping(
            prebuilt.as_slice().as_ptr(),
            table as *mut u64,
            prebuilt.len(),
        )
    };
    stats.link = start.elapsed();
    if log.wants("summary") {
        eprintln!("[backend-llvm] translated: {stats}");
    }
    let mut t = Translated {
        program,
        layout,
        session,
        sites,
        state,
        funcs,
        by_addr,
        entries,
        prebuilt,
        pinned: RootBuf::with_capacity(16),
        _free: free,
        max_depth: DEFAULT_MAX_DEPTH,
        stats,
        log,
    };
    t.set_max_depth(DEFAULT_MAX_DEPTH);
    Ok(t)
}

impl Translated {
    /// Calls graph `g` with `args` on a fresh thread with a large stack (so the depth limit,
    /// not the native stack, bounds recursion, as in llinterp). Output printed by the code is
    /// forwarded to this thread's output (captured, if a capture is active here) and flushed.
    /// Panics if `g` names no graph or the arguments do not fit its parameters.
    pub fn call(&mut self, g: impl GraphRef, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        let host = HostCall::enter();
        let (g, mut io) = self.prepare(g, args);
        let (state, entry, func, nargs) = self.call_target(g, args.len());
        let io_addr = io.as_mut_ptr() as usize;
        let (pending, output) = stack::run_on_big_stack(move || {
            gc::register_current_thread();
            let limit = stack::limit_for_current_thread();
            externs::capture_output_bytes(|| {
                // SAFETY: the session is alive (self is borrowed for the whole call).
                unsafe { state.run(entry, func, io_addr as *mut u64, nargs, limit) }
            })
        });
        externs::write_output(&output);
        externs::flush_output();
        self.finish(&host, g, pending, &io)
    }

    /// Calls graph `g` with `args` on the calling thread, whose stack then bounds recursion
    /// (running out of it is a stack-overflow error). Output is flushed afterwards.
    pub fn call_here(
        &mut self,
        g: impl GraphRef,
        args: &[RtValue],
    ) -> Result<RtValue, RuntimeError> {
        let host = HostCall::enter();
        let (g, mut io) = self.prepare(g, args);
        let (state, entry, func, nargs) = self.call_target(g, args.len());
        gc::register_current_thread();
        let limit = stack::limit_for_current_thread();
        // SAFETY: the session is alive; io has a word per argument and one for the result.
        let pending = unsafe { state.run(entry, func, io.as_mut_ptr(), nargs, limit) };
        externs::flush_output();
        self.finish(&host, g, pending, &io)
    }

    fn call_target(&self, g: GraphIdx, nargs: usize) -> (State, usize, usize, usize) {
        let sig = self.program.graph_sig(g);
        (self.state, self.entries[sig.as_u32() as usize], self.funcs[g.as_u32() as usize], nargs)
    }

    /// Checks the arguments and puts them in a scanned buffer with a slot for the result.
    fn prepare(&self, g: impl GraphRef, args: &[RtValue]) -> (GraphIdx, RootBuf) {
        let g = g.resolve(&self.program).expect("no such graph in the program");
        let graph = &self.program.graphs[g];
        graph.assert_arity(args.len());
        let mut io = RootBuf::with_capacity(args.len() + 1);
        io.resize(args.len() + 1);
        for (i, (a, &ty)) in args.iter().zip(&graph.params).enumerate() {
            io.set(i, self.word_of_value(*a, ty, i, &graph.name));
        }
        (g, io)
    }

    /// The call's result: its failure, or the uncaught exception it leaves (the outermost
    /// host call's check, [`HostCall::finish`]), or its value.
    fn finish(
        &self,
        host: &HostCall,
        g: GraphIdx,
        pending: Option<Pending>,
        io: &RootBuf,
    ) -> Result<RtValue, RuntimeError> {
        if let Some(p) = pending {
            let (program, layout, sites) = (&self.program, &self.layout, &self.sites);
            return Err(errors::runtime_error(program, layout, sites, p, g, self.max_depth));
        }
        let graph = &self.program.graphs[g];
        let value = Ok(self.value_of_word(io.get(io.len() - 1), graph.ret));
        host.finish(value, &self.program, &self.layout, self.prebuilt.as_slice(), &graph.name)
    }

    /// The addresses of the prebuilt objects, by index.
    pub(crate) fn prebuilt_words(&self) -> &[u64] {
        self.prebuilt.as_slice()
    }

    pub(crate) fn word_of_value(&self, v: RtValue, ty: Ty, i: usize, name: &str) -> u64 {
        let bad = || -> ! {
            panic!("argument {i} of {name}: {v:?} is not a {}", self.program.types.display(ty))
        };
        let func = match (v, ty) {
            (RtValue::Ref(p), Ty::Func(_)) if p.is_null() => return 0,
            (RtValue::Func(g), Ty::Func(_)) => self.funcs.get(g.as_u32() as usize).copied(),
            (v, ty) if v.fits(ty) => None,
            _ => bad(),
        };
        v.to_word(|_| func.unwrap_or_else(|| bad()) as u64)
    }

    pub(crate) fn value_of_word(&self, w: u64, ty: Ty) -> RtValue {
        RtValue::from_word(w, ty, |w| self.by_addr.get(&(w as usize)).copied())
            .unwrap_or_else(|| panic!("compiled code returned {w:#x}, which is no graph's address"))
    }

    /// Sets the limit on nested calls (beyond it a call fails with StackOverflow).
    pub fn set_max_depth(&mut self, depth: usize) {
        self.max_depth = depth.max(1);
        // SAFETY: the global of the live session.
        unsafe { *(self.state.max_depth as *mut i64) = self.max_depth as i64 };
    }

    /// The program translated.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The heap layout used.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// What the translation cost and produced.
    pub fn stats(&self) -> &CompileStats {
        &self.stats
    }

    /// The address of graph `g`'s compiled function (its signature's C ABI, see
    /// [`crate::lower`]); not callable directly unless the runtime state is set up.
    pub fn function_address(&self, g: GraphIdx) -> usize {
        self.funcs[g.as_u32() as usize]
    }

    /// The session holding the code.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, shared (with the flexswitch runtime of a JIT that owns this program and
    /// moves with it: see the `Send` note above).
    pub(crate) fn shared_session(&self) -> &Rc<Session> {
        &self.session
    }

    /// The address of a prebuilt object.
    pub fn prebuilt(&self, p: PrebuiltIdx) -> RtValue {
        RtValue::Ref(self.prebuilt.get(p.as_u32() as usize) as usize as *mut u8)
    }

    /// A new `str` holding the code points of `text`, kept alive as long as this program.
    pub fn alloc_str(&mut self, text: &str) -> RtValue {
        self.pin(heap::new_str(text))
    }

    /// A new `str` with one code point per byte (binary data such as bytecode), kept alive as
    /// long as this program.
    pub fn alloc_str_latin1(&mut self, bytes: &[u8]) -> RtValue {
        self.pin(heap::new_str_latin1(bytes))
    }

    fn pin(&mut self, s: RtValue) -> RtValue {
        if let RtValue::Ref(p) = s {
            self.pinned.push(p as u64);
        }
        s
    }
}
