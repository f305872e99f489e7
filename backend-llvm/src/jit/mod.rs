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
//!   code goes on; its counters then ask every so often whether it is ready. A batch made
//!   where a tiered interpreter has been looping sends its loops there at once, and its
//!   graphs count 100 calls, not `hot_calls` (`Jit::compile_loops_early`).
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
//! - *Predicted cases*: [`Backend::predict_hook`] evaluates the start of new code on the values
//!   it is about to get ([`crate::predict`]), so the driver compiles the case its first switch
//!   will need in the same batch; a warm-up chain of promotions costs one module.
//! - *Stubs*: a graph whose batch failed to compile gets a stub that fails with an error, so
//!   no slot or case is left pointing at nothing.
//! - *Calls*: [`Backend::call`] enters residual code through an entry wrapper; a call made
//!   while compiled code is running (the hook runs the case from inside a site) saves and
//!   restores the runtime state around it. A failure inside a hook's nested call reaches the
//!   outer call as the same [`RuntimeError`].
//! - *Tail calls*: residual graphs use LLVM's `tailcc`; calls (and flexswitch cases) in tail
//!   position are tail calls, so a loop closing through graphs runs in constant stack.
//!
//! Compile-time figures accumulate in [`JitStats`]. Files: this one (the backend, calls,
//! misses), `batch.rs` (batches, linking, stubs), `tiers.rs` (hot code, on-stack replacement,
//! the tier-up entry of first-tier code).

mod batch;
mod tiers;

use crate::background::{Background, Ticket};
use crate::errors::{self, SiteTable};
use crate::flexswitch::{FlexId, FlexOptions, FlexRuntime, Miss, MissAction, Site};
use crate::lower::{self, Residual};
use crate::runtime;
use crate::stack;
use crate::target::{self, OptLevel, TargetCpu};
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
use std::time::Duration;
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
    /// Set while a tiered interpreter's `jit_merge` is in the JIT: what the next flush
    /// compiles starts where the interpreter has been looping ([`Jit::flush`]).
    hot_entry: Cell<bool>,
}

static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

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
        let t = &self.jit.translated;
        let handler = |words: &[u64]| {
            let values: Vec<RtValue> =
                words.iter().zip(types).map(|(&w, &ty)| t.value_of_word(w, ty)).collect();
            self.jit.hot_entry.set(true);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                entry(&values, MERGE_INTERVAL)
            }));
            self.jit.hot_entry.set(false);
            let outcome = outcome
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

    /// The LLVM IR (after the optimisation pipeline of `opt`, tuned for `cpu`) of residual
    /// graph `g` as it is now. ([`TargetCpu::Generic`] gives the same text on every machine
    /// of the architecture; the JIT itself compiles for the host.)
    pub fn llvm_ir(&self, g: GraphIdx, opt: OptLevel, cpu: TargetCpu) -> Result<String, String> {
        self.jit.llvm_ir(g, opt, cpu)
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
            hot_entry: Cell::new(false),
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

    fn llvm_ir(&self, g: GraphIdx, opt: OptLevel, cpu: TargetCpu) -> Result<String, String> {
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
        let machine = match cpu {
            TargetCpu::Host => self.machine(opt),
            other => Rc::new(other.machine(opt)),
        };
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
