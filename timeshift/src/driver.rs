//! The JIT driver: the portal runner.
//!
//! Built once per interpreter: the hint analysis and the codewriter run at construction. Each
//! call of the portal looks up compiled code by the values of the green arguments (the cache
//! key); the first call with a new key compiles it. A compilation that gives up (a budget, or
//! something the engine does not handle yet) is logged and its key remembered: those calls run
//! the interpreter, so the result is always right.
//!
//! Promotion: compiled code reaching a flexswitch with a value it has no case for calls the
//! driver's hook with the value and the live values. The driver compiles the case from the
//! flexswitch's snapshot ([`Compiler::resume`]), installs it in the switch (so the next time
//! that value goes straight to compiled code), and runs it to the end of the portal call.
//! A case that cannot be compiled (a budget, something unsupported) is replaced by a fallback
//! ([`Compiler::fallback`]): residual code that makes the snapshot's state real and continues
//! in the interpreter's graphs from where each frame stands ([`crate::fallback`]); it is
//! installed as the value's case. Values the site gives no case (past its budgets, or not
//! repeating: `JitDriver::no_case_for`) go to one generic fallback per switch, taking the
//! value as an argument, installed as nothing (the hook calls it).
//! The portal frame's continuation is cut at the global merge point, where it calls one
//! shared copy of the interpreter loop, and may ask to resume compiled code there
//! ([`crate::resume`]; the driver's calls of compiled code are trampolines,
//! `driver/resume.rs`).
//!
//! Logging: the stages of [`JitConfig::log`] (`RPY_JIT_LOG`, see [`crate::config::JitLog`]).
//!
//! Errors: a call fails with the program's run-time error, as the interpreter would, or with
//! a [`JitError`] (the JIT's own failure, never reported as the program's).
//!
//! State: the driver's methods re-enter each other (a flexswitch miss runs inside a call of
//! compiled code; the engine installs entry graphs in the middle of a compilation), so its
//! mutable state is one `RefCell` (`State`) never borrowed across a compilation or a call
//! of compiled code. What the engine itself borrows while it compiles (`EngineShared`) is
//! kept apart, in the cells the engine's [`Shared`] takes.

use crate::backend::{Backend, SwitchCase};
use crate::bounds::{CompileWork, Spent, SITE_GIVE_UPS};
use crate::config::JitConfig;
use crate::error::{JitError, RunError};
use crate::fallback::Position;
use crate::jitcode::JitCodes;
use crate::rainbow::{Compiled, Compiler, Engine, GiveUp, Shared, Snapshot, Source, Stats};
use crate::tiering::{self, MergePoint};
use hintanalysis::Policy;
use rpy_ir::ir::{Const, GraphIdx, Program, Var};
use rpy_ir::runtime::RtValue;
use rpy_ir::span::{Diagnostics, Span};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Instant;

mod analysed;
mod codes;
mod cost;
mod fallbacks;
mod payoff;
mod quasi;
mod recompile;
mod resume;
mod room;

pub use analysed::{tier_in_place, Untier};

/// What the cache holds for one green key.
#[derive(Clone)]
enum Entry<C> {
    Compiled(C),
    Interpret,
}

/// The outcome of one compilation, for tests and logs.
#[derive(Clone, Debug)]
pub struct CompileReport {
    /// What was compiled: a green key, or a flexswitch case.
    pub what: String,
    /// Engine counts (zero if it gave up).
    pub stats: Stats,
    /// Flexswitches the compiled code contains.
    pub flexswitches: usize,
    /// Why it gave up, if it did.
    pub gave_up: Option<GiveUp>,
    /// Time the backend spent compiling the residual graph, in microseconds (the engine's
    /// own time is not counted: an entry graph is compiled inside another compilation).
    pub micros: u128,
}

struct FlexSwitch<C> {
    snapshot: Snapshot,
    owner: C,
    cases: HashMap<i64, C>,
    /// Past [`crate::Budgets::max_cases`]: the fallback every further value goes to.
    fallback: Option<C>,
}

impl<C> FlexSwitch<C> {
    fn new(snapshot: Snapshot, owner: C) -> FlexSwitch<C> {
        FlexSwitch { snapshot, owner, cases: HashMap::new(), fallback: None }
    }
}

/// A continuation graph (compiled; `None`: translated with the interpreter), the graph calls
/// name, and the variables its parameters stand for.
type Continuation<C> = (Option<C>, GraphIdx, Vec<Var>);

/// The continuations compiled, per interpreter graph and position, and whether the
/// continuation asks at the global merge point (the portal frame's: [`crate::resume`]).
type Continuations<C> = HashMap<(GraphIdx, Position, bool), Continuation<C>>;

/// The driver's mutable state (see the module documentation on borrowing it).
struct State<C> {
    cache: HashMap<Vec<Option<Const>>, Entry<C>>,
    /// Every run-time object a key names: compiled code embeds their addresses, so they must
    /// live as long as the code (DESIGN.md §7).
    roots: rpy_ir::gc::RootBuf,
    switches: HashMap<u32, FlexSwitch<C>>,
    reports: Vec<CompileReport>,
    /// Flexswitch misses handled (compiled or not).
    misses: usize,
    /// Green keys met at the merge point.
    /// (Hashed with Fx: a tiered interpreter looks a key up once per ask interval.)
    merges: HashMap<Vec<Const>, MergeEntry<C>, rustc_hash::FxBuildHasher>,
    /// Calls of the portal per green key not compiled yet ([`JitDriver::call_if_hot`]).
    portal_calls: HashMap<Vec<Option<Const>>, u64>,
    /// What promotion sites have met, and the run's residual ops.
    work: CompileWork,
    /// Graphs whose flexswitches met cases not inline yet (the backend inlines when hot).
    stale: std::collections::HashSet<GraphIdx>,
    /// Compiling cases the backend predicts ([`JitDriver::predict_cases`]): not misses.
    predicting: bool,
    /// What each compiled graph was compiled from, and its name.
    sources: HashMap<GraphIdx, (Source, String)>,
    /// Continuations of interpreter graphs, per graph and position (fallbacks share them).
    continuations: Continuations<C>,
    /// The quasi-immutable token of each compiled graph relying on one, and its code: the
    /// graph may be entered only while the token is valid ([`rpy_ir::runtime::quasi`]).
    tokens: HashMap<GraphIdx, (rpy_ir::runtime::quasi::Token, C)>,
    /// [`rpy_ir::runtime::quasi::invalidations`] when invalid code was last looked for.
    invalidations_seen: u64,
    /// Graphs compiled again because a quasi-immutable field they relied on changed.
    requickened: HashMap<GraphIdx, usize>,
    /// The work observed, against which compiling is deferred ([`crate::payoff`]).
    ledger: crate::payoff::Ledger,
    /// Compiled code a resumable continuation asked to resume in, and the red values
    /// ([`crate::resume`]): taken by the driver's call of compiled code.
    resume: Option<(C, Vec<RtValue>)>,
    /// Asks of resumable continuations since the last flexswitch miss.
    asks: u32,
    /// Resumes taken so far (for the summary log).
    resumes: u64,
    /// Driver calls of compiled code in progress that take resumes
    /// (`JitDriver::run_compiled`).
    trampolines: u32,
    /// Whether a flexswitch case was deferred by the payoff model since the last resume: a
    /// continuation's ask resumes compiled code once the work pays for it
    /// ([`JitConfig::resume_deferred`]).
    deferred_case: bool,
    /// Objects kept alive for elidable calls' folded results
    /// ([`crate::rainbow::CompileServices::keep_alive`]),
    /// each pushed on `roots` once.
    kept: std::collections::HashSet<u64>,
}

impl<C> Default for State<C> {
    fn default() -> State<C> {
        State {
            cache: HashMap::new(),
            roots: rpy_ir::gc::RootBuf::with_capacity(16),
            switches: HashMap::new(),
            reports: Vec::new(),
            misses: 0,
            merges: HashMap::default(),
            portal_calls: HashMap::new(),
            work: CompileWork::default(),
            stale: Default::default(),
            predicting: false,
            sources: HashMap::new(),
            continuations: HashMap::new(),
            tokens: HashMap::new(),
            invalidations_seen: 0,
            requickened: HashMap::new(),
            ledger: Default::default(),
            resume: None,
            asks: 0,
            resumes: 0,
            trampolines: 0,
            deferred_case: false,
            kept: std::collections::HashSet::new(),
        }
    }
}

/// What every compilation shares with the engine, which borrows it while it runs (and the
/// entry graphs it installs on the way re-enter the driver's [`State`]): hence cells of their
/// own.
#[derive(Default)]
struct EngineShared {
    /// The next flexswitch number.
    hooks: Cell<u32>,
    /// Entry graphs at the global merge point, per green key.
    entries: RefCell<crate::rainbow::EntryTable>,
    /// Values met at each promotion site, per green context (recompilations switch on them
    /// inline; another program or bytecode position reaching the same code has its own).
    known: RefCell<HashMap<crate::rainbow::SiteKey, Vec<Const>>>,
}

impl EngineShared {
    /// The engine's view, installing the entry graphs it makes with `install`.
    fn lend<'a>(&'a self, install: &'a dyn Fn(Compiled) -> Result<GraphIdx, GiveUp>) -> Shared<'a> {
        Shared {
            hooks: &self.hooks,
            entries: Some((&self.entries, install)),
            known: Some(&self.known),
        }
    }
}

/// Cases compiled ahead along a predicted chain of promotions (`JitDriver::predict_cases`).
pub const PREDICTED_CASES: usize = 8;

/// The driver as the handler of flexswitch misses.
struct DriverHook<'d, 'p, B: Backend>(&'d JitDriver<'p, B>);

impl<B: Backend> crate::backend::MissHook<B::Code> for DriverHook<'_, '_, B> {
    fn run(&self, hook: u32, args: &[RtValue]) -> Result<RtValue, RunError> {
        self.0.on_miss(hook, args)
    }

    fn prepare(&self, hook: u32, args: &[RtValue]) -> Result<Option<B::Code>, JitError> {
        self.0.state.borrow_mut().asks = 0;
        self.0.case_for(hook, args, false)
    }

    fn refresh(&self, code: &B::Code) -> bool {
        let graph = self.0.backend.graph_of(code);
        if !self.0.state.borrow_mut().stale.remove(&graph) {
            return false;
        }
        self.0.inline_cases(code)
    }
}

/// What the merge point knows about one green key.
#[derive(Clone)]
enum MergeEntry<C> {
    /// Visits so far.
    Counting(u64),
    Compiled(C),
    Interpret,
}

/// Runs a portal through compiled code, compiling per green key on first use.
pub struct JitDriver<'p, B: Backend> {
    /// Read through [`JitDriver::program`] (`driver/analysed.rs`).
    program: analysed::Analysed<'p>,
    policy: Policy,
    /// Written at construction, or at the first compilation ([`JitDriver::codes`]).
    codes: std::cell::OnceCell<Option<JitCodes>>,
    backend: B,
    state: RefCell<State<B::Code>>,
    engine: EngineShared,
    /// Thresholds, budgets and logging (may be changed between calls).
    pub config: JitConfig,
    merge_point: Option<MergePoint>,
}

impl<'p, B: Backend> JitDriver<'p, B> {
    /// Analyses the program from `portal` with `greens` and writes its JitCode (with the
    /// default [`JitConfig`], which logs nothing).
    pub fn new(
        program: &'p Program,
        portal: &str,
        greens: &[&str],
        backend: B,
    ) -> Result<Self, Diagnostics> {
        JitDriver::with_backend(program, portal, greens, JitConfig::default(), |_| Ok(backend))
    }

    /// Like [`JitDriver::new`] with `config`, and the backend made once the portal's merge
    /// point is known (a tiered backend runs an interpreter made with [`tiering::tiered`]).
    pub fn with_backend(
        program: &'p Program,
        portal: &str,
        greens: &[&str],
        config: JitConfig,
        make: impl FnOnce(Option<&MergePoint>) -> Result<B, String>,
    ) -> Result<Self, Diagnostics> {
        JitDriver::with_merge_point(program, portal, greens, config, None, make)
    }

    /// Like [`JitDriver::with_backend`]; given the merge point `known` (what
    /// [`MergePoint::find`] found for this very program in an earlier run, kept as a note of
    /// the translation cache), the hint analysis and the JitCode wait for the first
    /// compilation: a run that compiles nothing does not pay for them. The analysis then
    /// checks `known`; if it differs, or the analysis fails (neither can happen for the
    /// program `known` was found in), the run goes on in the interpreter, logged.
    pub fn with_merge_point(
        program: &'p Program,
        portal: &str,
        greens: &[&str],
        config: JitConfig,
        known: Option<MergePoint>,
        make: impl FnOnce(Option<&MergePoint>) -> Result<B, String>,
    ) -> Result<Self, Diagnostics> {
        let fail = |m: String| Diagnostics {
            errors: vec![rpy_ir::span::Diagnostic::new(Span::UNKNOWN, m)],
            sources: program.sources.clone(),
        };
        let t0 = Instant::now();
        let policy = Policy::new(program, portal, greens).map_err(fail)?;
        let (codes, merge_point) = match known {
            Some(mp) => (std::cell::OnceCell::new(), Some(mp)),
            None => {
                let codes = codes::analyse_and_write(program, &policy, &config)?;
                let mp = MergePoint::find(program, &codes);
                (std::cell::OnceCell::from(Some(codes)), mp)
            }
        };
        let t1 = Instant::now();
        let backend = make(merge_point.as_ref()).map_err(fail)?;
        if config.log.wants("cost") {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            let what =
                if codes.get().is_some() { "analysis and jitcodes" } else { "merge point known" };
            eprintln!(
                "jit set-up: {what} {:.2} ms, backend {:.2} ms",
                ms(t1 - t0),
                ms(t1.elapsed())
            );
        }
        Ok(JitDriver {
            program: analysed::Analysed::Given(program),
            policy,
            codes,
            backend,
            state: RefCell::new(State::default()),
            engine: EngineShared::default(),
            config,
            merge_point,
        })
    }

    /// The portal's global merge point (where a tiered interpreter enters the JIT), if any.
    pub fn merge_point(&self) -> Option<&MergePoint> {
        self.merge_point.as_ref()
    }

    /// Called by a tiered interpreter at the global merge point (`jit_merge`, see
    /// [`crate::tiering`]) with the merge point's greens then reds: counts the visit of the
    /// green key and, once the key is hot ([`JitConfig::hot_merges`] visits), runs the rest of
    /// the portal call in code compiled from this point and returns its result. `None`: go on
    /// interpreting (not hot yet, or the key's compilation gave up).
    /// `visits` is how many visits this call stands for (a native interpreter asks once every
    /// so many visits of the key's counter).
    pub fn enter_at_merge_point(
        &self,
        values: &[RtValue],
        visits: u64,
    ) -> Result<Option<RtValue>, RunError> {
        let Some(mp) = &self.merge_point else { return Ok(None) };
        let ask = crate::resume::is_ask(values, mp.greens.len() + mp.reds.len());
        let values = if ask { &values[..values.len() - 1] } else { values };
        if ask && !self.config.resume && !self.observe_ask(visits) {
            return Ok(None);
        }
        let (greens, reds) = values.split_at(mp.greens.len().min(values.len()));
        let Some(key) = tiering::green_key(mp, greens) else { return Ok(None) };
        self.refresh_invalidated();
        self.observe_direct_entries();
        let entry = {
            let mut st = self.state.borrow_mut();
            // Asks resuming at will are not observed (`crate::resume`); asks waiting for a
            // deferred case to pay were, by `observe_ask`, before the key. A key with compiled
            // code is entered at every visit (the backend asks again at once after an
            // entry), so such a call stands for one visit, whatever `visits` says: counted
            // as `visits`, a key entered once per guest call (a function's first
            // instruction) made each call pay for a thousand visits' worth of compiling.
            let State { merges, ledger, .. } = &mut *st;
            if !merges.contains_key(&key) {
                merges.insert(key.clone(), MergeEntry::Counting(0));
            }
            let e = merges.get_mut(&key).expect("inserted above");
            if !ask {
                ledger.observe(if matches!(e, MergeEntry::Compiled(_)) { 1 } else { visits });
            }
            if let MergeEntry::Counting(n) = e {
                *n += visits;
                if *n < self.config.hot_merges {
                    return Ok(None);
                }
            }
            e.clone()
        };
        if ask && self.first_ask() {
            return Ok(None);
        }
        let code = match entry {
            MergeEntry::Compiled(code) if !self.still_valid(&code) => {
                // A quasi-immutable field it relied on changed: count again, compile again.
                self.state.borrow_mut().merges.insert(key, MergeEntry::Counting(0));
                return Ok(None);
            }
            MergeEntry::Compiled(code) => code,
            MergeEntry::Interpret => return Ok(None),
            // A continuation resumes only where code is compiled (`crate::resume`).
            MergeEntry::Counting(_) if ask => return Ok(None),
            MergeEntry::Counting(_) if self.program_budget_spent() => {
                self.state.borrow_mut().merges.insert(key, MergeEntry::Interpret);
                return Ok(None);
            }
            // Not paid for yet: the key goes on counting, and is asked again.
            MergeEntry::Counting(_) if self.defer("the merge point", &key) => return Ok(None),
            MergeEntry::Counting(_) => {
                for k in &key {
                    if let Const::Ptr(addr, _) = k {
                        self.state.borrow_mut().roots.push(*addr);
                    }
                }
                let e = self.compile_merge_point(mp, &key, reds);
                self.state.borrow_mut().merges.insert(key, e.clone());
                match e {
                    MergeEntry::Compiled(code) => {
                        self.predict_cases(&code, reds);
                        code
                    }
                    _ => return Ok(None),
                }
            }
        };
        if ask {
            return Ok(Some(self.resume_in(code, reds)));
        }
        // Entered at each visit until a quasi-immutable write: the backend may enter it itself.
        self.backend.enters_at_merge_point(greens, &code);
        self.run_compiled(code, reds).map(Some)
    }

    /// What the rainbow engine runs on, for one compilation sharing `shared`.
    fn engine_for<'s>(&'s self, shared: Shared<'s>) -> Result<Engine<'s>, GiveUp> {
        Ok(Engine {
            program: self.program(),
            codes: self.written_codes()?,
            budgets: self.config.budgets,
            shared,
            services: Some(self),
        })
    }

    /// Compiles the entry graph of green key `key` at the merge point, for the live values
    /// `reds` (what its promotions bet on: `rainbow::observe`).
    fn compile_merge_point(
        &self,
        mp: &MergePoint,
        key: &[Const],
        reds: &[RtValue],
    ) -> MergeEntry<B::Code> {
        let portal = &self.program().graphs[self.policy.portal].name;
        let n = self.state.borrow().reports.len();
        let name = format!("{portal}__merge{n}");
        let Ok(codes) = self.written_codes() else { return MergeEntry::Interpret };
        let (st, positions, shape) = mp.entry_state(self.program(), codes, key);
        let install = |c: Compiled| self.install_entry(c);
        let (budgets, room) = self.entry_budgets();
        let result = self.entry_engine(self.engine.lend(&install), budgets).and_then(|engine| {
            Compiler::entry_observing(engine, (&st, &positions, &shape), &name, reds)
        });
        if self.ran_out_of_room(&result, room, &name) {
            // Hot already: compiled as soon as the room allows.
            return MergeEntry::Counting(self.config.hot_merges);
        }
        match self.install(result, format!("{name} (hot at the merge point, key {key:?})")) {
            Ok(code) => MergeEntry::Compiled(code),
            Err(_) => MergeEntry::Interpret,
        }
    }

    fn wants(&self, stage: &str) -> bool {
        self.config.log.wants(stage)
    }

    /// The backend (to inspect residual graphs).
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Every compilation so far.
    pub fn reports(&self) -> Vec<CompileReport> {
        self.state.borrow().reports.clone()
    }

    /// Flexswitch misses handled so far.
    pub fn misses(&self) -> usize {
        self.state.borrow().misses
    }

    /// Times compiled code took over from a fallback's continuation ([`crate::resume`]).
    pub fn resumes(&self) -> u64 {
        self.state.borrow().resumes
    }

    /// The cache key of a portal call with `args`: the green arguments as constants.
    fn portal_key(&self, args: &[RtValue]) -> Vec<Option<Const>> {
        let params = &self.program().graphs[self.policy.portal].params;
        args.iter()
            .zip(&self.policy.greens)
            .zip(params)
            .map(|((a, g), t)| if *g { a.to_const(*t) } else { None })
            .collect()
    }

    /// Calls the portal through compiled code if its green key is hot: its
    /// [`JitConfig::hot_portal_calls`]-th call or later (counting this one), or compiled already;
    /// `None` otherwise (the caller runs the interpreter, a tiered one entering compiled code
    /// at hot merge points).
    pub fn call_if_hot(&self, args: &[RtValue]) -> Option<Result<RtValue, RunError>> {
        let key = self.portal_key(args);
        self.refresh_invalidated();
        self.drop_invalid(&key);
        let hot = {
            let mut st = self.state.borrow_mut();
            if st.cache.contains_key(&key) {
                true
            } else {
                let n = st.portal_calls.entry(key).or_insert(0);
                *n += 1;
                *n >= self.config.hot_portal_calls
            }
        };
        hot.then(|| self.call(args))
    }

    /// Calls the portal with `args`, through compiled code for their green values.
    pub fn call(&self, args: &[RtValue]) -> Result<RtValue, RunError> {
        let key = self.portal_key(args);
        // A green argument with no compile-time form cannot key the cache: interpret.
        let representable = self.policy.greens.iter().zip(&key).all(|(g, k)| !g || k.is_some());
        self.refresh_invalidated();
        self.drop_invalid(&key);
        let cached = self.state.borrow().cache.get(&key).cloned();
        let fresh = representable && cached.is_none();
        let entry = match (representable, cached) {
            (false, _) => Entry::Interpret,
            (true, Some(e)) => e,
            (true, None) => {
                for k in key.iter().flatten() {
                    if let Const::Ptr(addr, _) = k {
                        self.state.borrow_mut().roots.push(*addr);
                    }
                }
                if !self.program_budget_spent() && self.defer("a portal call", &key) {
                    // Not cached: the key is compiled once the work observed pays for it.
                    return self.backend.call_interpreter(self.policy.portal, args);
                }
                let e = if self.program_budget_spent() {
                    Entry::Interpret
                } else if let Some(e) = self.compile_key(&key) {
                    e
                } else {
                    // Out of room: not cached, compiled once the room allows.
                    return self.backend.call_interpreter(self.policy.portal, args);
                };
                self.state.borrow_mut().cache.insert(key.clone(), e.clone());
                e
            }
        };
        match entry {
            Entry::Compiled(code) => {
                let reds: Vec<RtValue> = args
                    .iter()
                    .zip(&self.policy.greens)
                    .filter(|(_, g)| !**g)
                    .map(|(a, _)| *a)
                    .collect();
                if fresh {
                    self.predict_cases(&code, &reds);
                }
                self.run_compiled(code, &reds)
            }
            Entry::Interpret => self.backend.call_interpreter(self.policy.portal, args),
        }
    }

    /// Compiles the portal for green key `key`; `None` if it ran out of the payoff room
    /// (deferred: see `room.rs`).
    fn compile_key(&self, key: &[Option<Const>]) -> Option<Entry<B::Code>> {
        let portal = &self.program().graphs[self.policy.portal].name;
        let n = self.state.borrow().reports.len();
        let name = format!("{portal}__jit{n}");
        let install = |c: Compiled| self.install_entry(c);
        let shared = self.engine.lend(&install);
        let (budgets, room) = self.entry_budgets();
        if self.codes().is_none() {
            return Some(Entry::Interpret);
        }
        let result =
            self.entry_engine(shared, budgets).and_then(|e| Compiler::compile(e, key, &name));
        if self.ran_out_of_room(&result, room, &name) {
            return None;
        }
        Some(match self.install(result, format!("{name} key {key:?}")) {
            Ok(code) => Entry::Compiled(code),
            Err(_) => Entry::Interpret,
        })
    }

    /// Installs an entry graph compiled on the way by another compilation.
    fn install_entry(&self, c: Compiled) -> Result<GraphIdx, GiveUp> {
        let what = format!("{} (entry at the global merge point)", c.graph.name);
        self.install(Ok(c), what).map(|code| self.backend.graph_of(&code))
    }

    /// Compiles a residual graph, registers its flexswitches, reports; the code or why not.
    fn install(&self, result: Result<Compiled, GiveUp>, what: String) -> Result<B::Code, GiveUp> {
        let start = Instant::now();
        let outcome = result.and_then(|c| {
            if self.wants("residual") {
                let mut p = (*self.backend.program()).clone();
                let g = p.add_graph(c.graph.clone());
                eprint!("{}", rpy_ir::text::print_graph(&p, g));
            }
            let name = c.graph.name.clone();
            let blocks = c.graph.blocks.len();
            let code = self
                .backend
                .compile(c.graph)
                .map_err(|e| GiveUp::Unsupported(format!("backend: {e}")))?;
            if self.wants("cost") {
                self.log_cost(&what, &c.stats, blocks);
                for (key, n) in &c.busiest {
                    eprintln!("jit versions: {n} at {key}");
                }
            }
            let graph = self.backend.graph_of(&code);
            self.state.borrow_mut().sources.insert(graph, (c.source, name));
            if let Some(t) = c.token {
                self.state.borrow_mut().tokens.insert(graph, (t, code.clone()));
            }
            Ok((code, c.stats, c.snapshots))
        });
        let mut st = self.state.borrow_mut();
        let (report, result) = match outcome {
            Ok((code, stats, snapshots)) => {
                let n = snapshots.len();
                for s in snapshots {
                    st.switches.insert(s.id, FlexSwitch::new(s, code.clone()));
                }
                (CompileReport { what, stats, flexswitches: n, gave_up: None, micros: 0 }, Ok(code))
            }
            Err(g) => (
                CompileReport {
                    what,
                    stats: Stats::default(),
                    flexswitches: 0,
                    gave_up: Some(g.clone()),
                    micros: 0,
                },
                Err(g),
            ),
        };
        let report = CompileReport { micros: start.elapsed().as_micros(), ..report };
        if self.wants("summary") || report.gave_up.is_some() && self.config.log.any() {
            let outcome = report
                .gave_up
                .as_ref()
                .map_or("compiled".to_string(), |g| format!("gave up ({g})"));
            let s = report.stats;
            eprintln!(
                "jit: {}: {outcome}; residual ops {}, virtuals forced {}, states {}, versions {}, flexswitches {}, backend {} us",
                report.what, s.residual_ops, s.virtuals_forced, s.states, s.versions, report.flexswitches, report.micros
            );
        }
        st.work.add_ops(report.stats.residual_ops);
        st.reports.push(report);
        result
    }

    /// A flexswitch miss: the case of `args[0]` at switch `id`, compiled if new, then run
    /// with the live values `args[1..]`.
    fn on_miss(&self, id: u32, args: &[RtValue]) -> Result<RtValue, RunError> {
        self.refresh_invalidated();
        self.state.borrow_mut().asks = 0;
        let visits = self.config.payoff.miss_visits();
        self.state.borrow_mut().ledger.observe(visits);
        let hook = DriverHook(self);
        match self.case_for(id, args, true)? {
            Some(code) => self.backend.call(&code, &args[1..], &hook),
            None => {
                let code = self.switch_fallback(id)?;
                self.backend.call(&code, args, &hook)
            }
        }
    }

    /// The case of the value in `args` at flexswitch `id` (taking the live values), compiled
    /// and installed if new; `None` when the value gets no case (`JitDriver::no_case_for`: it
    /// goes on through the switch's generic fallback, which takes the value too). Counts
    /// the miss unless `count` is false and there is no case (the caller then comes back
    /// through [`JitDriver::on_miss`], which counts it). While predicting
    /// ([`JitDriver::predict_cases`]) nothing is a miss, and a value with a case is `None`.
    fn case_for(
        &self,
        id: u32,
        args: &[RtValue],
        count: bool,
    ) -> Result<Option<B::Code>, JitError> {
        let (existing, key, value, predicting) = {
            let st = self.state.borrow();
            let sw =
                st.switches.get(&id).ok_or_else(|| internal(format!("no flexswitch #{id}")))?;
            let (value, key) = switch_value(args[0], sw.snapshot.value_ty)
                .ok_or_else(|| internal(format!("jit_hook #{id}: bad value {:?}", args[0])))?;
            (sw.cases.get(&key).cloned(), key, value, st.predicting)
        };
        if let Some(code) = existing {
            if predicting {
                return Ok(None);
            }
            self.state.borrow_mut().misses += 1;
            return Ok(Some(code));
        }
        // The backend asks first without counting (`prepare`), then runs the miss (`on_miss`,
        // counting): the value is remembered once, by the miss that counts.
        let full = self.no_case_for(id, key, count && !predicting);
        if (count || !full) && !predicting {
            self.state.borrow_mut().misses += 1;
        }
        if full {
            return Ok(None);
        }
        if let Const::Ptr(addr, _) = value {
            // The case embeds the object's address: it lives as long as the code.
            self.state.borrow_mut().roots.push(addr);
        }
        let (snapshot, owner) = {
            let st = self.state.borrow();
            let sw = &st.switches[&id];
            (sw.snapshot.clone(), sw.owner.clone())
        };
        let install = |c: Compiled| self.install_entry(c);
        let portal = &self.program().graphs[self.policy.portal].name;
        let name = format!("{portal}__case{id}_{key}");
        let result = self
            .engine_for(self.engine.lend(&install))
            .and_then(|engine| Compiler::resume(engine, &snapshot, value, &name));
        let compiled = self.install(result, format!("{name} (flexswitch #{id}, value {key})"));
        let code = match compiled {
            Ok(code) => code,
            // The case cannot be compiled: the value goes on in the interpreter.
            Err(g) => {
                self.case_gave_up(&snapshot);
                let name = format!("{portal}__fallback{id}_{key}");
                let why = format!("flexswitch #{id}, value {key}: the case gave up ({g})");
                self.fallback(&snapshot, Some(value), &name, &why).map_err(|fallback| {
                    JitError::CaseGaveUp { switch: id, value: Some(key), case: Some(g), fallback }
                })?
            }
        };
        let case = SwitchCase { owner: &owner, hook: id, value: key, code: &code };
        self.backend.add_case(case)?;
        {
            let mut st = self.state.borrow_mut();
            st.switches.get_mut(&id).unwrap().cases.insert(key, code.clone());
            st.work.case_made(&snapshot.site, key);
        }
        if compiled_case(&self.state.borrow().sources, self.backend.graph_of(&code)) {
            self.inline_case(&snapshot, value, &owner);
        }
        self.predict_cases(&code, &args[1..]);
        Ok(Some(code))
    }

    /// Whether value `key`, new at switch `id`, goes on through the switch's generic fallback
    /// instead of getting a case: the run's compile budget is spent, or the site refuses it
    /// ([`CompileWork::no_case`]). Remembers the value if `remember`.
    fn no_case_for(&self, id: u32, key: i64, remember: bool) -> bool {
        if self.program_budget_spent() {
            return true;
        }
        if self.defer("a flexswitch case", &key) {
            self.state.borrow_mut().deferred_case = true;
            return true;
        }
        let mut st = self.state.borrow_mut();
        let State { switches, work, .. } = &mut *st;
        work.no_case(&switches[&id].snapshot.site, key, remember, &self.config.budgets)
    }

    /// Counts a case of `snapshot`'s site that gave up; at [`SITE_GIVE_UPS`] the site takes
    /// no more cases (logged).
    fn case_gave_up(&self, snapshot: &Snapshot) {
        let gave_up = self.state.borrow_mut().work.case_gave_up(&snapshot.site);
        if gave_up == SITE_GIVE_UPS && self.config.log.any() {
            eprintln!(
                "jit: the promotion site in {} takes no more cases ({gave_up} of its cases gave up): its values go on in the interpreter",
                self.site_place(snapshot)
            );
        }
    }

    /// Where a promotion site is, for the log: the function promoting, at its source line.
    fn site_place(&self, snapshot: &Snapshot) -> String {
        let Some(&(code, _)) = snapshot.site.0.last() else { return "?".into() };
        let Ok(codes) = self.written_codes() else { return "?".into() };
        let g = &self.program().graphs[codes.codes[code].graph];
        format!("'{}' ({})", g.name, self.program().sources.location(g.span))
    }

    /// Whether the run's compile budget is spent ([`CompileWork::spent`]): new keys and merge
    /// points then interpret, new values at flexswitches take the switches' generic
    /// fallbacks (compiled once each). Logged once.
    fn program_budget_spent(&self) -> bool {
        let mut st = self.state.borrow_mut();
        match st.work.spent(&self.config.budgets) {
            Spent::No => false,
            Spent::Yes => true,
            Spent::Now => {
                if self.config.log.any() {
                    eprintln!(
                        "jit: {} residual ops compiled in this run: the JIT compiles nothing more, new code runs in the interpreter",
                        st.work.ops()
                    );
                }
                true
            }
        }
    }

    /// Compiles, before `code` runs on `args`, the case its first flexswitch will need as the
    /// backend predicts it ([`Backend::predict_hook`]), then that case's, and so on (at most
    /// [`PREDICTED_CASES`]): a warm-up chain of promotions then costs one batch instead of a
    /// batch and a miss per case. A wrong prediction only costs a case compiled early.
    fn predict_cases(&self, code: &B::Code, args: &[RtValue]) {
        if std::mem::replace(&mut self.state.borrow_mut().predicting, true) {
            return;
        }
        let (mut code, mut args) = (code.clone(), args.to_vec());
        for _ in 0..PREDICTED_CASES {
            let Some((hook, operands)) = self.backend.predict_hook(&code, &args) else { break };
            // `None` for a value with a case already (its chain was followed then).
            match self.case_for(hook, &operands, false) {
                Ok(Some(case)) => (code, args) = (case, operands[1..].to_vec()),
                _ => break,
            }
        }
        self.state.borrow_mut().predicting = false;
    }

    /// The fallback of switch `id` for every value past its cases (built once; taking the
    /// value and the live values).
    fn switch_fallback(&self, id: u32) -> Result<B::Code, JitError> {
        let snapshot = {
            let st = self.state.borrow();
            if let Some(code) = &st.switches[&id].fallback {
                return Ok(code.clone());
            }
            st.switches[&id].snapshot.clone()
        };
        let name = format!("{}__fallback{id}", self.program().graphs[self.policy.portal].name);
        let why = format!(
            "flexswitch #{id}: more than {} cases, or values that do not repeat (see \
             no_case_for): further values go on in the interpreter",
            self.config.budgets.max_cases
        );
        let code = self.fallback(&snapshot, None, &name, &why).map_err(|fallback| {
            JitError::CaseGaveUp { switch: id, value: None, case: None, fallback }
        })?;
        self.state.borrow_mut().switches.get_mut(&id).unwrap().fallback = Some(code.clone());
        Ok(code)
    }

    fn log_give_up(&self, what: &str, g: &GiveUp) {
        if self.config.log.any() {
            eprintln!("jit: {what}: gave up ({g}); the current code stays");
        }
    }
}

/// An invariant of the driver that does not hold.
fn internal(message: String) -> JitError {
    JitError::Internal(message)
}

/// Whether `graph` is a compiled case (not a fallback, whose value is not worth inlining).
fn compiled_case(sources: &HashMap<GraphIdx, (Source, String)>, graph: GraphIdx) -> bool {
    sources.get(&graph).is_some_and(|(s, _)| !matches!(s, Source::Fallback))
}

/// A promoted value of type `ty` as a constant and as the flexswitch case it selects.
fn switch_value(v: RtValue, ty: rpy_ir::types::Ty) -> Option<(Const, i64)> {
    let case = match v {
        RtValue::Int(i) => i,
        RtValue::Char(c) => c as i64,
        RtValue::Bool(b) => b as i64,
        RtValue::Ref(p) => p as i64,
        _ => return None,
    };
    Some((v.to_const(ty)?, case))
}
