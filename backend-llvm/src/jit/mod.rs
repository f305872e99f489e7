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
//!   at the entry, iterations at loop back edges. A graph called [`JitOptions::hot_graph_calls`]
//!   times is compiled again at the hot tier ([`OptLevel::Lean`]) for later calls; a loop that
//!   runs [`JitOptions::hot_loops`] iterations continues in hot code entering the graph at the
//!   loop head (on-stack replacement: the back edge tail-calls it with the loop's values). Hot
//!   code is compiled on a thread of its own ([`crate::background`]) while the first tier's
//!   code goes on; its counters then ask every so often whether it is ready. A batch made
//!   where a tiered interpreter has been looping sends its loops there at once, and its
//!   graphs count 100 calls, not `hot_graph_calls` (`Jit::compile_loops_early`).
//! - *Deferred recompilation*: a flexswitch owner's first-tier code reaches the cases met
//!   through its switch; its version with the cases inline is only made
//!   ([`Backend::inlines_when_hot`], `MissHook::refresh`) and compiled when the graph is hot:
//!   most owners never are, and the first tier then pays for each case alone.
//! - *Tiered interpreter*: [`JitBackend::with_merge_entry`] answers the `jit_merge` ops of an
//!   interpreter translated from `timeshift::tiering::tiered` (counters per green key in the
//!   translated code; the JIT asked every [`MERGE_INTERVAL`] visits). Keys whose code the
//!   driver entered are then entered by the backend itself (`direct.rs`,
//!   [`JitBackend::with_merge_entry_direct`]).
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
//! - *Predicted cases*: [`Backend::predict_hook`] evaluates the start of new code on the values
//!   it is about to get ([`crate::predict`]), so the driver compiles the case its first switch
//!   will need in the same batch; a warm-up chain of promotions costs one module.
//! - *Stubs*: a graph whose batch failed to compile gets a stub that fails with an error, so
//!   no slot or case is left pointing at nothing.
//! - *Calls*: [`Backend::call`] enters residual code through an entry wrapper; a call made
//!   while compiled code is running (the hook runs the case from inside a site) saves and
//!   restores the runtime state around it. A failure inside a hook's nested call reaches the
//!   outer call as the same error: the program's run-time error, or the JIT's own
//!   ([`RunError`]).
//! - *Tail calls*: residual graphs use LLVM's `tailcc`; calls (and flexswitch cases) in tail
//!   position are tail calls, so a loop closing through graphs runs in constant stack.
//!
//! Compile-time figures accumulate in [`JitStats`]. Files, one concern each: this one (the
//! backend's types and state, timeshift's `Backend` on them), `program.rs` (residual graphs
//! added and replaced, their flexswitches), `batch.rs` (lowering, batches, linking, stubs),
//! `calls.rs` (entry calls, misses, errors), `direct.rs` (direct entries at merge points),
//! `tiers.rs` (hot code, on-stack replacement, the tier-up entry of first-tier code).

mod batch;
mod calls;
mod direct;
mod program;
mod tiers;

use crate::background::{Background, Ticket};
use crate::errors::SiteTable;
use crate::flexswitch::{FlexId, FlexOptions, FlexRuntime};
use crate::lower;
use crate::runtime;
use crate::target::{self, OptLevel, TargetCpu};
use crate::translated::Translated;
use inkwell::targets::TargetMachine;
use rpy_ir::ir::{Graph, GraphIdx, Program};
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{SigIdx, Ty};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;
use timeshift::backend::{Backend, CodegenCost, Hook, SwitchCase};
use timeshift::{BackendError, JitError, RunError, RunResult};

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

/// The backend's mutable state, by part.
struct Inner {
    /// The interpreter's graphs and every residual graph.
    program: Rc<Program>,
    /// The failure sites of the interpreter and of every residual module.
    sites: SiteTable,
    /// Where each residual graph's code is.
    code: CodeTable,
    /// The flexswitches of residual code, by hook number (the registry of the backend's
    /// [`FlexRuntime`]).
    switches: HashMap<u32, Hooked>,
    /// What the next flush compiles ([`Jit::flush`]).
    pending: Pending,
    /// Counters and hot code of the tiers.
    tiers: Tiers,
    /// What compiling residual code has cost.
    stats: JitStats,
}

/// Where each residual graph's code is.
#[derive(Default)]
struct CodeTable {
    /// Each residual graph's slot (boxed: compiled code embeds its address).
    slots: HashMap<GraphIdx, Box<AtomicUsize>>,
    /// Times each residual graph was compiled (its functions are `NAME.vK`).
    versions: HashMap<GraphIdx, u32>,
    /// Signatures with a tailcc entry wrapper, and the wrapper's address.
    tail_entries: HashMap<SigIdx, usize>,
    /// Why a graph has no code (its compilation failed; its slot holds a stub that fails).
    no_code: HashMap<GraphIdx, String>,
}

/// The work waiting for the next flush.
#[derive(Default)]
struct Pending {
    /// Graphs made or replaced since the last flush, in order.
    graphs: Vec<GraphIdx>,
    /// Flexswitch cases to install: (hook, value, case graph).
    cases: Vec<(u32, i64, GraphIdx)>,
}

/// The tiers' state: counters of first-tier code, hot code made or being made.
#[derive(Default)]
struct Tiers {
    /// Tier-up counters of each first-tier compilation (by its number): calls, then one per
    /// block for the iterations of the loop headed there (boxed: code embeds them).
    counters: HashMap<u64, Box<[AtomicI64]>>,
    /// Graphs found hot (their next compilation is at the hot tier).
    hot: std::collections::HashSet<GraphIdx>,
    /// Graphs compiled again at the hot tier because their calls were hot.
    recompiled_hot: std::collections::HashSet<GraphIdx>,
    /// First-tier compilations, by the number their tier-up calls pass: the graph and the
    /// version compiled (a graph may have been replaced since).
    tiered: Vec<(GraphIdx, Rc<Graph>)>,
    /// Code entering a first-tier compilation's graph at a loop head, compiled at the hot
    /// tier: (compilation, loop head) -> address, or 0 if that failed.
    osr: HashMap<(u64, u32), usize>,
    /// Such code being compiled on the compile thread.
    osr_jobs: HashMap<(u64, u32), (Ticket, Batch)>,
    /// Graphs with hot calls being compiled again on the compile thread, with the version
    /// that will be.
    call_jobs: HashMap<GraphIdx, (Ticket, Batch, u32)>,
}

/// How residual code is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitOptions {
    /// The level of a graph's first compilation.
    pub first: OptLevel,
    /// The level hot code is compiled at again (`None`: never).
    pub hot: Option<OptLevel>,
    /// Calls of a residual graph that make it hot (it is compiled again for later calls).
    pub hot_graph_calls: u64,
    /// Iterations of a graph's loops (edges back to a loop head) that make them hot (the
    /// running loop continues in code compiled again from its head).
    pub hot_loops: u64,
    /// Compile hot loops on a thread of their own while the first tier's code goes on (it
    /// continues in the new code at a back edge once it is ready); otherwise the loop waits
    /// for its code.
    pub background: bool,
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
/// thread, which then spends its time on code that pays). (Not the driver's
/// `timeshift::config::DEFAULT_HOT_PORTAL_CALLS`, which counts portal calls of one green key.)
pub const DEFAULT_HOT_GRAPH_CALLS: u64 = 10_000;

impl Default for JitOptions {
    fn default() -> JitOptions {
        JitOptions {
            first: OptLevel::O0,
            hot: Some(OptLevel::Lean),
            hot_graph_calls: DEFAULT_HOT_GRAPH_CALLS,
            hot_loops: DEFAULT_HOT_LOOPS,
            background: true,
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
    error: RefCell<Option<RunError>>,
    /// Serial of this backend's symbols (several backends may share a process).
    serial: u64,
    /// The compile thread of hot loops ([`JitOptions::background`]).
    background: Option<Background>,
    /// The driver's hook while compiled code runs ([`Backend::call`]), for tier-ups to ask
    /// for a graph's cases inline first ([`timeshift::backend::MissHook::refresh`]).
    hook: Cell<Option<Hook<'static, GraphIdx>>>,
    /// Set while a tiered interpreter's `jit_merge` is in the JIT: what the next flush
    /// compiles starts where the interpreter has been looping ([`Jit::flush`]).
    hot_entry: Cell<bool>,
    /// For tests: a batch holding a graph whose name contains this fails to compile (what an
    /// LLVM error would do); see [`JitBackend::fail_compiling_for_tests`].
    fail_compiling: Cell<Option<&'static str>>,
    /// Visits of a `jit_merge` counter between two calls into the JIT for keys not hot yet
    /// ([`MERGE_INTERVAL`] unless [`JitBackend::set_merge_interval`] says otherwise).
    merge_interval: Cell<u64>,
    /// The merge keys whose code the backend enters without asking the driver
    /// (`direct.rs`).
    direct: RefCell<direct::DirectEntries>,
}

static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Visits of a `jit_merge` counter between two calls into the JIT for keys not hot yet.
pub const MERGE_INTERVAL: u64 = 64;

/// What a tiered interpreter's `jit_merge` asks the JIT: the merge point's values (greens,
/// then reds) and how many visits the call stands for; the portal call's result if the JIT
/// ran it.
pub type MergeEntry<'h> = dyn Fn(&[RtValue], u64) -> Result<Option<RtValue>, RunError> + 'h;

impl JitBackend {
    /// A backend over `translated` (the interpreter the JIT was generated from), compiling
    /// residual code as `options` say.
    pub fn new(translated: Translated, options: JitOptions) -> JitBackend {
        crate::translated::log_stamp(); // the logs' time origin
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
        self.with_merge_entry_hooked(types, ret, entry, None, f)
    }

    /// [`JitBackend::with_merge_entry`], with direct entries when `hook` is given
    /// ([`JitBackend::with_merge_entry_direct`]).
    fn with_merge_entry_hooked<R>(
        &self,
        types: &[Ty],
        ret: Ty,
        entry: &MergeEntry<'_>,
        hook: Option<Hook<'_, GraphIdx>>,
        f: impl FnOnce() -> R,
    ) -> R {
        let handler = |words: &[u64]| self.answer_merge(types, ret, entry, hook, words);
        runtime::with_merge_handler(&handler, f)
    }

    /// Sets how many visits of a `jit_merge` counter pass between two calls into the JIT for
    /// keys not hot yet (at least 1), for the runs of [`JitBackend::with_merge_entry`] started
    /// after this call: each call costs a trip through the driver, so an interpreter with a
    /// high threshold asks less often (`timeshift::JitConfig::merge_interval`).
    pub fn set_merge_interval(&self, visits: u64) {
        self.jit.merge_interval.set(visits.max(1));
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

    /// The LLVM IR (after the optimisation pipeline of `opt`, tuned for `cpu`) of residual
    /// graph `g` as it is now. ([`TargetCpu::Generic`] gives the same text on every machine
    /// of the architecture; the JIT itself compiles for the host.)
    pub fn llvm_ir(
        &self,
        g: GraphIdx,
        opt: OptLevel,
        cpu: TargetCpu,
    ) -> Result<String, BackendError> {
        self.jit.llvm_ir(g, opt, cpu).map_err(|message| codegen("lowering", message))
    }

    /// For tests of what a failed compilation leaves: from now on, a batch holding a graph
    /// whose name contains `pattern` fails to compile (as an LLVM error would).
    #[doc(hidden)]
    pub fn fail_compiling_for_tests(&self, pattern: &'static str) {
        self.jit.fail_compiling.set(Some(pattern));
    }
}

impl Jit {
    fn new(translated: Translated, options: JitOptions) -> Jit {
        let log = translated.log;
        let flex_options = FlexOptions { log: log.wants("flex"), ..FlexOptions::default() };
        let flex = FlexRuntime::new(Rc::clone(translated.shared_session()), flex_options);
        let inner = Inner {
            // Copied when the first residual graph is added (`Rc::make_mut`), not before.
            program: Rc::clone(&translated.program),
            sites: translated.sites.clone(),
            code: CodeTable::default(),
            switches: HashMap::new(),
            pending: Pending::default(),
            tiers: Tiers::default(),
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
            background: if options.background { Background::start(log.wants("jit")) } else { None },
            hook: Cell::new(None),
            hot_entry: Cell::new(false),
            fail_compiling: Cell::new(None),
            merge_interval: Cell::new(MERGE_INTERVAL),
            direct: RefCell::default(),
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
}

/// An invariant of the backend that does not hold.
fn internal(message: impl Into<String>) -> JitError {
    JitError::Internal(message.into())
}

/// A failure of LLVM at `stage`.
fn codegen(stage: &str, message: String) -> BackendError {
    BackendError::CodeGen { stage: stage.to_string(), message }
}

impl Backend for JitBackend {
    type Code = GraphIdx;

    fn prebuilt_address(&self, p: rpy_ir::ir::PrebuiltIdx) -> Option<u64> {
        match self.jit.translated.prebuilt(p) {
            RtValue::Ref(ptr) => Some(ptr as u64),
            _ => None,
        }
    }

    fn compile(&self, graph: Graph) -> Result<GraphIdx, BackendError> {
        self.jit.compile(graph)
    }

    fn add_case(&self, case: SwitchCase<'_, GraphIdx>) -> Result<(), BackendError> {
        self.jit.add_case(case)
    }

    fn call(&self, code: &GraphIdx, args: &[RtValue], hook: Hook<GraphIdx>) -> RunResult {
        self.jit.call(code, args, hook)
    }

    fn call_interpreter(&self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        self.jit.call_interpreter(graph, args)
    }

    fn program(&self) -> Rc<Program> {
        self.jit.program()
    }

    fn graph_of(&self, code: &GraphIdx) -> GraphIdx {
        *code
    }

    fn enters_at_merge_point(&self, greens: &[RtValue], code: &GraphIdx) {
        self.jit.remember_direct(greens, *code);
    }

    fn take_direct_entries(&self) -> u64 {
        self.jit.take_direct_entries()
    }

    fn replace(&self, code: &GraphIdx, graph: Graph) -> Result<(), BackendError> {
        self.jit.replace(code, graph)
    }

    /// Flushes the pending batch (its modules at the first tier, or the hot tier for graphs
    /// hot already) and returns what it added to [`JitStats`].
    fn flush_cost(&self) -> Result<Option<CodegenCost>, BackendError> {
        let before = self.jit.inner.borrow().stats.clone();
        self.jit.flush().map_err(|e| codegen("compiling residual code", e))?;
        let after = self.jit.inner.borrow().stats.clone();
        let ms = |a: std::time::Duration, b: std::time::Duration| (a - b).as_secs_f64() * 1e3;
        let level = if after.hot > before.hot { "hot tier" } else { "first tier" };
        Ok(Some(CodegenCost {
            graphs: after.graphs - before.graphs,
            ops: after.ops - before.ops,
            lower_ms: ms(after.lower, before.lower),
            optimise_ms: ms(after.optimise, before.optimise),
            codegen_ms: ms(after.codegen + after.link, before.codegen + before.link),
            level: level.to_string(),
        }))
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
