//! The rainbow engine: runs JitCode at compile time and builds the residual graph.
//!
//! Green instructions run now (folded with [`rpy_ir::fold`]). Red instructions fold when
//! their boxes are constants, act on virtual objects at compile time, and otherwise append a
//! residual op. A branch on a red box that is not a constant splits the state: the residual
//! block ends in the same branch, the current state continues on one side and a copy waits in
//! the compiler's queue for the other. At a merge point (a join of the specialisation: loop
//! headers, and where paths meet) the state is frozen and compared with the versions already
//! compiled for the same key (code positions and green values): a version that accepts it
//! (each of its constants equal, its virtual objects virtual in the state too, its variables
//! any value that is not virtual) gets a residual jump, which closes loops; otherwise a new
//! version is compiled, generalised against the earlier ones (constants that differ become
//! variables). Virtual objects stay virtual across merge points: a state whose virtual object
//! meets a variable of an earlier version gets a version of its own (PyPy's "don't merge"),
//! so a loop's back edge finds the version matching its virtual shape. Once
//! [`Budgets::max_versions`] is reached, a version that forces the state's virtual objects is
//! accepted too, and a new one makes every position a variable.
//!
//! At merge points the heap cache ([`crate::state::HeapCache`]) flushes its dirty entries
//! (the stores it delayed) — except a virtualizable frame's (`virtualizable`), and those
//! storing virtual objects into real ones, which a version carries (their objects and values are part of its shape): a loop that stores a
//! fresh object in the same place each iteration (an interpreter's boxed result in an
//! object's field) allocates it once, when something observes the place. An access that may
//! reach such a place through another variable compares the two objects (`alias_guard`)
//! rather than making the store. A version also carries what is known of the objects the
//! state reaches (an object's class field, where a value lives) and which of its variables
//! hold one object ([`crate::merge::identities`]): a loop neither reads again nor checks again each
//! iteration what it knew at its end (what it knew before its first iteration is a version of
//! its own: the first iteration is peeled). Everything else is forgotten.
//!
//! Modules, each a part of [`Compiler`]'s work:
//! - `run`: the ways into a compilation, the instruction loop, block exits and jumps;
//! - `ops`: green and red ops, folding (and of the finished residual graph);
//! - `constant_reads`: a cast of a constant run-time object held in a red box, and a read of
//!   an immutable field of one, made at compile time;
//! - `virtuals`: virtual objects, the ops run on them, forcing;
//! - `calls`: followed and residual calls, returns, entry graphs ([`EntryTable`]);
//! - `portal_calls`: a residual call of the portal made a direct call of the compiled code
//!   at the merge point it reaches (PyPy's `call_assembler`);
//! - `portal_inline`: a residual call of the portal continued into the callee's code at
//!   compile time (the guest call inlined: its frame virtual, its result unboxed);
//! - `cold`: cold branches (overflow and exception tests) as guards betting on the warm side;
//! - `promote`: hints, flexswitches, [`Snapshot`]s, compiling a case or a fallback;
//! - `heap_cache`: accesses to real objects through the heap cache, dirty entries, what a
//!   version or snapshot carries;
//! - `merge_point`: merge keys, versions, the unroll budget;
//! - `split`: large compilations cut at the global merge point, the rest compiled when
//!   reached (flexswitches on a constant), loops closing through the split entries;
//! - `joins`: a compilation reaching the key of an entry graph that heads a loop continues
//!   in it rather than compiling the loop again;
//! - `unroll_safe`: merge keys holding the red constants in `@unroll_safe` graphs (their
//!   loops unrolled while their counters are constants);
//! - `virtualizable`: an interpreter's frame kept in registers (which heap entries are a
//!   virtualizable's, carried across merge points and residual calls that cannot reach it);
//! - `observe`: the run-time values an entry graph is compiled for, read on through its
//!   first reads, choosing which case of a promotion is compiled inline;
//! - `elidable_reads`: which delayed stores an elidable call's compile-time run may read
//!   (`elidable` runs it now unless it may).
//!
//! Invariants: a state in the queue continues in a residual block whose exit is unset; the
//! innermost frame's `pc` is the next instruction; every compilation is bounded by
//! [`Budgets`] (steps, residual ops, versions per key, unrolled green states), and gives up
//! with a [`GiveUp`] rather than run on.
use crate::jitcode::JitCodes;
use crate::merge::Shape;
use crate::state::{JitState, RedBox};
use rpy_ir::ir::{Block, Const, Graph, GraphIdx, Program, Var};
use rustc_hash::FxHashMap;

mod calls;
mod cold;
mod constant_reads;
mod elidable;
mod elidable_reads;
mod heap_cache;
mod joins;
mod merge_point;
mod observe;
mod ops;
mod portal_calls;
mod portal_inline;
mod promote;
mod quasi;
mod run;
mod split;
mod unroll_safe;
mod virtualizable;
mod virtuals;

pub use calls::EntryTable;
pub use elidable::ElidableRuns;
pub use heap_cache::Carried;
use merge_point::{MergeKey, Version};
pub use portal_inline::{InlineStack, InlineStats, InlinedCall};
pub use promote::{case_key, Promoted, SiteKey, Snapshot};
pub use split::SPLIT_VALUE;

/// Limits that keep compilation finite; hitting one makes the compilation fall back.
#[derive(Clone, Copy, Debug)]
pub struct Budgets {
    /// Residual ops per compilation.
    pub max_residual_ops: usize,
    /// Versions compiled per merge key before everything is generalised. (4: TLC
    /// accumulator run with inputs of both signs needs 4 at its loop header — the two entries,
    /// whose receivers' classes differ, and a loop version for each — to keep its loop free
    /// of allocation.)
    pub max_versions: usize,
    /// Compile-time instructions run per compilation (green loops never emit anything).
    pub max_steps: usize,
    /// Values per promotion site compiled inline into the graph holding the flexswitch (more
    /// values go through the JIT's hook to case graphs).
    pub max_inline_cases: usize,
    /// Cases (or fallbacks of their own) per promotion site, over all its flexswitches (a
    /// graph compiled again has new ones there); further values continue in the interpreter,
    /// through the switch's generic fallback.
    pub max_cases: usize,
    /// Distinct green states met per compilation at one merge point outside the portal, under
    /// the same callers (their positions and greens; a helper called from many places is not
    /// a loop): a
    /// loop the engine unrolls (a green loop variable) must end at compile time; one whose
    /// end depends on a red value would unroll until the op budget, slowly and with much
    /// memory. (The portal's own merge points are exempt: the bytecode position there is a
    /// green that takes one value per instruction of the user's program.)
    pub max_unroll: usize,
    /// Virtual objects a state may reach at a merge point; past them they are made real
    /// there (merging costs as much as the state is large, and a value stack that grows at
    /// every instruction would make each merge costlier than the last).
    pub max_virtuals: usize,
    /// Values a promotion site gives a case at first sight; past them, only values met
    /// before get one (values that never repeat take the switch's generic fallback).
    pub max_unrepeated_cases: usize,
    /// Parameters of merge versions per compilation, at least (see
    /// [`Budgets::max_params_per_version`]): a version costs as much as the live state it
    /// passes, so a walk unrolled over a large state (a deep stack read from its bottom) is
    /// bounded by this rather than by its ops.
    pub max_version_params: usize,
    /// Residual ops compiled per run (per driver); past them nothing new is compiled.
    pub max_program_ops: usize,
    /// Times one graph is compiled again with the cases met at its promotion sites inline
    /// (by a backend that does not wait until the graph is hot): a graph with many sites
    /// would otherwise be compiled again, larger each time, for every new case.
    pub max_recompiles: usize,
    /// Residual ops a graph compiled again with the cases met inline may have
    /// ([`Compiler::recompile`]); past them it is compiled again without them. Each case
    /// compiled inline runs on to the next promotion, whose values met are inline in turn: a
    /// graph took in every case graph of the code after it (richards: entry graphs of 7 ops
    /// compiled again as 5 000, 50 000 ops in all, then optimised by the hot tier for seconds;
    /// nqueens' largest is 1 100 ops, fib's 180).
    pub max_recompile_ops: usize,
    /// Virtualizable entries (a frame's fields and items) a merge point's version carries in
    /// registers; past them, they are written back there (the frame of a function with
    /// very many locals costs memory traffic rather than block parameters).
    pub max_virtualizable_entries: usize,
    /// Parameters per merge version on average past which the versions' parameters, once
    /// over [`Budgets::max_version_params`], exhaust the budget. Code of many instructions
    /// with a small live state (a loop body of 10 000 instructions: some 7 versions per
    /// instruction, a handful of values each) passes many values in all but few per version,
    /// and compiles in time linear in its size; a walk over a large state passes the whole
    /// state at every version. (A fixed total made loop bodies past ~3 000 instructions
    /// give up.)
    pub max_params_per_version: usize,
    /// Residual ops (and a quarter of the merge versions) after which a compilation splits at
    /// the next global merge point (see `split`): each graph, and so each backend compilation, stays about this size however
    /// long the user's code (2 000: a few milliseconds of LLVM at the first tier for
    /// ordinary code; the paper's benchmarks never reach it).
    pub split_ops: usize,
    /// Merge keys extended with red constants per merge point of an `@unroll_safe` graph
    /// under the same callers (iterations of its loop unrolled on constants; 32: a probe of a
    /// frozen dict ends well before); past them the loop merges as any other.
    pub max_unroll_safe: usize,
    /// Versions per merge key past [`Budgets::max_versions`] that carry nothing of the heap
    /// cache but keep the state's virtual objects, before the general versions that force
    /// them (see `merge_point`). 4: the loop of a send to two classes, whose paths differ in
    /// what they know of the heap, then closes with its frames virtual (issue 17's
    /// `two_classes`: 5 200 residual ops compiled → 1 060, 0.5 s → 0.3 s with the payoff
    /// model off; 0 gives the budget's old meaning).
    pub max_heapless_versions: usize,
    /// Whether cold branches (an overflow test, the exception state's test after a call) are
    /// guards compiled on their warm side only, the cold side when first taken (see `cold`),
    /// rather than splits compiling both.
    pub cold_guards: bool,
    /// Whether a compilation continues in an entry graph heading a loop at a key it meets
    /// for the first time, rather than compiling the loop again (see `joins`).
    pub join_loop_entries: bool,
    /// Guest calls inlined one in another at most (`portal_inline`: a portal call continued
    /// into the callee's code at compile time instead of a direct call); 0 (the default:
    /// see `portal_inline`'s header): none.
    pub max_inline_depth: usize,
    /// Residual ops an inlined guest call may add to the compilation before it is taken
    /// back and made a direct call (`portal_inline`).
    pub max_inline_ops: usize,
    /// Residual ops all the guest calls inlined in one compilation may add: past them no
    /// call is inlined, and a call inlined already that passes twice as many is taken back
    /// (`portal_inline`: a compilation cannot grow several-fold by inlining).
    pub max_inlined_ops: usize,
    /// Times one guest call site (the callee's key and the caller's position) is inlined in
    /// one compilation; further calls there are direct calls (`portal_inline`: an inlined
    /// body is not copied into every version of the caller's loop).
    pub max_inlines_per_site: usize,
}

impl Default for Budgets {
    fn default() -> Budgets {
        Budgets {
            max_residual_ops: 50_000,
            max_versions: 4,
            max_steps: 5_000_000,
            max_inline_cases: 8,
            max_cases: 16,
            max_unroll: 1000,
            max_virtuals: 16,
            max_unrepeated_cases: 8,
            max_version_params: 100_000,
            max_program_ops: 2_000_000,
            max_recompiles: 4,
            max_recompile_ops: 2_000,
            max_virtualizable_entries: 256,
            max_params_per_version: 32,
            split_ops: 2_000,
            max_unroll_safe: 32,
            max_heapless_versions: 4,
            cold_guards: true,
            join_loop_entries: true,
            max_inline_depth: 0,
            max_inline_ops: 600,
            max_inlined_ops: 1_500,
            max_inlines_per_site: 2,
        }
    }
}

/// Why a compilation gave up; the driver then falls back to calling the interpreter.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GiveUp {
    /// A budget was exhausted.
    #[error("budget exhausted: {0}")]
    Budget(String),
    /// Something this engine does not handle yet.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// Counts reported in the one-line summary of a compilation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Residual ops emitted.
    pub residual_ops: usize,
    /// Virtual objects forced.
    pub virtuals_forced: usize,
    /// States run (1 + red splits).
    pub states: usize,
    /// Merge versions compiled.
    pub versions: usize,
    /// Parameters of the versions' blocks (the live state passed at each merge).
    pub version_params: usize,
    /// Compile-time instructions run.
    pub steps: usize,
    /// Microseconds the engine ran (entry graphs compiled on the way included).
    pub engine_micros: u64,
    /// Splits made (see `split`): flexswitches at which the rest of the code is compiled
    /// when reached.
    pub splits: usize,
    /// Loop entries joined (see `joins`): tail calls of entry graphs heading loops, where the
    /// code from there was not compiled again.
    pub joins: usize,
    /// Guest calls inlined, and the limits met (see `portal_inline`).
    pub inlining: InlineStats,
}

/// A compile-time value of a register.
#[derive(Clone, Copy, Debug)]
enum Val {
    Green(Const),
    Red(RedBox),
}

/// What a residual graph was compiled from, to compile it again (with the cases its
/// flexswitches have met inline).
#[derive(Clone, Debug)]
pub enum Source {
    /// The portal's entry with these green arguments.
    Key(Vec<Option<Const>>),
    /// The case of a value at a flexswitch.
    Case(Box<Snapshot>, Const),
    /// An entry graph: the state at the global merge point, its red positions and their shape.
    Entry(Box<JitState>, Vec<(usize, Var)>, Vec<Shape>),
    /// A flexswitch's fallback to the interpreter (it holds no flexswitch: never recompiled).
    Fallback,
}

/// A compilation's result.
pub struct Compiled {
    /// The residual graph.
    pub graph: Graph,
    /// What the compilation did.
    pub stats: Stats,
    /// The flexswitches it left, waiting for values.
    pub snapshots: Vec<Snapshot>,
    /// What it was compiled from.
    pub source: Source,
    /// The quasi-immutable token of the code, when it read such a field as a constant: the
    /// code is valid as long as the token is ([`rpy_ir::runtime::quasi`]).
    pub token: Option<rpy_ir::runtime::quasi::Token>,
    /// The merge keys with the most versions, most first (at most [`BUSIEST_KEYS`]): each
    /// key's frames' code positions and green values as text, and its versions (the `cost`
    /// log stage prints them: where a large compilation's versions went).
    pub busiest: Vec<(String, usize)>,
    /// Whether the graph is an entry whose merge key heads a loop closed in it (a version at
    /// the key on a cycle of the graph: see `joins`).
    pub loops_at_start: bool,
}

/// How many of a compilation's busiest merge keys [`Compiled::busiest`] names.
pub const BUSIEST_KEYS: usize = 4;

/// What the driver provides compilations beyond the program: what the JIT's hints need
/// from the running system.
pub trait CompileServices {
    /// The continuation of JitCode `code`'s graph at instruction `pc` (compiled and
    /// installed once): its graph, and the variables its parameters stand for (see
    /// [`crate::fallback`]). Residual code falls back through it when a quasi-immutable field
    /// it relied on changed.
    fn continuation(
        &self,
        code: crate::jitcode::JitCodeIdx,
        pc: usize,
    ) -> Result<(GraphIdx, Vec<Var>), GiveUp>;

    /// The address of prebuilt object `p` where residual code runs, if the backend can tell.
    fn prebuilt_address(&self, p: rpy_ir::ir::PrebuiltIdx) -> Option<u64>;

    /// The portal's global merge point, if the driver enters compiled code there (direct
    /// portal calls, `portal_calls`).
    fn merge_point(&self) -> Option<&crate::tiering::MergePoint> {
        None
    }

    /// The graph of the code compiled at the merge point for `greens` (in the merge point's
    /// order), taking the merge point's reds, if there is valid code for that key.
    fn compiled_at_merge_point(&self, _greens: &[Const]) -> Option<GraphIdx> {
        None
    }

    /// Keeps the object at `addr` alive as long as the compiled code (which embeds its
    /// address as a constant: an elidable call's result, `elidable.rs`); `false` when it
    /// cannot, and the constant must not be embedded.
    fn keep_alive(&self, _addr: u64) -> bool {
        false
    }
}

/// Installs a finished compilation (an entry graph compiled on the way) and returns its graph
/// in the program residual code is called in.
pub type Install<'a> = &'a dyn Fn(Compiled) -> Result<GraphIdx, GiveUp>;

/// What compilations share with the driver.
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    /// The next flexswitch number (also numbers entry graphs' names).
    pub hooks: &'a std::cell::Cell<u32>,
    /// Entry graphs, and how to install new ones; `None`: cases compile everything inline.
    pub entries: Option<(&'a std::cell::RefCell<EntryTable>, Install<'a>)>,
    /// Values already met at each promotion site: a recompilation switches on them inline
    /// (continuing to compile each case in the same graph) before calling the JIT.
    pub known: Option<&'a std::cell::RefCell<std::collections::HashMap<SiteKey, Vec<Const>>>>,
}

/// Which kind of graph a compilation makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// From the portal's entry.
    Initial,
    /// A flexswitch case: at the global merge point it goes to an entry graph.
    Case,
    /// An entry graph: from the global merge point.
    Entry,
}

/// What every compilation of one driver runs on: the program and its JitCode, the budgets,
/// and what compilations share with the driver. Copied into each [`Compiler`]; an entry
/// graph compiled on the way gets the same.
#[derive(Clone, Copy)]
pub struct Engine<'a> {
    /// The interpreter's program (the portal and every graph JitCode was written for).
    pub program: &'a Program,
    /// The JitCode of every specialisation.
    pub codes: &'a JitCodes,
    /// The limits of each compilation.
    pub budgets: Budgets,
    /// Flexswitch numbering, entry graphs and values met, shared with the driver.
    pub shared: Shared<'a>,
    /// What the driver provides (`None`: quasi-immutable fields are read at run time, and
    /// elidable calls on prebuilt objects are not run at compile time).
    pub services: Option<&'a dyn CompileServices>,
}

impl<'a> Engine<'a> {
    /// The portal's graph (every residual graph returns what it returns).
    pub fn portal_graph(&self) -> &'a Graph {
        &self.program.graphs[self.codes.codes[self.codes.portal].graph]
    }
}

/// One compilation: from a portal entry with its green arguments to a residual graph.
pub struct Compiler<'a> {
    program: &'a Program,
    codes: &'a JitCodes,
    /// Folds ops at compile time; also keeps the heap layout (type tags, offsets).
    folder: rpy_ir::fold::Folder<'a>,
    budgets: Budgets,
    /// The residual graph being built.
    out: Graph,
    /// States waiting to run, each with the residual block it continues in: the other sides
    /// of red splits, the cases of flexswitches compiled inline, the first state.
    queue: Vec<(JitState, Block)>,
    /// Per merge key, the versions compiled so far.
    versions: FxHashMap<MergeKey, Vec<Version>>,
    /// Green states met per merge point and call context ([`Budgets::max_unroll`]).
    unrolled: FxHashMap<u64, usize>,
    /// Red-constant merge keys made per merge point and call context
    /// ([`Budgets::max_unroll_safe`]).
    unrolled_safe: FxHashMap<u64, usize>,
    /// The flexswitches left, each waiting for values.
    snapshots: Vec<Snapshot>,
    /// Results of the casts emitted on objects whose class is known (they cannot fail): one
    /// whose result is never used is removed when the graph is finished.
    safe_casts: Vec<Var>,
    shared: Shared<'a>,
    kind: Kind,
    /// Whether this compilation is the case of a split: the entry it continues in is a
    /// split entry.
    from_split: bool,
    /// What the residual graph is compiled from (set by each way in).
    source: Option<Source>,
    /// What this compilation did.
    pub stats: Stats,
    services: Option<&'a dyn CompileServices>,
    /// Quasi-immutable fields: the token of this code and whether it relies on one yet.
    quasi: quasi::QuasiState,
    /// The IR interpreter running elidable calls at compile time (made on first use), and
    /// whether it shares the prebuilt objects residual code sees.
    elidable_interp: Option<(rpy_ir::llinterp::Interp<'a>, bool)>,
    /// The residual variables whose values in the state compiled for are known (`observe`).
    observed: observe::Observed,
    /// An entry graph's own merge key and whether a loop closed there (see `joins`).
    start: joins::Start,
    /// Guest calls inlined: the keys refused, restarts (`portal_inline`).
    inlining: portal_inline::Inlining,
}

/// The result of a step of compilation: a [`GiveUp`] ends the compilation.
type Step<T> = Result<T, GiveUp>;
