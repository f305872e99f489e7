//! The JIT's code generator: timeshift's [`Backend`] on LLVM.
//!
//! A [`JitBackend`] owns a [`Translated`] interpreter (the program's graphs compiled once, from
//! the object cache when there is one) and adds the residual graphs the JIT makes, as modules
//! of their own, to the same ORC session ([`crate::lower::lower_residual`]): residual code
//! calls the interpreter's functions directly and shares its runtime state and prebuilt
//! objects.
//!
//! - *Batches*: [`Backend::compile`], [`Backend::replace`] and [`Backend::add_case`] only
//!   record the work; every way into compiled code first compiles what waits (`Jit::flush`),
//!   so one module holds what one event of the JIT made (a compilation, the entry graphs it
//!   installed, a case and its owner compiled again). A module costs about a millisecond of
//!   fixed LLVM work at O0, more than most residual graphs themselves.
//! - *Tiers*: residual graphs are compiled at O0 ([`JitOptions::first`]) with counters: calls
//!   at the entry, iterations at loop back edges. A graph called [`JitOptions::hot_calls`]
//!   times is compiled again at the hot tier ([`OptLevel::Lean`]) for later calls; a loop that
//!   runs [`JitOptions::hot_loops`] iterations continues in hot code entering the graph at the
//!   loop head (on-stack replacement: the back edge tail-calls it with the loop's values). Hot
//!   code is compiled on a thread of its own ([`crate::background`]) while the first tier's
//!   code goes on; its counters then ask every so often whether it is ready.
//! - *Deferred recompilation*: a flexswitch owner's first-tier code reaches the cases met
//!   through its switch; its version with the cases inline is only made
//!   ([`Backend::inlines_when_hot`], `MissHook::refresh`) and compiled when the graph is hot:
//!   most owners never are, and the first tier then pays for each case alone.
//! - *Tiered interpreter*: [`JitBackend::with_merge_entry`] answers the `jit_merge` ops of an
//!   interpreter translated from `timeshift::tiering::tiered` (counters per green key in the
//!   translated code; the JIT asked every [`MERGE_INTERVAL`] visits).
//!
//! - *Slots*: each residual graph has a word holding the address of its current code. Calls
//!   between residual graphs, entry calls and flexswitch cases go through it, so a graph
//!   compiled again ([`Backend::replace`]) is reached by every caller; old code stays (a frame
//!   may still run in it) and is freed with the session.
//! - *Flexswitches*: every `jit_hook #N` of a residual graph is the site of switch N of the
//!   backend's [`FlexRuntime`] (created when a graph first holds it; a recompiled owner keeps
//!   the switch and its cases). A miss calls the JIT's hook, which compiles the case, installs
//!   it ([`Backend::add_case`]: the next time the value goes straight to the case) and runs the
//!   rest of the portal call; the site returns that result.
//! - *Calls*: [`Backend::call`] enters residual code through an entry wrapper; a call made
//!   while compiled code is running (the hook runs the case from inside a site) saves and
//!   restores the runtime state around it. A failure inside a hook's nested call reaches the
//!   outer call as the same [`RuntimeError`].
//! - *Tail calls*: residual graphs use LLVM's `tailcc`; calls (and flexswitch cases) in tail
//!   position are tail calls, so a loop closing through graphs runs in constant stack.
//!
//! Compile-time figures accumulate in [`JitStats`].

use crate::background::{Background, Ticket};
use crate::errors::{self, SiteTable};
use crate::flexswitch::{FlexId, FlexOptions, FlexRuntime, Miss, MissAction, Site};
use crate::lower::{self, names, Residual};
use crate::runtime;
use crate::session::SessionError;
use crate::stack;
use crate::target::{self, OptLevel};
use crate::translated::Translated;
use inkwell::context::Context;
use inkwell::targets::TargetMachine;
use rpy_ir::externs;
use rpy_ir::gc::{self, RootBuf};
use rpy_ir::ir::{Aux, Graph, GraphIdx, Program};
use rpy_ir::llinterp::{RtValue, RuntimeError};
use rpy_ir::ops::Opcode;
use rpy_ir::types::{Sig, SigIdx, Ty};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use timeshift::backend::{Backend, Hook};

/// What compiling residual code has cost so far.
#[derive(Clone, Debug, Default)]
pub struct JitStats {
    /// Modules compiled (a module holds the graphs of one event of the JIT).
    pub modules: usize,
    /// Residual graphs compiled (recompilations included).
    pub graphs: usize,
    /// Of those, compilations at the hot tier.
    pub hot: usize,
    /// IR ops in them.
    pub ops: usize,
    /// Building LLVM IR.
    pub lower: Duration,
    /// The optimisation pipeline.
    pub optimise: Duration,
    /// Code generation.
    pub codegen: Duration,
    /// Linking and symbol lookup.
    pub link: Duration,
    /// Object code produced, in bytes.
    pub object_bytes: usize,
}

impl JitStats {
    /// Total time spent in LLVM for residual code.
    pub fn total(&self) -> Duration {
        self.lower + self.optimise + self.codegen + self.link
    }
}

/// A flexswitch of residual code: the runtime's switch and the type of the value switched on.
#[derive(Clone)]
struct Hooked {
    id: FlexId,
    value_ty: Ty,
}

/// A module lowered and waiting for its object file (see [`Jit::link_batch`]).
struct Batch {
    name: String,
    fns: Vec<lower::ResidualFn>,
    /// Signatures whose entry wrappers the module defines.
    new_sigs: Vec<SigIdx>,
    graphs: Vec<GraphIdx>,
    opt: OptLevel,
    counted: bool,
    /// Time spent lowering.
    lower: Duration,
}

/// The backend's mutable state.
struct Inner {
    /// The interpreter's graphs and every residual graph.
    program: Rc<Program>,
    /// The failure sites of the interpreter and of every residual module.
    sites: SiteTable,
    /// Each residual graph's slot (boxed: compiled code embeds its address).
    slots: HashMap<GraphIdx, Box<AtomicUsize>>,
    /// Times each residual graph was compiled (its functions are `NAME.vK`).
    versions: HashMap<GraphIdx, u32>,
    /// Tier-up counters of each first-tier compilation (by its number): calls, then one per
    /// block for the iterations of the loop headed there (boxed: code embeds them).
    counters: HashMap<u64, Box<[AtomicI64]>>,
    /// Graphs found hot (their next compilation is at the hot tier).
    hot: std::collections::HashSet<GraphIdx>,
    /// Graphs compiled again at the hot tier because their calls were hot.
    recompiled_hot: std::collections::HashSet<GraphIdx>,
    /// Graphs made or replaced since the last flush ([`Jit::flush`]), in order.
    pending: Vec<GraphIdx>,
    /// Flexswitch cases to install at the next flush: (hook, value, case graph).
    pending_cases: Vec<(u32, i64, GraphIdx)>,
    /// First-tier compilations, by the number their tier-up calls pass: the graph and the
    /// version compiled (a graph may have been replaced since).
    tiered: Vec<(GraphIdx, Rc<Graph>)>,
    /// Code entering a first-tier compilation's graph at a loop head, compiled at the hot
    /// tier: (compilation, loop head) -> address, or 0 if that failed.
    osr: HashMap<(u64, u32), usize>,
    /// Such code being compiled on the compile thread.
    osr_jobs: HashMap<(u64, u32), (Ticket, Batch)>,
    /// Why a graph has no code (its compilation failed; its slot holds a stub that fails).
    no_code: HashMap<GraphIdx, String>,
    /// Graphs with hot calls being compiled again on the compile thread, with the version
    /// that will be.
    call_jobs: HashMap<GraphIdx, (Ticket, Batch, u32)>,
    hooks: HashMap<u32, Hooked>,
    /// Signatures with a tailcc entry wrapper, and the wrapper's address.
    tail_entries: HashMap<SigIdx, usize>,
    stats: JitStats,
}

/// How residual code is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitOptions {
    /// The level of a graph's first compilation.
    pub first: OptLevel,
    /// The level hot code is compiled at again (`None`: never).
    pub hot: Option<OptLevel>,
    /// Calls of a graph that make it hot (it is compiled again for later calls).
    pub hot_calls: u64,
    /// Iterations of a graph's loops (edges back to a loop head) that make them hot (the
    /// running loop continues in code compiled again from its head).
    pub hot_loops: u64,
    /// Compile hot loops on a thread of their own while the first tier's code goes on (it
    /// continues in the new code at a back edge once it is ready); otherwise the loop waits
    /// for its code.
    pub background: bool,
    /// For tests: a batch holding a graph whose name contains this fails to compile (what an
    /// LLVM error would do).
    #[doc(hidden)]
    pub fail_compiling: Option<&'static str>,
}

/// Loop iterations after which a loop of residual code continues in code compiled at the hot
/// tier. A hot compilation of a residual loop costs 5 to 15 ms here (measured with
/// `RPY_LLVM_LOG=jit`; [`OptLevel::Lean`]); an O0 iteration of TLC factorial's loop costs
/// 7.5 ns against 0.05 ns hot (runs of 10^5, 2 * 10^5 and 4 * 10^5 iterations). Waiting for
/// the code, a loop would pay for it after about 10^6 iterations (the ski-rental balance);
/// compiled on the compile thread ([`JitOptions::background`]) it costs the loop nothing, so
/// the threshold only keeps loops that end soon off that thread: 10^5 iterations are 0.75 ms
/// of factorial's loop.
pub const DEFAULT_HOT_LOOPS: u64 = 100_000;

/// Calls after which a residual graph is compiled again at the hot tier for later calls (its
/// code so far ran at O0). A call of a residual graph runs 10 ns to a few µs of O0 code, about
/// half of which the hot tier saves, so 10^4 calls lose a few ms before a hot compilation of
/// about the same cost: the ski-rental balance for the graphs TLC makes (kept with the compile
/// thread, which then spends its time on code that pays). (Not the driver's `hot_calls`,
/// which counts portal calls of one green key.)
pub const DEFAULT_HOT_CALLS: u64 = 10_000;

impl JitOptions {
    /// The defaults, with the thresholds and the compile thread as the environment sets them
    /// (for tuning and for stress tests): `RPY_JIT_HOT_CALLS`, `RPY_JIT_HOT_LOOPS` (numbers),
    /// `RPY_JIT_BACKGROUND=0` (hot code compiled as the code waits).
    pub fn from_env() -> JitOptions {
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        let d = JitOptions::default();
        JitOptions {
            hot_calls: number("RPY_JIT_HOT_CALLS").unwrap_or(d.hot_calls),
            hot_loops: number("RPY_JIT_HOT_LOOPS").unwrap_or(d.hot_loops),
            background: std::env::var("RPY_JIT_BACKGROUND").map_or(true, |v| v != "0"),
            ..d
        }
    }
}

impl Default for JitOptions {
    fn default() -> JitOptions {
        JitOptions {
            first: OptLevel::O0,
            hot: Some(OptLevel::Lean),
            hot_calls: DEFAULT_HOT_CALLS,
            hot_loops: DEFAULT_HOT_LOOPS,
            background: true,
            fail_compiling: None,
        }
    }
}

/// timeshift's [`Backend`] on LLVM: see the module documentation.
pub struct JitBackend {
    /// Boxed: compiled code embeds its address (tier-up calls).
    jit: Box<Jit>,
}

struct Jit {
    translated: Translated,
    flex: FlexRuntime,
    options: JitOptions,
    /// A target machine per optimisation level used.
    machines: RefCell<Vec<(OptLevel, Rc<TargetMachine>)>>,
    inner: RefCell<Inner>,
    /// Entry calls running (nested ones come from flexswitch hooks).
    active: Cell<usize>,
    /// The error of a failed hook, for the entry call that ran it.
    error: RefCell<Option<RuntimeError>>,
    /// Serial of this backend's symbols (several backends may share a process).
    serial: u64,
    /// The compile thread of hot loops ([`JitOptions::background`]).
    background: Option<Background>,
    /// The driver's hook while compiled code runs ([`Backend::call`]), for tier-ups to ask
    /// for a graph's cases inline first ([`timeshift::backend::MissHook::refresh`]).
    hook: Cell<Option<Hook<'static, GraphIdx>>>,
}

static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Iterations of a hot loop between two looks at whether its code compiled on the compile
/// thread is ready (about 0.1 ms of first-tier code).
const OSR_POLL: i64 = 10_000;

/// Calls of a hot graph between two looks at whether its code compiled on the compile thread
/// is ready.
const CALL_POLL: i64 = 100;

/// Visits of a `jit_merge` counter between two calls into the JIT for keys not hot yet.
pub const MERGE_INTERVAL: u64 = 64;

/// What a tiered interpreter's `jit_merge` asks the JIT: the merge point's values (greens,
/// then reds) and how many visits the call stands for; the portal call's result if the JIT
/// ran it.
pub type MergeEntry<'h> = dyn Fn(&[RtValue], u64) -> Result<Option<RtValue>, RuntimeError> + 'h;

impl JitBackend {
    /// A backend over `translated` (the interpreter the JIT was generated from), compiling
    /// residual code as `options` say.
    pub fn new(translated: Translated, options: JitOptions) -> JitBackend {
        JitBackend { jit: Box::new(Jit::new(translated, options)) }
    }

    /// Runs `f` (which calls the translated interpreter, a tiered one: see
    /// `timeshift::tiering`) with its `jit_merge` ops answered by `entry`: `types` are the
    /// types of the merge point's values, `ret` the portal's result type.
    pub fn with_merge_entry<R>(
        &self,
        types: &[Ty],
        ret: Ty,
        entry: &MergeEntry<'_>,
        f: impl FnOnce() -> R,
    ) -> R {
        let t = &self.jit.translated;
        let handler = |words: &[u64]| {
            let values: Vec<RtValue> =
                words.iter().zip(types).map(|(&w, &ty)| t.value_of_word(w, ty)).collect();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                entry(&values, MERGE_INTERVAL)
            }))
            .unwrap_or_else(|_| Err(internal("the JIT panicked at a merge point".into())));
            match outcome {
                Ok(None) => runtime::MergeOutcome::Declined { wait: MERGE_INTERVAL as i64 },
                Ok(Some(RtValue::Void)) => runtime::MergeOutcome::Entered(0),
                Ok(Some(v)) => {
                    runtime::MergeOutcome::Entered(t.word_of_value(v, ret, 0, "the JIT's result"))
                }
                Err(e) => {
                    *self.jit.error.borrow_mut() = Some(e);
                    runtime::MergeOutcome::Failed
                }
            }
        };
        runtime::with_merge_handler(&handler, f)
    }

    /// The translated interpreter.
    pub fn translated(&self) -> &Translated {
        &self.jit.translated
    }

    /// What compiling residual code has cost so far.
    pub fn stats(&self) -> JitStats {
        self.jit.inner.borrow().stats.clone()
    }

    /// The flexswitch runtime (for statistics).
    pub fn flex(&self) -> &FlexRuntime {
        &self.jit.flex
    }

    /// The LLVM IR (after the optimisation pipeline of `opt`) of residual graph `g` as it
    /// is now.
    pub fn llvm_ir(&self, g: GraphIdx, opt: OptLevel) -> Result<String, String> {
        self.jit.llvm_ir(g, opt)
    }
}

impl Jit {
    fn new(translated: Translated, options: JitOptions) -> Jit {
        let flex = FlexRuntime::new(Rc::clone(translated.shared_session()), FlexOptions::default());
        let inner = Inner {
            program: Rc::new(translated.program().clone()),
            sites: translated.sites.clone(),
            slots: HashMap::new(),
            versions: HashMap::new(),
            counters: HashMap::new(),
            hot: Default::default(),
            recompiled_hot: Default::default(),
            tiered: Vec::new(),
            osr: HashMap::new(),
            osr_jobs: HashMap::new(),
            call_jobs: HashMap::new(),
            no_code: HashMap::new(),
            pending: Vec::new(),
            pending_cases: Vec::new(),
            hooks: HashMap::new(),
            tail_entries: HashMap::new(),
            stats: JitStats::default(),
        };
        Jit {
            translated,
            flex,
            options,
            machines: RefCell::new(Vec::new()),
            inner: RefCell::new(inner),
            active: Cell::new(0),
            error: RefCell::new(None),
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            background: if options.background { Background::start() } else { None },
            hook: Cell::new(None),
        }
    }

    fn machine(&self, opt: OptLevel) -> Rc<TargetMachine> {
        let mut machines = self.machines.borrow_mut();
        if let Some((_, m)) = machines.iter().find(|(o, _)| *o == opt) {
            return Rc::clone(m);
        }
        let m = Rc::new(target::host_machine(opt));
        machines.push((opt, Rc::clone(&m)));
        m
    }

    fn llvm_ir(&self, g: GraphIdx, opt: OptLevel) -> Result<String, String> {
        self.flush()?;
        {
            // A graph replaced while its first-tier code stays may hold switches not made yet.
            let mut inner = self.inner.borrow_mut();
            let program = Rc::clone(&inner.program);
            self.create_switches(&mut inner, &program.graphs[g])?;
        }
        let inner = self.inner.borrow();
        let llcx = Context::create();
        let module = llcx.create_module("residual");
        let residual = self.residual_cx(&inner, Vec::new());
        let machine = self.machine(opt);
        let f = lower::ResidualFn { graph: g, symbol: "rpy_ir_dump".into(), tier: None };
        self.lower_into(&llcx, &module, &machine, &inner, &[f], &residual).map(|_| ())?;
        target::optimise(&module, &machine, opt)?;
        Ok(module.print_to_string().to_string())
    }

    fn residual_cx(&self, inner: &Inner, tail_entries: Vec<SigIdx>) -> Residual {
        Residual {
            first_residual: self.translated.program().graphs.len(),
            slots: inner
                .slots
                .iter()
                .map(|(g, s)| (*g, &**s as *const AtomicUsize as usize))
                .collect(),
            hooks: inner
                .hooks
                .iter()
                .map(|(n, h)| (*n, self.flex.site(h.id)))
                .collect::<HashMap<u32, Site>>(),
            tail_entries,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_into<'ctx>(
        &self,
        llcx: &'ctx Context,
        module: &inkwell::module::Module<'ctx>,
        machine: &TargetMachine,
        inner: &Inner,
        fns: &[lower::ResidualFn],
        residual: &Residual,
    ) -> Result<SiteTable, String> {
        target::configure_module(module, machine);
        lower::lower_residual(
            llcx,
            module,
            &inner.program,
            self.translated.layout(),
            fns,
            residual,
            inner.sites.clone(),
        )
        .map_err(|e| e.to_string())
    }

    /// Creates the flexswitches of `graph`'s `jit_hook`s that have none yet.
    fn create_switches(&self, inner: &mut Inner, graph: &Graph) -> Result<(), String> {
        for op in graph.ops.values() {
            let (Opcode::JitHook, Aux::Hook(n)) = (op.opcode, &op.aux) else { continue };
            if inner.hooks.contains_key(n) {
                continue;
            }
            let program = Rc::clone(&inner.program);
            let ty = |v: &rpy_ir::ir::Value| graph.value_ty(*v, &program);
            let (value, live) =
                op.args.split_first().ok_or_else(|| format!("jit_hook #{n} without a value"))?;
            let sig = Sig { params: live.iter().map(ty).collect(), ret: graph.ret };
            let id = self.flex.create(sig, *n as u64);
            inner.hooks.insert(*n, Hooked { id, value_ty: ty(value) });
        }
        Ok(())
    }

    /// Compiles the graphs waiting for code (made or replaced since the last flush), one module
    /// per level (graphs hot already at the hot tier, the others at the first), and points
    /// their slots at the new code. Every way into compiled code flushes first, so a batch
    /// holds everything one event of the JIT made (a compilation and the entry graphs it
    /// installed) for the price of one module.
    fn flush(&self) -> Result<(), String> {
        let pending = std::mem::take(&mut self.inner.borrow_mut().pending);
        if pending.is_empty() && self.inner.borrow().pending_cases.is_empty() {
            return Ok(());
        }
        let (hot, first): (Vec<GraphIdx>, Vec<GraphIdx>) = {
            let inner = self.inner.borrow();
            pending.iter().partition(|g| inner.hot.contains(g) && self.options.hot.is_some())
        };
        let counted = self.options.hot.is_some();
        let batches = [
            (first, self.options.first, counted),
            (hot, self.options.hot.unwrap_or(self.options.first), false),
        ];
        let mut failed = None;
        for (graphs, level, counted) in batches {
            if graphs.is_empty() {
                continue;
            }
            match self.compile_batch(&graphs, level, counted) {
                Ok(addrs) => {
                    for (g, addr) in graphs.into_iter().zip(addrs) {
                        let old = self.inner.borrow().slots[&g].swap(addr, Ordering::AcqRel);
                        self.flex.retarget(old, addr);
                    }
                }
                Err(e) => {
                    self.stub_out(&graphs, &e);
                    failed.get_or_insert(e);
                }
            }
        }
        let cases = std::mem::take(&mut self.inner.borrow_mut().pending_cases);
        for (hook, value, case) in cases {
            let (id, addr) = {
                let inner = self.inner.borrow();
                let addr = inner.slots.get(&case).map_or(0, |s| s.load(Ordering::Acquire));
                (inner.hooks[&hook].id, addr)
            };
            if addr != 0 {
                self.flex.add_case(id, value, addr).map_err(|e| e.to_string())?;
            }
        }
        failed.map_or(Ok(()), Err)
    }

    /// Points the slots of `graphs` that have no code (a batch that failed to compile: a bug)
    /// at stubs that fail with `why` when called ([`lower::lower_stubs`]): code compiled
    /// before may call them through their slots. Graphs that had code keep it.
    fn stub_out(&self, graphs: &[GraphIdx], why: &str) {
        let missing: Vec<GraphIdx> = {
            let mut inner = self.inner.borrow_mut();
            for &g in graphs {
                inner.slots.entry(g).or_insert_with(|| Box::new(AtomicUsize::new(0)));
            }
            let missing: Vec<GraphIdx> = graphs
                .iter()
                .copied()
                .filter(|g| inner.slots[g].load(Ordering::Acquire) == 0)
                .collect();
            for &g in &missing {
                inner.no_code.insert(g, why.to_string());
            }
            missing
        };
        if missing.is_empty() {
            return;
        }
        let result = (|| {
            let inner = self.inner.borrow();
            let stubs: Vec<(GraphIdx, String)> = missing
                .iter()
                .map(|&g| {
                    (g, format!("rpy_jit{}.{}.stub", self.serial, inner.program.graphs[g].name))
                })
                .collect();
            let machine = self.machine(OptLevel::O0);
            let llcx = Context::create();
            let module = llcx.create_module(&stubs[0].1);
            target::configure_module(&module, &machine);
            let residual = self.residual_cx(&inner, Vec::new());
            let (layout, program) = (self.translated.layout(), &inner.program);
            let no_code = no_code as *const () as usize;
            let jit = self as *const Jit as usize;
            lower::lower_stubs(&llcx, &module, program, layout, &residual, &stubs, no_code, jit)
                .map_err(|e| e.to_string())?;
            let object = target::emit_object(&module, &machine)?;
            let session = self.translated.session();
            session.add_object(&object, &stubs[0].1).map_err(|e| e.to_string())?;
            stubs
                .iter()
                .map(|(g, sym)| Ok((*g, session.lookup(sym).map_err(|e| e.to_string())?)))
                .collect::<Result<Vec<_>, String>>()
        })();
        match result {
            Ok(addrs) => {
                let inner = self.inner.borrow();
                for (g, addr) in addrs {
                    inner.slots[&g].store(addr, Ordering::Release);
                }
            }
            Err(e) => {
                eprintln!("warning: residual graphs without code, and no stubs for them: {e}")
            }
        }
    }

    /// Compiles graph `g` at `opt` now (with tier-up counting if `counted`) and returns the
    /// code's address.
    fn compile_at(&self, g: GraphIdx, opt: OptLevel, counted: bool) -> Result<usize, String> {
        Ok(self.compile_batch(&[g], opt, counted)?[0])
    }

    /// Compiles `graphs` into one module at `opt` (with tier-up counting if `counted`) and
    /// returns their code's addresses.
    fn compile_batch(
        &self,
        graphs: &[GraphIdx],
        opt: OptLevel,
        counted: bool,
    ) -> Result<Vec<usize>, String> {
        if let Some(pattern) = self.options.fail_compiling {
            let inner = self.inner.borrow();
            if graphs.iter().any(|&g| inner.program.graphs[g].name.contains(pattern)) {
                return Err(format!("compiling a graph named *{pattern}* fails (test option)"));
            }
        }
        let llcx = Context::create();
        let (module, batch) = self.lower_batch(&llcx, graphs, opt, counted, true)?;
        let machine = self.machine(opt);
        let start = Instant::now();
        target::optimise(&module, &machine, opt)?;
        let optimised = Instant::now();
        if crate::translated::log_enabled("jit-opt-ir") {
            eprintln!("{}", module.print_to_string().to_string());
        }
        let object = target::emit_object(&module, &machine)?;
        self.link_batch(batch, &object, optimised - start, optimised.elapsed())
    }

    /// Lowers `graphs` into a module of `llcx` to be compiled at `opt` (with tier-up counting
    /// if `counted`; with entry wrappers for signatures that have none yet if `entries`), and
    /// records their failure sites.
    fn lower_batch<'ctx>(
        &self,
        llcx: &'ctx Context,
        graphs: &[GraphIdx],
        opt: OptLevel,
        counted: bool,
        entries: bool,
    ) -> Result<(inkwell::module::Module<'ctx>, Batch), String> {
        let mut inner = self.inner.borrow_mut();
        let program = Rc::clone(&inner.program);
        let mut fns = Vec::new();
        let mut new_sigs = Vec::new();
        for &g in graphs {
            let graph = &program.graphs[g];
            self.create_switches(&mut inner, graph)?;
            inner.slots.entry(g).or_insert_with(|| Box::new(AtomicUsize::new(0)));
            let version = {
                let v = inner.versions.entry(g).or_insert(0);
                *v += 1;
                *v
            };
            let sig = program.graph_sig(g);
            if entries && !inner.tail_entries.contains_key(&sig) && !new_sigs.contains(&sig) {
                new_sigs.push(sig);
            }
            let code = inner.tiered.len() as u64;
            if counted {
                inner.tiered.push((g, Rc::new(graph.clone())));
            }
            let tier = counted.then(|| {
                let limit = |n: u64| n.min(i64::MAX as u64) as i64;
                let counters: Box<[AtomicI64]> = std::iter::once(self.options.hot_calls)
                    .chain(graph.blocks.keys().map(|_| self.options.hot_loops))
                    .map(|n| AtomicI64::new(limit(n)))
                    .collect();
                let counters = inner.counters.entry(code).or_insert(counters);
                lower::Tier {
                    counters: counters.as_ptr() as usize,
                    tier_up: tier_up as *const () as usize,
                    jit: self as *const Jit as usize,
                    code,
                }
            });
            let symbol = format!("rpy_jit{}.{}.{g}.v{version}", self.serial, graph.name);
            fns.push(lower::ResidualFn { graph: g, symbol, tier });
        }
        let residual = self.residual_cx(&inner, new_sigs.clone());
        let machine = self.machine(opt);
        let name = fns[0].symbol.clone();
        let start = Instant::now();
        let module = llcx.create_module(&name);
        inner.sites = self.lower_into(llcx, &module, &machine, &inner, &fns, &residual)?;
        if crate::translated::log_enabled("jit-ir") {
            eprintln!("{}", module.print_to_string().to_string());
        }
        let batch = Batch {
            name,
            fns,
            new_sigs,
            graphs: graphs.to_vec(),
            opt,
            counted,
            lower: start.elapsed(),
        };
        Ok((module, batch))
    }

    /// Links the object file of `batch` (compiled in `optimise` + `codegen`) into the session
    /// and returns its graphs' code addresses.
    fn link_batch(
        &self,
        batch: Batch,
        object: &[u8],
        optimise: Duration,
        codegen: Duration,
    ) -> Result<Vec<usize>, String> {
        let Batch { name, fns, new_sigs, graphs, opt, counted, lower } = batch;
        let start = Instant::now();
        let session = self.translated.session();
        let link = |e: SessionError| format!("linking {name}: {e}");
        session.add_object(object, &name).map_err(link)?;
        let addrs = fns
            .iter()
            .map(|f| session.lookup(&f.symbol))
            .collect::<Result<Vec<_>, _>>()
            .map_err(link)?;
        let mut inner = self.inner.borrow_mut();
        for sig in new_sigs {
            let entry = session.lookup(&names::tail_entry(sig.as_u32() as usize)).map_err(link)?;
            inner.tail_entries.insert(sig, entry);
        }
        let linked = start.elapsed();
        let ops: usize = graphs.iter().map(|&g| inner.program.graphs[g].op_count()).sum();
        if crate::translated::log_enabled("jit") {
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let names: Vec<&str> =
                graphs.iter().map(|&g| inner.program.graphs[g].name.as_str()).collect();
            eprintln!(
                "[backend-llvm] {} ({}): {ops} ops, lower {:.2} ms, optimise {:.2} ms, codegen \
                 {:.2} ms, link {:.2} ms, {} bytes",
                names.join(" "),
                opt.name(),
                ms(lower),
                ms(optimise),
                ms(codegen),
                ms(linked),
                object.len()
            );
        }
        let hot_tier = Some(opt) == self.options.hot && !counted && opt != self.options.first;
        let s = &mut inner.stats;
        s.modules += 1;
        s.graphs += graphs.len();
        s.hot += graphs.len() * usize::from(hot_tier);
        s.ops += ops;
        s.lower += lower;
        s.optimise += optimise;
        s.codegen += codegen;
        s.link += linked;
        s.object_bytes += object.len();
        Ok(addrs)
    }

    /// Graph `g` (whose calls are hot) compiled again at the hot tier, for later calls: on the
    /// compile thread if there is one (`Some(0)` until it is ready), else now. `None`: nothing
    /// more to do (done before, or a result made stale by a newer version of the graph
    /// compiled meanwhile). An error once, then `None`: the first tier's code goes on.
    fn hot_code(&self, g: GraphIdx, level: OptLevel) -> Result<Option<usize>, String> {
        let job = self.inner.borrow_mut().call_jobs.remove(&g);
        if let Some((ticket, batch, version)) = job {
            let Some(compiled) = ticket.take() else {
                self.inner.borrow_mut().call_jobs.insert(g, (ticket, batch, version));
                return Ok(Some(0));
            };
            if self.inner.borrow().versions.get(&g) != Some(&version) {
                return Ok(None);
            }
            let c = compiled?;
            return Ok(Some(self.link_batch(batch, &c.object, c.optimise, c.codegen)?[0]));
        }
        if self.inner.borrow().recompiled_hot.contains(&g) {
            return Ok(None);
        }
        // The version with the cases met inline, put off until now (while `g` is not hot yet,
        // so the replacement only changes the program).
        if let Some(hook) = self.hook.get() {
            if hook.refresh(&g) {
                // The new version may call entry graphs made with it: they get code first.
                self.flush()?;
            }
        }
        {
            let mut inner = self.inner.borrow_mut();
            inner.hot.insert(g);
            inner.recompiled_hot.insert(g);
        }
        let Some(background) = &self.background else {
            return self.compile_at(g, level, false).map(Some);
        };
        let llcx = Context::create();
        let (module, batch) = self.lower_batch(&llcx, &[g], level, false, false)?;
        let ticket = background.submit(&module, level);
        let mut inner = self.inner.borrow_mut();
        let version = inner.versions[&g];
        inner.call_jobs.insert(g, (ticket, batch, version));
        Ok(Some(0))
    }

    /// Code entering first-tier compilation `code`'s graph at loop head `head`, compiled at
    /// the hot tier: a copy of that graph whose entry jumps to `head` with its parameters.
    /// `None` while it is being compiled on the compile thread.
    fn osr_code(&self, code: u64, head: u32, level: OptLevel) -> Result<Option<usize>, String> {
        if let Some(&addr) = self.inner.borrow().osr.get(&(code, head)) {
            return if addr == 0 {
                Err("its compilation failed before".into())
            } else {
                Ok(Some(addr))
            };
        }
        let job = self.inner.borrow_mut().osr_jobs.remove(&(code, head));
        let result = match job {
            Some((ticket, batch)) => match ticket.take() {
                None => {
                    self.inner.borrow_mut().osr_jobs.insert((code, head), (ticket, batch));
                    return Ok(None);
                }
                Some(compiled) => compiled
                    .and_then(|c| Ok(self.link_batch(batch, &c.object, c.optimise, c.codegen)?[0])),
            },
            None => match self.osr_graph(code, head) {
                Ok(osr) => match &self.background {
                    Some(background) => {
                        let llcx = Context::create();
                        // No entry wrapper: the code is only reached from its loop's back edge.
                        let (module, batch) =
                            self.lower_batch(&llcx, &[osr], level, false, false)?;
                        let ticket = background.submit(&module, level);
                        self.inner.borrow_mut().osr_jobs.insert((code, head), (ticket, batch));
                        return Ok(None);
                    }
                    None => self.compile_at(osr, level, false),
                },
                Err(e) => Err(e),
            },
        };
        let addr = *result.as_ref().unwrap_or(&0);
        self.inner.borrow_mut().osr.insert((code, head), addr);
        result.map(Some)
    }

    /// Adds the graph of [`Jit::osr_code`] to the program.
    fn osr_graph(&self, code: u64, head: u32) -> Result<GraphIdx, String> {
        let source = self.inner.borrow().tiered.get(code as usize).map(|(_, g)| Rc::clone(g));
        let mut graph = (*source.ok_or_else(|| format!("no compilation {code}"))?).clone();
        let head_block = rpy_ir::ir::Block::from_u32(head);
        if graph.blocks.get(head_block).is_none() {
            return Err(format!("{} has no block {head_block}", graph.name));
        }
        let tys: Vec<Ty> =
            graph.blocks[head_block].params.iter().map(|&p| graph.vars[p].ty).collect();
        let entry = graph.add_block(graph.span);
        let params: Vec<_> = tys.iter().map(|&t| graph.new_var(t, None)).collect();
        graph.blocks[entry].params = params.clone();
        graph.blocks[entry].exit = rpy_ir::ir::Exit::Goto(rpy_ir::ir::Target {
            block: head_block,
            args: params.iter().map(|&p| rpy_ir::ir::Value::Var(p)).collect(),
        });
        graph.entry = entry;
        graph.params = tys;
        graph.name = format!("{}__osr{head}_{code}", graph.name);
        graph.remove_unreachable_blocks();
        self.update_program(|p| Ok(p.add_graph(graph)))
    }

    /// Changes the program in place (cloned only if someone still holds a snapshot from
    /// [`Backend::program`]) and verifies graph `f` returns. A graph that fails verification
    /// stays in the program but is never compiled (a bug of the engine that made it).
    fn update_program(
        &self,
        f: impl FnOnce(&mut Program) -> Result<GraphIdx, String>,
    ) -> Result<GraphIdx, String> {
        let mut inner = self.inner.borrow_mut();
        let p = Rc::make_mut(&mut inner.program);
        let g = f(p)?;
        rpy_ir::verify::verify_graph(p, g)
            .map_err(|errs| errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
        Ok(g)
    }

    /// Calls the function at `func` (of graph `g`) through `entry`, handling the runtime state
    /// for an outermost or a nested call.
    fn enter(
        &self,
        g: GraphIdx,
        func: usize,
        entry: usize,
        args: &[RtValue],
    ) -> Result<RtValue, RuntimeError> {
        // Only the signature: no snapshot of the program is held while the code runs (code
        // compiled meanwhile changes the program; a snapshot would make every change copy it).
        let mut io = RootBuf::with_capacity(args.len() + 1);
        io.resize(args.len() + 1);
        let ret = {
            let inner = self.inner.borrow();
            let graph = &inner.program.graphs[g];
            assert_eq!(
                args.len(),
                graph.params.len(),
                "{} takes {} arguments",
                graph.name,
                graph.params.len()
            );
            for (i, (a, &ty)) in args.iter().zip(&graph.params).enumerate() {
                io.set(i, self.translated.word_of_value(*a, ty, i, &graph.name));
            }
            graph.ret
        };
        let st = self.translated.state;
        let outer = self.active.get() == 0;
        // SAFETY: the addresses are the live session's state globals.
        let saved = unsafe {
            if outer {
                gc::register_current_thread();
                *(st.failed as *mut u8) = 0;
                *(st.depth as *mut i64) = -1;
                *(st.words as *mut i64) = 0;
                *(st.stack_limit as *mut u64) = stack::limit_for_current_thread() as u64;
                runtime::clear_pending();
                self.error.borrow_mut().take();
                self.flex.take_errors();
                None
            } else {
                Some((*(st.depth as *const i64), *(st.words as *const i64)))
            }
        };
        self.active.set(self.active.get() + 1);
        // SAFETY: `entry` is the entry wrapper of `func`'s signature (and convention); io has
        // a word per argument and one for the result.
        unsafe {
            let wrapper: unsafe extern "C" fn(usize, *mut u64, *mut u64) =
                std::mem::transmute(entry);
            wrapper(func, io.as_mut_ptr(), io.as_mut_ptr().add(args.len()));
        }
        self.active.set(self.active.get() - 1);
        // SAFETY: as above.
        let failed = unsafe {
            let failed = *(st.failed as *const u8) != 0;
            if let Some((depth, words)) = saved {
                *(st.failed as *mut u8) = 0;
                *(st.depth as *mut i64) = depth;
                *(st.words as *mut i64) = words;
            }
            failed
        };
        if outer {
            externs::flush_output();
        }
        if failed {
            if let Some(e) = self.error.borrow_mut().take() {
                runtime::clear_pending();
                return Err(e);
            }
            let Some(p) = runtime::take_pending() else {
                // A miss the flexswitch runtime could not hand to the JIT (a panic in the
                // handler, an invalid case): its errors say why.
                let why: Vec<String> =
                    self.flex.take_errors().iter().map(|e| e.to_string()).collect();
                return Err(internal(if why.is_empty() {
                    "compiled code failed without saying why".into()
                } else {
                    why.join("; ")
                }));
            };
            let (layout, max_depth) = (self.translated.layout(), self.translated.max_depth);
            // The program now: code compiled during the call may be the one that failed.
            let inner = self.inner.borrow();
            return Err(errors::runtime_error(
                &inner.program,
                layout,
                &inner.sites,
                p,
                g,
                max_depth,
            ));
        }
        Ok(self.translated.value_of_word(io.get(args.len()), ret))
    }

    /// A miss at a flexswitch: the JIT's hook compiles the case and runs the rest of the call.
    fn on_miss(&self, miss: &Miss<'_>, hook: Hook<GraphIdx>) -> Result<MissAction, String> {
        let n = miss.tag as u32;
        let value_ty = self.inner.borrow().hooks[&n].value_ty;
        let mut args = Vec::with_capacity(miss.words.len() + 1);
        args.push(match value_ty {
            Ty::Bool => RtValue::Bool(miss.value != 0),
            Ty::Char => RtValue::Char(miss.value as u8),
            Ty::Ref(_) => RtValue::Ref(miss.value as usize as *mut u8),
            _ => RtValue::Int(miss.value),
        });
        for (i, &w) in miss.words.iter().enumerate() {
            args.push(self.translated.value_of_word(w, miss.sig.params[i]));
        }
        // Compile the case and continue in it from the site (no Rust frame in between), or
        // run the rest of the call here when the value has no case of its own.
        let prepared = hook.prepare(n, &args).and_then(|case| match case {
            Some(case) => {
                self.flush().map_err(|e| internal(format!("compiling residual code: {e}")))?;
                Ok(self.inner.borrow().slots.get(&case).map(|s| s.load(Ordering::Acquire)))
            }
            None => Ok(None),
        });
        match prepared {
            Ok(Some(addr)) if addr != 0 => return Ok(MissAction::Continue(addr)),
            Ok(_) => {}
            Err(e) => {
                let message = e.message.clone();
                *self.error.borrow_mut() = Some(e);
                return Err(message);
            }
        }
        let ret = miss.sig.ret;
        match hook.run(n, &args) {
            Ok(v) => Ok(MissAction::Finish(match (v, ret) {
                (RtValue::Void, _) => 0,
                (v, ty) => self.translated.word_of_value(v, ty, 0, "the hook's result"),
            })),
            Err(e) => {
                let message = e.message.clone();
                *self.error.borrow_mut() = Some(e);
                Err(message)
            }
        }
    }
}

fn internal(message: String) -> RuntimeError {
    RuntimeError::jit(message)
}

/// Called by the stub of a residual graph without code ([`lower::lower_stubs`]): records why
/// for the entry call (the stub then sets the failure flag and returns).
extern "C" fn no_code(jit: i64, graph: i64) {
    // SAFETY: `jit` is the boxed Jit whose code is running (code never outlives it).
    let jit = unsafe { &*(jit as usize as *const Jit) };
    let g = GraphIdx::from_u32(graph as u32);
    let message = {
        let inner = jit.inner.borrow();
        let why = inner.no_code.get(&g).map_or("", String::as_str);
        format!("{} has no compiled code: compiling it failed: {why}", inner.program.graphs[g].name)
    };
    jit.error.borrow_mut().get_or_insert(internal(message));
}

/// Called by first-tier code that is hot (see [`lower::Tier`]; `code` names its compilation): from its entry
/// (`block` = -1), compiles the graph again at the hot tier for later calls and returns null;
/// from a back edge to `block`, returns code entering the graph there compiled at the hot
/// tier (null if that fails; the code then goes on as it is).
extern "C" fn tier_up(jit: i64, code: i64, block: i64) -> usize {
    // No unwinding into compiled code: a panic is a failed tier-up (the code goes on).
    std::panic::catch_unwind(|| tier_up_inner(jit, code, block)).unwrap_or_else(|_| {
        eprintln!("warning: the JIT panicked compiling hot code; it goes on unoptimised");
        0
    })
}

fn tier_up_inner(jit: i64, code: i64, block: i64) -> usize {
    // SAFETY: `jit` is the boxed Jit whose code is running (code never outlives it).
    let jit = unsafe { &*(jit as usize as *const Jit) };
    let Some(g) = jit.inner.borrow().tiered.get(code as usize).map(|(g, _)| *g) else {
        return 0;
    };
    let Some(level) = jit.options.hot else { return 0 };
    let start = Instant::now();
    let counters = |jit: &Jit, k: usize, v: i64| {
        if let Some(c) = jit.inner.borrow().counters.get(&(code as u64)).and_then(|c| c.get(k)) {
            c.store(v, Ordering::Relaxed);
        }
    };
    let log = |what: &str, r: &Result<usize, String>| {
        if crate::translated::log_enabled("jit") {
            let name = jit.inner.borrow().program.graphs[g].name.clone();
            let ms = start.elapsed().as_secs_f64() * 1e3;
            eprintln!(
                "[backend-llvm] {name}: hot {what}, compiled at {} in {ms:.2} ms: {r:?}",
                level.name()
            );
        }
    };
    if block < 0 {
        match jit.hot_code(g, level) {
            // Compiling on the compile thread: ask again a little later.
            Ok(Some(0)) => counters(jit, 0, CALL_POLL),
            Ok(None) => counters(jit, 0, i64::MAX),
            Ok(Some(new)) => {
                counters(jit, 0, i64::MAX);
                log("calls", &Ok(new));
                let old = jit.inner.borrow().slots[&g].swap(new, Ordering::AcqRel);
                jit.flex.retarget(old, new);
            }
            Err(e) => {
                counters(jit, 0, i64::MAX);
                eprintln!("warning: compiling a hot residual graph at {} failed: {e}", level.name())
            }
        }
        return 0;
    }
    let r = match jit.osr_code(code as u64, block as u32, level) {
        Ok(None) => {
            // Compiling on the compile thread: ask again a little later.
            counters(jit, 1 + block as usize, OSR_POLL);
            return 0;
        }
        Ok(Some(addr)) => Ok(addr),
        Err(e) => Err(e),
    };
    log(&format!("loop at block{block}"), &r);
    match r {
        Ok(addr) => {
            // Later runs of this code enter the compiled loop at their first back edge, and
            // the graph's next version (a recompilation) starts at the hot tier.
            counters(jit, 1 + block as usize, 1);
            jit.inner.borrow_mut().hot.insert(g);
            addr
        }
        Err(e) => {
            counters(jit, 1 + block as usize, i64::MAX);
            eprintln!("warning: compiling a hot residual loop at {} failed: {e}", level.name());
            0
        }
    }
}

impl Backend for JitBackend {
    type Code = GraphIdx;

    fn compile(&self, graph: Graph) -> Result<GraphIdx, String> {
        self.jit.compile(graph)
    }

    fn add_case(
        &self,
        owner: &GraphIdx,
        hook: u32,
        value: i64,
        case: &GraphIdx,
    ) -> Result<(), String> {
        self.jit.add_case(owner, hook, value, case)
    }

    fn call(
        &self,
        code: &GraphIdx,
        args: &[RtValue],
        hook: Hook<GraphIdx>,
    ) -> Result<RtValue, RuntimeError> {
        self.jit.call(code, args, hook)
    }

    fn call_interpreter(&self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        self.jit.call_interpreter(graph, args)
    }

    fn program(&self) -> Rc<Program> {
        self.jit.program()
    }

    fn graph_of(&self, code: &GraphIdx) -> GraphIdx {
        *code
    }

    fn replace(&self, code: &GraphIdx, graph: Graph) -> Result<(), String> {
        self.jit.replace(code, graph)
    }

    /// With a hot tier: first-tier code reaches the cases through its switches.
    fn inlines_when_hot(&self) -> bool {
        self.jit.options.hot.is_some()
    }

    /// [`crate::predict::first_hook`] on the running program's heap.
    fn predict_hook(&self, code: &GraphIdx, args: &[RtValue]) -> Option<(u32, Vec<RtValue>)> {
        let t = &self.jit.translated;
        let program = self.jit.program();
        let prebuilt = |i: u32| t.prebuilt(rpy_ir::ir::PrebuiltIdx::from_u32(i));
        crate::predict::first_hook(&program, t.layout(), &prebuilt, *code, args, PREDICT_STEPS)
    }
}

/// Ops and jumps [`crate::predict::first_hook`] evaluates before giving up.
const PREDICT_STEPS: usize = 1000;

impl Jit {
    fn compile(&self, graph: Graph) -> Result<GraphIdx, String> {
        let g = self.update_program(|p| Ok(p.add_graph(graph)))?;
        self.inner.borrow_mut().pending.push(g);
        Ok(g)
    }

    fn add_case(
        &self,
        _owner: &GraphIdx,
        hook: u32,
        value: i64,
        case: &GraphIdx,
    ) -> Result<(), String> {
        let mut inner = self.inner.borrow_mut();
        if !inner.hooks.contains_key(&hook) {
            // The owner may be waiting for its compilation (a case predicted before it ran).
            let program = Rc::clone(&inner.program);
            for g in inner.pending.clone() {
                self.create_switches(&mut inner, &program.graphs[g])?;
            }
        }
        if !inner.hooks.contains_key(&hook) {
            return Err(format!("no flexswitch #{hook}"));
        }
        // Installed once the case has code (the next flush).
        inner.pending_cases.push((hook, value, *case));
        Ok(())
    }

    fn call(
        &self,
        code: &GraphIdx,
        args: &[RtValue],
        hook: Hook<GraphIdx>,
    ) -> Result<RtValue, RuntimeError> {
        self.flush().map_err(|e| internal(format!("compiling residual code: {e}")))?;
        let (func, entry) = {
            let inner = self.inner.borrow();
            let func = inner.slots.get(code).map_or(0, |s| s.load(Ordering::Acquire));
            if func == 0 {
                return Err(internal(format!("{code} has no compiled code")));
            }
            let sig = inner.program.graph_sig(*code);
            let Some(&entry) = inner.tail_entries.get(&sig) else {
                // Only a stub stands for it (its batch failed before its entry wrapper).
                let why = inner.no_code.get(code).map_or("", String::as_str);
                return Err(internal(format!("{code} has no compiled code: {why}")));
            };
            (func, entry)
        };
        let handler = |miss: &Miss<'_>| self.on_miss(miss, hook);
        // SAFETY: the hook outlives this call, and is only used during it (the old one is
        // back in place when it returns).
        let hook: Hook<'static, GraphIdx> = unsafe { std::mem::transmute(hook) };
        let outer = self.hook.replace(Some(hook));
        let result = self.flex.with_handler(&handler, || self.enter(*code, func, entry, args));
        self.hook.set(outer);
        result
    }

    fn call_interpreter(&self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        let t = &self.translated;
        let sig = t.program().graph_sig(graph);
        let (func, entry) = (t.funcs[graph.as_u32() as usize], t.entries[sig.as_u32() as usize]);
        self.enter(graph, func, entry, args)
    }

    fn program(&self) -> Rc<Program> {
        Rc::clone(&self.inner.borrow().program)
    }

    fn replace(&self, code: &GraphIdx, graph: Graph) -> Result<(), String> {
        let g = *code;
        let old = self.inner.borrow().program.graphs[g].clone();
        if let Err(e) = self.update_program(|p| {
            p.types.sig(graph.params.clone(), graph.ret);
            p.graphs[g] = graph;
            Ok(g)
        }) {
            Rc::make_mut(&mut self.inner.borrow_mut().program).graphs[g] = old;
            return Err(e);
        }
        // The old version's code may still run (or fail): its failure sites move to a copy
        // of the old graph.
        let archived = self.update_program(|p| {
            let mut old = old;
            old.name = format!("{}.old{}", old.name, p.graphs.len());
            Ok(p.add_graph(old))
        })?;
        self.inner.borrow_mut().sites.move_graph(g, archived);
        let mut inner = self.inner.borrow_mut();
        // First-tier code already there stays until the graph is hot: the new version (a
        // flexswitch's owner with the cases met inline) computes what the old one does through
        // its switch, and only pays for its compilation where it runs long (the hot tier's
        // recompilation takes the graph as it is then).
        let has_code = inner.slots.get(&g).is_some_and(|s| s.load(Ordering::Acquire) != 0);
        let deferred = has_code && self.options.hot.is_some() && !inner.hot.contains(&g);
        if !deferred && !inner.pending.contains(&g) {
            inner.pending.push(g);
        }
        Ok(())
    }
}
