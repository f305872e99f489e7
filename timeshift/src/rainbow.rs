//! The rainbow engine: runs JitCode at compile time and builds the residual graph.
//!
//! Green instructions run now (folded with [`rpy_ir::fold`]). Red instructions fold when
//! their boxes are constants, act on virtual objects at compile time, and otherwise append a
//! residual op. A branch on a red box that is not a constant splits the state: the residual
//! block ends in the same branch, the current state continues on one side and a copy waits in
//! the pending queue for the other. At a merge point (a join of the specialisation: loop
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
//! At merge points the heap cache ([`crate::state::HeapCache`]) emits its pending stores —
//! except those of virtual objects into real ones, which a version carries (their objects
//! and values are part of its shape): a loop that stores a fresh object in the same place
//! each iteration (an interpreter's boxed result in an object's field) allocates it once,
//! when something observes the place. An access that may reach such a place through another
//! variable compares the two objects (`alias_guard`) rather than making the store. A version
//! also carries what is known of the objects the state reaches (an object's class field,
//! where a value lives) and which of its variables hold one object ([`merge::identities`]):
//! a loop neither reads again nor checks again each iteration what it knew at its end (what
//! it knew before its first iteration is a version of its own: the first iteration is
//! peeled). Everything else is forgotten.

use crate::jitcode::{Insn, JitCodeIdx, JitCodes};
use crate::merge::{self, Shape};
use crate::state::{Frame, HeapCache, HeapEntry, HeapObj, JitState, Loc, RedBox, Virtual};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, GraphIdx, OpIdx, Program, Target, Value, Var};
use rpy_ir::layout::Layout;
use rpy_ir::ops::{OpFlags, Opcode};
use rpy_ir::span::Span;
use rpy_ir::types::{HeapTypeIdx, Ty};
use std::collections::HashMap;

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
    /// Cases compiled per flexswitch (per promotion site: a graph compiled again has new
    /// flexswitches there); values past them continue in the interpreter.
    pub max_cases: usize,
    /// Distinct green states met per compilation at one merge point outside the portal: a
    /// loop the engine unrolls (a green loop variable) must end at compile time; one whose
    /// end depends on a red value would unroll until the op budget, slowly and with much
    /// memory. (The portal's own merge points are exempt: the bytecode position there is a
    /// green that takes one value per instruction of the user's program.)
    pub max_unroll: usize,
}

impl Default for Budgets {
    fn default() -> Budgets {
        Budgets {
            max_residual_ops: 50_000,
            max_versions: 4,
            max_steps: 5_000_000,
            max_inline_cases: 8,
            max_cases: 64,
            max_unroll: 1000,
        }
    }
}

/// Why a compilation gave up; the driver then falls back to calling the interpreter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GiveUp {
    /// A budget was exhausted.
    Budget(String),
    /// Something this engine does not handle yet.
    Unsupported(String),
}

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GiveUp::Budget(m) => write!(f, "budget exhausted: {m}"),
            GiveUp::Unsupported(m) => write!(f, "unsupported: {m}"),
        }
    }
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
    /// Compile-time instructions run.
    pub steps: usize,
}

/// A compile-time value of a register.
#[derive(Clone, Copy, Debug)]
enum Val {
    Green(Const),
    Red(RedBox),
}

/// Where a merge point is met and what is green there: the frames' positions, and the green
/// registers (the innermost frame's live ones, every one of the callers'). Hashed once, when
/// made ([`MergeKey::new`]): a key holds every green register of the callers, and the
/// versions table is looked up several times per merge point.
#[derive(Clone, Debug, PartialEq, Eq)]
struct MergeKey {
    hash: u64,
    pcs: Vec<(JitCodeIdx, usize)>,
    greens: Vec<Option<Const>>,
}

impl MergeKey {
    fn new(pcs: Vec<(JitCodeIdx, usize)>, greens: Vec<Option<Const>>) -> MergeKey {
        let mut h = FxHasher(0);
        std::hash::Hash::hash(&pcs, &mut h);
        std::hash::Hash::hash(&greens, &mut h);
        MergeKey { hash: h.0, pcs, greens }
    }
}

impl std::hash::Hash for MergeKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The multiply-rotate hash of rustc (`FxHasher`): for keys hashed once and compared whole.
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A heap entry a version or snapshot carries: its location, and whether its store is
/// pending (else it is a known value).
pub type Carried = (Loc, bool);

/// What [`Compiler::heap_op`] did with an access.
enum HeapStep {
    /// Served or recorded by the heap cache.
    Done,
    /// Not handled: the caller emits the op.
    Emit,
    /// Guarded (see [`Compiler::alias_guard`]): the op runs again, in this block.
    Again(Block),
}

struct Version {
    block: Block,
    /// Per red position, what this version is specialised to; then, per heap entry it
    /// carries, the object's shape and the value's.
    shape: Vec<Shape>,
    /// The locations of the heap entries it carries, each with whether its store is pending
    /// (see [`Compiler::carried_entries`]).
    carried: Vec<Carried>,
    /// Pairs of its variables that hold one object ([`merge::identities`]).
    identities: Vec<(usize, usize)>,
}

/// What a promotion makes known when its value arrives.
#[derive(Clone, Debug)]
pub enum Promoted {
    /// `promote`: the value itself, into this green register; the promoted register's
    /// residual variable becomes that constant everywhere in the state.
    Value {
        /// The hint's result register.
        dst: Var,
        /// The register holding the promoted (red) value.
        src: Var,
    },
    /// `promote_class`: the type tag of the object in register `operand`; `dst` receives the
    /// object, its class now known.
    Class {
        /// The hint's result register.
        dst: Var,
        /// The register holding the object.
        operand: Var,
    },
}

/// Where a promotion happens, the same in every recompilation: the frames' code positions, the
/// promoted register, and the green context ([`JitState::context`]: the interpreter's green
/// key, e.g. the bytecode and its pc). Values met at a site are per green context: another
/// program, or another position in the same program, reaching the same code may never see them.
pub type SiteKey = (Vec<(JitCodeIdx, usize)>, Var, Vec<Option<Const>>);

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

impl Promoted {
    /// The register whose value (or class) is promoted.
    pub fn operand(&self) -> Var {
        match *self {
            Promoted::Value { dst, .. } => dst,
            Promoted::Class { operand, .. } => operand,
        }
    }
}

/// The flexswitch case a promoted constant selects.
pub fn case_key(c: Const) -> i64 {
    match c {
        Const::Int(i) => i,
        Const::Char(ch) => ch as i64,
        Const::Bool(b) => b as i64,
        Const::Ptr(addr, _) => addr as i64,
        _ => 0,
    }
}

/// The frozen state at a flexswitch, from which each value's case is compiled.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The number of the `jit_hook` call site.
    pub id: u32,
    /// The state, positioned after the promoting hint.
    pub state: JitState,
    /// The red registers carried to the case: (frame, register).
    pub positions: Vec<(usize, Var)>,
    /// Their shapes (virtual objects stay virtual), then those of the pending stores carried
    /// (each an object, then a value).
    pub shape: Vec<Shape>,
    /// The locations of the pending stores carried to the case (all pending).
    pub pending: Vec<Carried>,
    /// What the value makes known.
    pub promoted: Promoted,
    /// The types of the case's parameters (the shape's variables).
    pub param_tys: Vec<Ty>,
    /// The type of the value switched on.
    pub value_ty: Ty,
    /// Where the promotion is.
    pub site: SiteKey,
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
}

/// Entry graphs at the global merge point: residual graphs starting at the top of the
/// dispatch loop in a given state, which flexswitch cases call (in tail position) to continue
/// in compiled code instead of compiling the rest of the program again.
#[derive(Default)]
pub struct EntryTable {
    map: HashMap<MergeKey, Vec<(Vec<Shape>, GraphIdx)>>,
}

impl EntryTable {
    /// Number of entry graphs.
    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    pub known: Option<&'a std::cell::RefCell<HashMap<SiteKey, Vec<Const>>>>,
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

/// One compilation: from a portal entry with its green arguments to a residual graph.
pub struct Compiler<'a> {
    program: &'a Program,
    codes: &'a JitCodes,
    layout: Layout,
    folder: rpy_ir::fold::Folder<'a>,
    budgets: Budgets,
    out: Graph,
    pending: Vec<(JitState, Block)>,
    versions: HashMap<MergeKey, Vec<Version>>,
    /// Per merge point outside the portal (its JitCode and position), the green states met
    /// there (see [`Budgets::max_unroll`]).
    unrolled: HashMap<(JitCodeIdx, usize), usize>,
    snapshots: Vec<Snapshot>,
    shared: Shared<'a>,
    kind: Kind,
    source: Option<Source>,
    /// What this compilation did.
    pub stats: Stats,
}

type Step<T> = Result<T, GiveUp>;

impl<'a> Compiler<'a> {
    /// Compiles the portal for `greens` (one entry per portal parameter: `Some` for the green
    /// ones). The residual graph takes the red parameters, in order.
    pub fn compile(
        program: &'a Program,
        codes: &'a JitCodes,
        greens: &[Option<Const>],
        budgets: Budgets,
        name: &str,
        shared: Shared<'a>,
    ) -> Result<Compiled, GiveUp> {
        let code = &codes.codes[codes.portal];
        let pg = &program.graphs[code.graph];
        let red_params: Vec<Ty> =
            pg.params.iter().zip(greens).filter(|(_, g)| g.is_none()).map(|(t, _)| *t).collect();
        let mut c = Compiler::new(
            program,
            codes,
            Graph::new(name, red_params, pg.ret, pg.span),
            budgets,
            shared,
            Kind::Initial,
        );
        let mut frame = c.new_frame(codes.portal, None);
        let entry = c.out.entry;
        let mut red_vars = c.out.blocks[entry].params.clone().into_iter();
        for (p, g) in pg.param_vars().iter().zip(greens) {
            match g {
                Some(k) => frame.greens[p.index()] = Some(*k),
                None => frame.reds[p.index()] = Some(RedBox::Var(red_vars.next().unwrap())),
            }
        }
        let st = JitState { frames: vec![frame], context: greens.to_vec(), ..JitState::default() };
        c.pending.push((st, entry));
        c.source = Some(Source::Key(greens.to_vec()));
        c.finish()
    }

    /// Compiles a graph again from its source, with the values its flexswitches have met
    /// since (`shared.known`) switched on inline.
    pub fn recompile(
        program: &'a Program,
        codes: &'a JitCodes,
        source: &Source,
        budgets: Budgets,
        name: &str,
        shared: Shared<'a>,
    ) -> Result<Compiled, GiveUp> {
        match source {
            Source::Key(greens) => Compiler::compile(program, codes, greens, budgets, name, shared),
            Source::Case(snap, value) => {
                Compiler::resume(program, codes, snap, *value, budgets, name, shared)
            }
            Source::Entry(st, positions, shape) => {
                Compiler::entry(program, codes, st, positions, shape, budgets, name, shared)
            }
            Source::Fallback => Err(GiveUp::Unsupported("a fallback is not recompiled".into())),
        }
    }

    /// The fallback of a flexswitch whose case cannot be compiled: a residual graph taking the
    /// snapshot's variables (after the value itself when `value` is `None`: then one graph
    /// serves every value) that makes the snapshot's state real — virtual objects forced,
    /// green registers as constants — and continues in the interpreter: it calls the
    /// continuation of the innermost frame, then of each caller with its callee's result.
    /// `conts`: per frame, outermost first, the continuation graph and the variables its
    /// parameters stand for (see [`crate::fallback`]).
    pub fn fallback(
        program: &'a Program,
        codes: &'a JitCodes,
        snap: &Snapshot,
        value: Option<Const>,
        conts: &[(GraphIdx, Vec<Var>)],
        name: &str,
        shared: Shared<'a>,
    ) -> Result<Compiled, GiveUp> {
        let portal = &program.graphs[codes.codes[codes.portal].graph];
        let mut params = snap.param_tys.clone();
        if value.is_none() {
            params.insert(0, snap.value_ty);
        }
        let graph = Graph::new(name, params, portal.ret, portal.span);
        let mut c = Compiler::new(program, codes, graph, Budgets::default(), shared, Kind::Case);
        let cur = c.out.entry;
        let mut st = snap.state.clone();
        let mut params = c.out.blocks[cur].params.clone();
        let value_param = if value.is_none() { Some(params.remove(0)) } else { None };
        let extra = merge::rebuild_state_ext(&mut st, &snap.positions, &snap.shape, params);
        // The interpreter reads the heap: the pending stores are made first.
        st.heap = HeapCache::default();
        c.restore_carried(&mut st, cur, &extra, &snap.pending);
        c.forget_heap(&mut st, cur)?;
        match (value, &snap.promoted, value_param) {
            (Some(k), promoted, _) => c.apply_promoted(&mut st, promoted, k)?,
            (None, Promoted::Value { dst, .. }, Some(p)) => {
                st.top().greens[dst.index()] = None;
                st.top().reds[dst.index()] = Some(RedBox::Var(p));
            }
            (None, Promoted::Class { dst, operand }, _) => {
                let b = st.top().reds[operand.index()];
                st.top().greens[dst.index()] = None;
                st.top().reds[dst.index()] = b;
            }
            (None, Promoted::Value { .. }, None) => unreachable!("the value is a parameter"),
        }
        let mut result: Option<Value> = None;
        for fi in (0..st.frames.len()).rev() {
            let (graph, inputs) = &conts[fi];
            // The interpreter graph the continuation is a copy of.
            let original = &program.graphs[codes.codes[st.frames[fi].code].graph];
            let returned_to = st.frames.get(fi + 1).and_then(|f| f.result_to);
            let mut args = Vec::with_capacity(inputs.len());
            for v in inputs {
                let f = &st.frames[fi];
                let arg = match (f.greens[v.index()], f.reds[v.index()]) {
                    _ if Some(*v) == returned_to => result.ok_or_else(|| {
                        GiveUp::Unsupported(format!("fallback: no result for {v}"))
                    })?,
                    (Some(k), _) => Value::Const(k),
                    (None, Some(b)) => c.residual(&mut st, cur, b),
                    (None, None) => {
                        return Err(GiveUp::Unsupported(format!(
                            "fallback: {v} is live in {} but has no value",
                            original.name
                        )))
                    }
                };
                args.push(arg);
            }
            let ret = original.ret;
            let r = c.emit(cur, Opcode::Call, args, Aux::Graph(*graph), ret, Span::UNKNOWN)?;
            result = r.map(Value::Var);
        }
        c.out.blocks[cur].exit = Exit::Return(result);
        c.source = Some(Source::Fallback);
        c.finish()
    }

    /// Compiles the case of `value` at a flexswitch: a residual graph taking the snapshot's
    /// variables, continuing from the promoting hint with the value known.
    pub fn resume(
        program: &'a Program,
        codes: &'a JitCodes,
        snap: &Snapshot,
        value: Const,
        budgets: Budgets,
        name: &str,
        shared: Shared<'a>,
    ) -> Result<Compiled, GiveUp> {
        let ret = program.graphs[codes.codes[codes.portal].graph].ret;
        let span = program.graphs[codes.codes[codes.portal].graph].span;
        let mut c = Compiler::new(
            program,
            codes,
            Graph::new(name, snap.param_tys.clone(), ret, span),
            budgets,
            shared,
            Kind::Case,
        );
        let entry = c.out.entry;
        let mut st = snap.state.clone();
        let params = c.out.blocks[entry].params.clone();
        let extra = merge::rebuild_state_ext(&mut st, &snap.positions, &snap.shape, params);
        st.heap = HeapCache::default();
        c.restore_carried(&mut st, entry, &extra, &snap.pending);
        c.apply_promoted(&mut st, &snap.promoted, value)?;
        c.pending.push((st, entry));
        c.source = Some(Source::Case(Box::new(snap.clone()), value));
        c.finish()
    }

    /// Makes a promoted value known in a state positioned after the promoting hint.
    fn apply_promoted(&self, st: &mut JitState, promoted: &Promoted, value: Const) -> Step<()> {
        match *promoted {
            Promoted::Value { dst, src } => {
                if let Some(RedBox::Var(x)) = st.top().reds[src.index()].map(|b| st.resolve(b)) {
                    st.replace_var(x, value);
                }
                assign(st.top(), dst, true, Val::Green(value))
            }
            Promoted::Class { dst, operand } => {
                let b = st.top().reds[operand.index()]
                    .expect("the promoted object is a carried register");
                if let (RedBox::Var(x), Const::Int(tag)) = (b, value) {
                    st.classes.insert(x, tag);
                    st.classes.insert(st.heap.canon(x), tag);
                }
                let green = self.codes.codes[st.frames.last().unwrap().code].green.contains(dst);
                assign(st.top(), dst, green, Val::Red(b))
            }
        }
    }

    fn new(
        program: &'a Program,
        codes: &'a JitCodes,
        mut out: Graph,
        budgets: Budgets,
        shared: Shared<'a>,
        kind: Kind,
    ) -> Compiler<'a> {
        // Residual graphs continue in one another (flexswitch cases, entry graphs) at their
        // ends: those calls must not grow the stack.
        out.tail_calls = true;
        Compiler {
            program,
            codes,
            layout: Layout::compute(&program.types),
            folder: rpy_ir::fold::Folder::with_layout(program, Layout::compute(&program.types)),
            budgets,
            out,
            pending: Vec::new(),
            versions: HashMap::new(),
            unrolled: HashMap::new(),
            snapshots: Vec::new(),
            shared,
            kind,
            source: None,
            stats: Stats::default(),
        }
    }

    fn finish(mut self) -> Result<Compiled, GiveUp> {
        while let Some((state, block)) = self.pending.pop() {
            self.stats.states += 1;
            self.run(state, block)?;
        }
        self.out.simplify();
        if fold_residual(self.program, &self.folder, &mut self.out) {
            self.out.simplify();
        }
        let source = self.source.expect("every compilation records its source");
        Ok(Compiled { graph: self.out, stats: self.stats, snapshots: self.snapshots, source })
    }

    fn new_frame(&self, code: JitCodeIdx, result_to: Option<Var>) -> Frame {
        let jc = &self.codes.codes[code];
        let n = self.program.graphs[jc.graph].vars.len();
        let entry = self.program.graphs[jc.graph].entry;
        let pc = jc.block_start[entry].expect("the entry block is reached") as usize;
        Frame { code, pc, greens: vec![None; n], reds: vec![None; n], result_to }
    }

    fn graph_of(&self, st: &JitState) -> &'a Graph {
        let code = &self.codes.codes[st.frames.last().unwrap().code];
        &self.program.graphs[code.graph]
    }

    /// Runs one state until it ends (return, jump to an existing version, or dead code).
    fn run(&mut self, mut st: JitState, mut cur: Block) -> Step<()> {
        loop {
            self.stats.steps += 1;
            if self.stats.steps > self.budgets.max_steps {
                return Err(GiveUp::Budget(format!(
                    "more than {} compile-time steps",
                    self.budgets.max_steps
                )));
            }
            let frame = st.frames.last().unwrap();
            let insn = self.codes.codes[frame.code].insns[frame.pc].clone();
            st.top().pc += 1;
            match insn {
                Insn::Merge { live, .. } => match self.merge(&mut st, cur, &live)? {
                    Some(b) => cur = b,
                    None => return Ok(()),
                },
                Insn::Green(op) => {
                    if !self.green_op(&mut st, cur, op)? {
                        return Ok(());
                    }
                }
                Insn::Red(op) => cur = self.red_op(&mut st, cur, op, true)?,
                Insn::FrozenRead(op) => {
                    if !self.frozen_read(&mut st, op) {
                        cur = self.red_op(&mut st, cur, op, true)?;
                    }
                }
                Insn::Hint(op) => {
                    if !self.hint(&mut st, cur, op)? {
                        return Ok(());
                    }
                }
                Insn::ResidualCall(op) => {
                    // The callee may read or write any object.
                    self.flush_if(&mut st, cur, true, |_| true)?;
                    let od = &self.graph_of(&st).ops[op];
                    let args = self.values(&mut st, cur, &od.args.clone());
                    let ty = od.result.map_or(Ty::Void, |r| self.graph_of(&st).vars[r].ty);
                    let r = self.emit(cur, Opcode::Call, args, od.aux.clone(), ty, od.span)?;
                    if let (Some(dst), Some(r)) = (od.result, r) {
                        st.top().reds[dst.index()] = Some(RedBox::Var(r));
                    }
                }
                Insn::Call(op, callee) => {
                    let g = self.graph_of(&st);
                    let od = &g.ops[op];
                    let vals: Vec<Val> = od.args.iter().map(|a| self.get(&st, *a)).collect();
                    let mut frame = self.new_frame(callee, od.result);
                    let cg = &self.program.graphs[self.codes.codes[callee].graph];
                    let green = &self.codes.codes[callee].green;
                    for (p, v) in cg.param_vars().iter().zip(vals) {
                        assign(&mut frame, *p, green.contains(*p), v)?;
                    }
                    st.frames.push(frame);
                }
                Insn::Exit { block, .. } => match self.exit(&mut st, cur, block)? {
                    Some(b) => cur = b,
                    None => return Ok(()),
                },
            }
        }
    }

    /// The compile-time value of an operand in the innermost frame.
    fn get(&self, st: &JitState, v: Value) -> Val {
        match v {
            Value::Const(c) => Val::Green(c),
            Value::Var(x) => {
                let f = st.frames.last().unwrap();
                match (f.greens[x.index()], f.reds[x.index()]) {
                    (Some(c), _) => Val::Green(c),
                    (None, Some(b)) => Val::Red(st.resolve(b)),
                    (None, None) => panic!("register {x} read before it is written"),
                }
            }
        }
    }

    fn emit(
        &mut self,
        block: Block,
        opcode: Opcode,
        args: Vec<Value>,
        aux: Aux,
        ty: Ty,
        span: Span,
    ) -> Step<Option<Var>> {
        self.stats.residual_ops += 1;
        if self.stats.residual_ops > self.budgets.max_residual_ops {
            return Err(GiveUp::Budget(format!(
                "more than {} residual ops",
                self.budgets.max_residual_ops
            )));
        }
        Ok(self.out.push_op(block, opcode, args, aux, ty, span))
    }

    /// Residual values for operands, forcing virtual objects.
    fn values(&mut self, st: &mut JitState, cur: Block, args: &[Value]) -> Vec<Value> {
        args.iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) => Value::Const(c),
                Val::Red(b) => self.residual(st, cur, b),
            })
            .collect()
    }

    fn residual(&mut self, st: &mut JitState, cur: Block, b: RedBox) -> Value {
        match st.resolve(b) {
            RedBox::Const(c) => Value::Const(c),
            RedBox::Var(v) => Value::Var(v),
            RedBox::Virtual(i) => Value::Var(self.force(st, cur, i)),
        }
    }

    /// Emits the allocation and field stores of a virtual object (which escapes).
    fn force(&mut self, st: &mut JitState, cur: Block, i: usize) -> Var {
        if let Some(v) = st.virtuals[i].forced {
            return v;
        }
        self.stats.virtuals_forced += 1;
        let ty = st.virtuals[i].ty;
        let is_array = self.program.types.as_array(ty).is_some();
        let v = if is_array {
            let len = Value::Const(Const::Int(st.virtuals[i].fields.len() as i64));
            self.out.push_op(
                cur,
                Opcode::MallocArray,
                vec![len],
                Aux::Type(ty),
                Ty::Ref(ty),
                Span::UNKNOWN,
            )
        } else {
            self.out.push_op(cur, Opcode::Malloc, vec![], Aux::Type(ty), Ty::Ref(ty), Span::UNKNOWN)
        }
        .unwrap();
        self.stats.residual_ops += 1;
        st.virtuals[i].forced = Some(v);
        let fields = st.virtuals[i].fields.clone();
        for (idx, f) in fields.into_iter().enumerate() {
            if let Some(b) = f {
                let val = self.residual(st, cur, b);
                let (opcode, args, aux) = if is_array {
                    let at = Value::Const(Const::Int(idx as i64));
                    (Opcode::SetArrayItem, vec![Value::Var(v), at, val], Aux::Array(ty))
                } else {
                    (Opcode::SetField, vec![Value::Var(v), val], Aux::Field(ty, idx as u32))
                };
                self.out.push_op(cur, opcode, args, aux, Ty::Void, Span::UNKNOWN);
                self.stats.residual_ops += 1;
            }
        }
        v
    }

    /// The operands of `op` in the innermost frame if all are constants (green, or red boxes
    /// known after all).
    fn const_operands(&self, st: &JitState, op: OpIdx) -> Option<Vec<Const>> {
        let od = &self.graph_of(st).ops[op];
        od.args
            .iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) | Val::Red(RedBox::Const(c)) => Some(c),
                Val::Red(_) => None,
            })
            .collect()
    }

    /// An [`Insn::FrozenRead`] whose operands are all constants, read at compile time (the
    /// array is frozen: its contents now are its contents forever). False when an operand is
    /// not constant or the read cannot be made (an index out of bounds fails at run time).
    fn frozen_read(&mut self, st: &mut JitState, op: OpIdx) -> bool {
        let od = &self.graph_of(st).ops[op];
        let Some(consts) = self.const_operands(st, op) else { return false };
        let read = read_frozen(self.program, od.opcode, &od.aux, &consts).or_else(|| {
            crate::heap::read(&self.layout, &self.program.types, od.opcode, &od.aux, &consts)
                .map(Ok)
        });
        match (read, od.result) {
            (Some(Ok(c)), Some(r)) => {
                self.set_red(st, Some(r), RedBox::Const(c));
                true
            }
            _ => false,
        }
    }

    /// Runs a green op; false when it would fail at run time (the failing op is emitted, and
    /// the rest of this path is dead).
    fn green_op(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<bool> {
        let od = &self.graph_of(st).ops[op];
        let Some(consts) = self.const_operands(st, op) else {
            // Green by what the engine knows of a red box (a virtual object, a promoted
            // class): the red rules compute it, and it must come out constant.
            self.red_op(st, cur, op, false)?;
            let r = od.result.expect("green ops have results");
            return match st.top().reds[r.index()].take() {
                Some(RedBox::Const(c)) => {
                    st.top().greens[r.index()] = Some(c);
                    Ok(true)
                }
                other => Err(GiveUp::Unsupported(format!(
                    "green '{}' not constant at compile time: {other:?}",
                    od.opcode
                ))),
            };
        };
        let folded = self
            .folder
            .fold(od.opcode, &od.aux, &consts)
            .or_else(|| read_frozen(self.program, od.opcode, &od.aux, &consts))
            .or_else(|| {
                crate::heap::read(&self.layout, &self.program.types, od.opcode, &od.aux, &consts)
                    .map(Ok)
            });
        match folded {
            Some(Ok(c)) => {
                if let Some(r) = od.result {
                    st.top().greens[r.index()] = Some(c);
                }
                Ok(true)
            }
            Some(Err(_)) => {
                self.fail_here(st, cur, op)?;
                Ok(false)
            }
            None => Err(GiveUp::Unsupported(format!(
                "cannot run '{}' at compile time on {consts:?}",
                od.opcode
            ))),
        }
    }

    /// Emits an op that fails at run time on its constant operands, and ends the path.
    fn fail_here(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<()> {
        let g = self.graph_of(st);
        let od = &g.ops[op];
        let args = self.values(st, cur, &od.args.clone());
        let ty = od.result.map_or(Ty::Void, |r| g.vars[r].ty);
        self.emit(cur, od.opcode, args, od.aux.clone(), ty, od.span)?;
        let ret = self.out.ret;
        self.out.blocks[cur].exit = Exit::Return(Const::zero(ret).map(Value::Const));
        Ok(())
    }

    fn set_red(&self, st: &mut JitState, r: Option<Var>, b: RedBox) {
        if let Some(r) = r {
            st.top().reds[r.index()] = Some(b);
        }
    }

    fn red_op(&mut self, st: &mut JitState, cur: Block, op: OpIdx, split: bool) -> Step<Block> {
        let g = self.graph_of(st);
        let od = &g.ops[op];
        let boxes: Vec<RedBox> = od
            .args
            .iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) => RedBox::Const(c),
                Val::Red(b) => b,
            })
            .collect();
        let virt = |i: usize| match boxes.get(i) {
            Some(RedBox::Virtual(v)) => Some(*v),
            _ => None,
        };
        match (od.opcode, &od.aux) {
            (Opcode::Malloc, Aux::Type(t)) => {
                let n = self.program.types.struct_def(*t).fields.len();
                st.virtuals.push(Virtual { ty: *t, fields: vec![None; n], forced: None });
                self.set_red(st, od.result, RedBox::Virtual(st.virtuals.len() - 1));
                return Ok(cur);
            }
            (Opcode::MallocArray, Aux::Type(t)) => {
                if let RedBox::Const(Const::Int(n)) = boxes[0] {
                    if (0..=MAX_VIRTUAL_ARRAY).contains(&n) {
                        st.virtuals.push(Virtual {
                            ty: *t,
                            fields: vec![None; n as usize],
                            forced: None,
                        });
                        self.set_red(st, od.result, RedBox::Virtual(st.virtuals.len() - 1));
                        return Ok(cur);
                    }
                }
            }
            (Opcode::ArrayLen, _) if virt(0).is_some() => {
                let n = st.virtuals[virt(0).unwrap()].fields.len() as i64;
                self.set_red(st, od.result, RedBox::Const(Const::Int(n)));
                return Ok(cur);
            }
            (Opcode::GetArrayItem, Aux::Array(at))
                if virt(0).is_some_and(|v| {
                    const_index(boxes[1], st.virtuals[v].fields.len()).is_some()
                }) =>
            {
                let v = virt(0).unwrap();
                let i = const_index(boxes[1], st.virtuals[v].fields.len()).unwrap();
                let elem = self.program.types.as_array(*at).expect("an array type").elem;
                let b = match st.virtuals[v].fields[i] {
                    Some(b) => b,
                    None => RedBox::Const(Const::zero(elem).ok_or_else(|| {
                        GiveUp::Unsupported("read of an unset function-pointer item".into())
                    })?),
                };
                self.set_red(st, od.result, b);
                return Ok(cur);
            }
            (Opcode::SetArrayItem, _)
                if virt(0).is_some_and(|v| {
                    const_index(boxes[1], st.virtuals[v].fields.len()).is_some()
                }) =>
            {
                let v = virt(0).unwrap();
                let i = const_index(boxes[1], st.virtuals[v].fields.len()).unwrap();
                st.virtuals[v].fields[i] = Some(boxes[2]);
                return Ok(cur);
            }
            (Opcode::SetField, Aux::Field(_, idx)) if virt(0).is_some() => {
                st.virtuals[virt(0).unwrap()].fields[*idx as usize] = Some(boxes[1]);
                return Ok(cur);
            }
            (Opcode::GetField, Aux::Field(_, idx)) if virt(0).is_some() => {
                let v = &st.virtuals[virt(0).unwrap()];
                let field_ty = self.program.types.struct_def(v.ty).fields[*idx as usize].ty;
                let b = match v.fields[*idx as usize] {
                    Some(b) => b,
                    None => RedBox::Const(Const::zero(field_ty).ok_or_else(|| {
                        GiveUp::Unsupported("read of an unset function-pointer field".into())
                    })?),
                };
                self.set_red(st, od.result, b);
                return Ok(cur);
            }
            (Opcode::InstanceOf, Aux::Type(t)) if virt(0).is_some() => {
                let sub = self.program.types.is_subtype(st.virtuals[virt(0).unwrap()].ty, *t);
                self.set_red(st, od.result, RedBox::Const(Const::Bool(sub)));
                return Ok(cur);
            }
            // A failing cast of a virtual stays a (residual) cast: it fails at run time.
            (Opcode::Cast, Aux::Type(t))
                if virt(0)
                    .is_some_and(|v| self.program.types.is_subtype(st.virtuals[v].ty, *t)) =>
            {
                self.set_red(st, od.result, boxes[0]);
                return Ok(cur);
            }
            (Opcode::TypeOf, _) if virt(0).is_some() => {
                let tag = self.layout.tag(st.virtuals[virt(0).unwrap()].ty) as i64;
                self.set_red(st, od.result, RedBox::Const(Const::Int(tag)));
                return Ok(cur);
            }
            (Opcode::InstanceOf | Opcode::Cast | Opcode::TypeOf, _)
                if known_tag(st, boxes[0]).is_some() =>
            {
                let tag = known_tag(st, boxes[0]).unwrap();
                let inside = |t: &rpy_ir::types::HeapTypeIdx| {
                    let (lo, hi) = self.layout.tag_range(*t);
                    (lo..=hi).contains(&(tag as u64))
                };
                match (od.opcode, &od.aux) {
                    (Opcode::InstanceOf, Aux::Type(t)) => {
                        self.set_red(st, od.result, RedBox::Const(Const::Bool(inside(t))));
                        return Ok(cur);
                    }
                    (Opcode::Cast, Aux::Type(t)) if inside(t) => {
                        // A variable of the target type holding the object serves.
                        if let Some(y) = self.typed_alias(st, boxes[0], Ty::Ref(*t)) {
                            self.set_red(st, od.result, RedBox::Var(y));
                            return Ok(cur);
                        }
                        // The check cannot fail, but the IR wants a value of the target
                        // type: the cast stays (a compare LLVM removes), the class known.
                        let arg = self.residual(st, cur, boxes[0]);
                        let ty = Ty::Ref(*t);
                        let r = self
                            .emit(cur, Opcode::Cast, vec![arg], od.aux.clone(), ty, od.span)?
                            .unwrap();
                        st.classes.insert(r, tag);
                        st.heap.note_cast(r, st.resolve(boxes[0]));
                        self.set_red(st, od.result, RedBox::Var(r));
                        return Ok(cur);
                    }
                    (Opcode::TypeOf, _) => {
                        self.set_red(st, od.result, RedBox::Const(Const::Int(tag)));
                        return Ok(cur);
                    }
                    _ => {}
                }
            }
            // An object the heap cache knows a location of was accessed: it is not null.
            (Opcode::PtrIsNull | Opcode::PtrNonNull, _)
                if heap_obj(st, boxes[0])
                    .is_some_and(|o| st.heap.entries.iter().any(|e| e.obj == o)) =>
            {
                let r = od.opcode == Opcode::PtrNonNull;
                self.set_red(st, od.result, RedBox::Const(Const::Bool(r)));
                return Ok(cur);
            }
            (Opcode::PtrIsNull | Opcode::PtrNonNull, _) if virt(0).is_some() => {
                let r = od.opcode == Opcode::PtrNonNull;
                self.set_red(st, od.result, RedBox::Const(Const::Bool(r)));
                return Ok(cur);
            }
            (Opcode::PtrEq | Opcode::PtrNe, _) if virt(0).is_some() || virt(1).is_some() => {
                // A virtual object is a fresh allocation: only identical to itself.
                let same = boxes[0] == boxes[1];
                let r = if od.opcode == Opcode::PtrEq { same } else { !same };
                self.set_red(st, od.result, RedBox::Const(Const::Bool(r)));
                return Ok(cur);
            }
            _ => {}
        }
        match self.heap_op(st, cur, op, &boxes, split)? {
            HeapStep::Done => return Ok(cur),
            HeapStep::Again(b) => return Ok(b),
            HeapStep::Emit => {}
        }
        if let Some(b) = identity_operand(od.opcode, &boxes) {
            self.set_red(st, od.result, b);
            return Ok(cur);
        }
        let consts: Option<Vec<Const>> = boxes
            .iter()
            .map(|b| match b {
                RedBox::Const(c) => Some(*c),
                _ => None,
            })
            .collect();
        if let (Some(consts), true) = (consts, od.opcode.is_pure()) {
            if let Some(Ok(c)) = self.folder.fold(od.opcode, &od.aux, &consts) {
                self.set_red(st, od.result, RedBox::Const(c));
                return Ok(cur);
            }
        }
        let writes = od.opcode.info().flags.contains(OpFlags::SIDE_EFFECTS);
        if writes && !matches!(od.opcode, Opcode::SetField | Opcode::SetArrayItem) {
            // Anything else writing memory (or doing I/O) may observe or change any object.
            self.flush_if(st, cur, true, |_| true)?;
        }
        let args: Vec<Value> = boxes.iter().map(|b| self.residual(st, cur, *b)).collect();
        let ty = od.result.map_or(Ty::Void, |r| g.vars[r].ty);
        if let Some(r) = self.emit(cur, od.opcode, args, od.aux.clone(), ty, od.span)? {
            if od.opcode == Opcode::Cast {
                st.heap.note_cast(r, st.resolve(boxes[0]));
            }
            self.set_red(st, od.result, RedBox::Var(r));
        }
        Ok(cur)
    }

    /// A residual variable of type `ty` holding the object `b` points to (the object's
    /// canonical variable or a cast of it: [`HeapCache::canon`]), if there is one: a cast of
    /// an object whose class is known reuses it rather than checking the class again (a
    /// check LLVM cannot remove when the class was learnt before a loop).
    fn typed_alias(&self, st: &JitState, b: RedBox, ty: Ty) -> Option<Var> {
        let RedBox::Var(x) = st.resolve(b) else { return None };
        let c = st.heap.canon(x);
        let vars = std::iter::once(c)
            .chain(st.heap.same.keys().copied().filter(|&r| st.heap.canon(r) == c));
        // The first made: the same choice every run.
        vars.filter(|&r| self.out.vars[r].ty == ty).min()
    }

    /// Runs a hint; false when it ended the state at a flexswitch (promotion of a value not
    /// known at compile time: what follows is compiled when values arrive).
    fn hint(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<bool> {
        let g = self.graph_of(st);
        let od = &g.ops[op];
        let Aux::Hint(flags) = od.aux else { unreachable!("hint ops carry hint flags") };
        if flags.global_merge_point {
            return Ok(true);
        }
        let Some(r) = od.result else { return Ok(true) };
        let green = self.codes.codes[st.frames.last().unwrap().code].green.contains(r);
        let v = self.get(st, od.args[0]);
        match v {
            Val::Red(RedBox::Var(x)) if flags.promote && green => {
                let Value::Var(src) = od.args[0] else {
                    unreachable!("a red box comes from a register")
                };
                let promoted = Promoted::Value { dst: r, src };
                self.promote(st, cur, Value::Var(x), promoted, od.span)?;
                return Ok(false);
            }
            Val::Red(RedBox::Var(x)) if flags.promote_class && !st.classes.contains_key(&x) => {
                let Value::Var(operand) = od.args[0] else {
                    unreachable!("a red box comes from a register")
                };
                let tag = self
                    .emit(cur, Opcode::TypeOf, vec![Value::Var(x)], Aux::None, Ty::Int, od.span)?
                    .unwrap();
                self.promote(
                    st,
                    cur,
                    Value::Var(tag),
                    Promoted::Class { dst: r, operand },
                    od.span,
                )?;
                return Ok(false);
            }
            Val::Red(RedBox::Virtual(_)) if flags.promote && green => {
                return Err(GiveUp::Unsupported("promotion of a virtual object's address".into()));
            }
            _ => {}
        }
        let v = if flags.forget || flags.variable {
            match v {
                Val::Green(c) => Val::Red(RedBox::Const(c)),
                red => red,
            }
        } else {
            v
        };
        assign(st.top(), r, green, v)?;
        Ok(true)
    }

    /// Ends the state at a flexswitch on `value`: residual code switches on the value with no
    /// case yet; the default calls the JIT (`jit_hook`) with the value and the live values,
    /// and returns what the rest of the portal call returns. The state is kept as a
    /// [`Snapshot`], from which [`Compiler::resume`] compiles the case of each value.
    fn promote(
        &mut self,
        st: &mut JitState,
        cur: Block,
        value: Value,
        promoted: Promoted,
        span: Span,
    ) -> Step<()> {
        let value_ty = self.out.value_ty(value, self.program);
        // A switch tests ints and chars: a bool is switched on as 0/1.
        let switched = match value_ty {
            Ty::Int | Ty::Char => value,
            Ty::Bool => Value::Var(
                self.emit(cur, Opcode::CastBoolToInt, vec![value], Aux::None, Ty::Int, span)?
                    .unwrap(),
            ),
            // A pointer is switched on by its address.
            Ty::Ref(_) => Value::Var(
                self.emit(cur, Opcode::CastPtrToInt, vec![value], Aux::None, Ty::Int, span)?
                    .unwrap(),
            ),
            other => return Err(GiveUp::Unsupported(format!("promotion of a {other:?} value"))),
        };
        // The values already met here are switched on inline: each case goes on compiling in
        // this graph, so a loop through the promotion closes here.
        let site: SiteKey = (
            st.frames.iter().map(|f| (f.code, f.pc)).collect(),
            promoted.operand(),
            st.context.clone(),
        );
        let known: Vec<Const> =
            self.shared.known.and_then(|k| k.borrow().get(&site).cloned()).unwrap_or_default();
        let mut cases = Vec::new();
        for k in known {
            let b = self.out.add_block(span);
            let mut case_state = st.clone();
            self.apply_promoted(&mut case_state, &promoted, k)?;
            self.pending.push((case_state, b));
            cases.push((case_key(k), Target { block: b, args: Vec::new() }));
        }
        let id = self.shared.hooks.get();
        self.shared.hooks.set(id + 1);
        let miss = self.out.add_block(span);
        // The JIT's hook and the cases compiled in other graphs must find the heap up to
        // date: the miss path emits the pending stores, on its own copy of the state (the
        // inline cases keep them pending, and keep what is known), which the snapshot keeps
        // — but for those of virtual objects, which the cases carry as a merge point's
        // version does (a fallback makes them first).
        let mut state = st.clone();
        let pending = self.carried_entries(&mut state, miss, &[], false)?;
        state.heap = HeapCache::default();
        let (positions, boxes, tys) = self.red_positions(&state, None);
        let (ext, ext_tys, locs) = self.with_carried(boxes, tys, &pending);
        let types = &self.program.types;
        let shape = merge::generalise(&state, types, &ext, &ext_tys, &[], false, true);
        let args = self.shape_args(&mut state, miss, &shape, &ext);
        let mut hook_args = vec![value];
        hook_args.extend(args);
        let ret = self.out.ret;
        let r = self.emit(miss, Opcode::JitHook, hook_args, Aux::Hook(id), ret, span)?;
        self.out.blocks[miss].exit = Exit::Return(r.map(Value::Var));
        self.out.blocks[cur].exit = Exit::Switch {
            value: switched,
            cases,
            default: Target { block: miss, args: Vec::new() },
        };
        let mut param_tys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut param_tys));
        self.snapshots.push(Snapshot {
            id,
            state,
            positions,
            shape,
            pending: locs,
            promoted,
            param_tys,
            value_ty,
            site,
        });
        Ok(())
    }

    /// Runs a block's exit; returns the residual block to continue in, or `None` when the
    /// state is finished.
    fn exit(&mut self, st: &mut JitState, cur: Block, block: Block) -> Step<Option<Block>> {
        let g = self.graph_of(st);
        match &g.blocks[block].exit {
            Exit::Goto(t) => {
                self.jump(st, t)?;
                Ok(Some(cur))
            }
            Exit::Branch { cond, if_true, if_false } => match self.get(st, *cond) {
                Val::Green(Const::Bool(c)) | Val::Red(RedBox::Const(Const::Bool(c))) => {
                    self.jump(st, if c { if_true } else { if_false })?;
                    Ok(Some(cur))
                }
                Val::Red(b) => {
                    let cond = self.residual(st, cur, b);
                    let (tb, fb) =
                        (self.out.add_block(Span::UNKNOWN), self.out.add_block(Span::UNKNOWN));
                    self.out.blocks[cur].exit = Exit::Branch {
                        cond,
                        if_true: Target { block: tb, args: vec![] },
                        if_false: Target { block: fb, args: vec![] },
                    };
                    let mut other = st.clone();
                    self.jump(&mut other, if_false)?;
                    self.pending.push((other, fb));
                    self.jump(st, if_true)?;
                    Ok(Some(tb))
                }
                Val::Green(c) => unreachable!("branch on non-bool constant {c:?}"),
            },
            Exit::Switch { value, cases, default } => {
                let known = match self.get(st, *value) {
                    Val::Green(c) | Val::Red(RedBox::Const(c)) => Some(c),
                    Val::Red(_) => None,
                };
                if let Some(c) = known {
                    let n = match c {
                        Const::Int(i) => i,
                        Const::Char(ch) => ch as i64,
                        other => unreachable!("switch on {other:?}"),
                    };
                    let t = cases.iter().find(|(k, _)| *k == n).map_or(default, |(_, t)| t);
                    self.jump(st, t)?;
                    return Ok(Some(cur));
                }
                let v = self.values(st, cur, &[*value])[0];
                let mut rcases = Vec::new();
                for (k, t) in cases {
                    let b = self.out.add_block(Span::UNKNOWN);
                    let mut other = st.clone();
                    self.jump(&mut other, t)?;
                    self.pending.push((other, b));
                    rcases.push((*k, Target { block: b, args: vec![] }));
                }
                let db = self.out.add_block(Span::UNKNOWN);
                self.out.blocks[cur].exit = Exit::Switch {
                    value: v,
                    cases: rcases,
                    default: Target { block: db, args: vec![] },
                };
                self.jump(st, default)?;
                Ok(Some(db))
            }
            Exit::Return(v) => {
                let val = v.map(|v| self.get(st, v));
                if st.frames.len() == 1 {
                    self.flush_if(st, cur, false, |_| true)?;
                }
                let done = st.frames.pop().unwrap();
                if st.frames.is_empty() {
                    let rv = match val {
                        None => None,
                        Some(Val::Green(c)) => Some(Value::Const(c)),
                        Some(Val::Red(b)) => Some(self.residual(st, cur, b)),
                    };
                    self.out.blocks[cur].exit = Exit::Return(rv);
                    return Ok(None);
                }
                if let (Some(dst), Some(val)) = (done.result_to, val) {
                    let green =
                        self.codes.codes[st.frames.last().unwrap().code].green.contains(dst);
                    assign(st.top(), dst, green, val)?;
                }
                Ok(Some(cur))
            }
        }
    }

    /// Moves a jump's arguments into the target block's parameters (all read, then written).
    fn jump(&mut self, st: &mut JitState, t: &Target) -> Step<()> {
        let vals: Vec<Val> = t.args.iter().map(|a| self.get(st, *a)).collect();
        let code = &self.codes.codes[st.frames.last().unwrap().code];
        let g = &self.program.graphs[code.graph];
        let params = g.blocks[t.block].params.clone();
        for (p, v) in params.iter().zip(vals) {
            assign(st.top(), *p, code.green.contains(*p), v)?;
        }
        st.top().pc = code.block_start[t.block].expect("jump to a reached block") as usize;
        Ok(())
    }

    /// At a merge point: jump to a version that accepts the state (`None`: done), or start a
    /// new version and continue in its block. See [`crate::merge`].
    fn merge(&mut self, st: &mut JitState, cur: Block, live: &[Var]) -> Step<Option<Block>> {
        let top = st.frames.len() - 1;
        let (positions, boxes, tys) = self.red_positions(st, Some(live));
        let key = self.merge_key(st, live);
        if st.frames.len() == 1 && self.is_global_merge(st) {
            st.context = key.greens.clone();
        }
        if self.kind == Kind::Case && st.frames.len() == 1 && self.is_global_merge(st) {
            if let Some((table, install)) = self.shared.entries {
                // Entry graphs start from the interpreter's heap.
                self.forget_heap(st, cur)?;
                return self
                    .enter(st, cur, key, &positions, &boxes, &tys, table, install)
                    .map(|()| None);
            }
        }
        self.count_unrolled(st, &key)?;
        let general = self.versions.get(&key).map_or(0, Vec::len) >= self.budgets.max_versions;
        // Pending stores of virtual objects are carried, and what is known of the objects
        // the state reaches (past the version budget, nothing is); every other pending store
        // is emitted, and the rest of the heap cache forgotten.
        let carried = if general {
            self.forget_heap(st, cur)?;
            Vec::new()
        } else {
            self.carried_entries(st, cur, &boxes, true)?
        };
        let (ext, ext_tys, locs) = self.with_carried(boxes, tys, &carried);
        let versions = self.versions.entry(key.clone()).or_default();
        // A version that keeps the state's virtual objects virtual; past the version budget,
        // one that forces them.
        let accepting = |forcing: bool| {
            versions.iter().find(|v| {
                v.carried == locs
                    && merge::matches(st, &v.shape, &ext, forcing)
                    && merge::identities_hold(st, &v.shape, &ext, &v.identities)
            })
        };
        if let Some(ver) = accepting(false).or_else(|| if general { accepting(true) } else { None })
        {
            let (block, shape) = (ver.block, ver.shape.clone());
            let args = self.shape_args(st, cur, &shape, &ext);
            self.out.blocks[cur].exit = Exit::Goto(Target { block, args });
            return Ok(None);
        }
        // Generalised against every version on the positions (constants that differ become
        // variables whatever the heap knows), and against those carrying the same entries on
        // the entries.
        let npos = positions.len();
        let existing: Vec<&[Shape]> = versions
            .iter()
            .map(|v| if v.carried == locs { &v.shape[..] } else { &v.shape[..npos] })
            .collect();
        let shape =
            merge::generalise(st, &self.program.types, &ext, &ext_tys, &existing, general, false);
        let identities = if general { Vec::new() } else { merge::identities(st, &shape, &ext) };
        let args = self.shape_args(st, cur, &shape, &ext);
        let block = self.out.add_block(Span::UNKNOWN);
        let mut ptys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut ptys));
        let params: Vec<Var> = ptys.iter().map(|t| self.out.add_param(block, *t, None)).collect();
        let extra = merge::rebuild_state_ext(st, &positions, &shape, params.clone());
        st.heap = HeapCache::default();
        for &(j, k) in &identities {
            st.heap.same.insert(params[j], params[k]);
            // One object, one class.
            if let Some(tag) = st.classes.get(&params[j]).copied() {
                st.classes.insert(params[k], tag);
            }
        }
        self.restore_carried(st, block, &extra, &locs);
        // Dead registers of the innermost frame may still name objects of the old state:
        // clear them, so no stale box survives to a later merge.
        let top_frame = st.top();
        for (i, r) in top_frame.reds.iter_mut().enumerate() {
            if r.is_some() && !positions.contains(&(top, Var::new(i))) {
                *r = None;
            }
        }
        self.out.blocks[cur].exit = Exit::Goto(Target { block, args });
        self.versions.get_mut(&key).unwrap().push(Version {
            block,
            shape,
            carried: locs,
            identities,
        });
        self.stats.versions += 1;
        Ok(Some(block))
    }

    /// Counts a green state new at a merge point outside the portal, and gives up past
    /// [`Budgets::max_unroll`] of them, naming the loop.
    fn count_unrolled(&mut self, st: &JitState, key: &MergeKey) -> Step<()> {
        let f = st.frames.last().unwrap();
        if f.code == self.codes.portal || self.versions.contains_key(key) {
            return Ok(());
        }
        let n = self.unrolled.entry((f.code, f.pc)).or_default();
        *n += 1;
        if *n <= self.budgets.max_unroll {
            return Ok(());
        }
        let code = &self.codes.codes[f.code];
        let g = &self.program.graphs[code.graph];
        let Some(Insn::Merge { block, .. }) = code.insns.get(f.pc - 1) else {
            unreachable!("a merge key is made at a merge instruction")
        };
        Err(GiveUp::Budget(format!(
            "the loop at {} (in '{}') unrolled more than {} times: a green loop variable \
             whose loop does not end at compile time (its exit depends on a red value)",
            self.program.sources.location(g.blocks[*block].span),
            g.name,
            self.budgets.max_unroll
        )))
    }

    // ---- the heap cache ---------------------------------------------------------------------

    /// A field or constant-index item of a real object: read from the heap cache, or read and
    /// remembered; a store remembered and delayed once the location is known (its access
    /// succeeded), emitted otherwise — but a virtual object stored where nothing is known yet
    /// is delayed too, after a read of the location checks that the access succeeds (so the
    /// object stays virtual until something observes the location, perhaps never: see
    /// `Compiler::merge`). Accesses that may touch a cached location through another object
    /// emit its pending store first (and a store forgets it); when that store is of a
    /// virtual object, and `split` allows, a residual pointer comparison decides instead
    /// ([`HeapStep::Again`]).
    fn heap_op(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
        boxes: &[RedBox],
        split: bool,
    ) -> Step<HeapStep> {
        let od = &self.graph_of(st).ops[op];
        let (opcode, span, result) = (od.opcode, od.span, od.result);
        let types = &self.program.types;
        let store = matches!(opcode, Opcode::SetField | Opcode::SetArrayItem);
        let loc = match (opcode, &od.aux) {
            (Opcode::GetField | Opcode::SetField, Aux::Field(t, f)) => field_loc(types, *t, *f),
            (Opcode::GetArrayItem | Opcode::SetArrayItem, Aux::Array(at)) => match boxes[1] {
                RedBox::Const(Const::Int(i)) if i >= 0 => Loc::Item(*at, i as usize),
                _ => {
                    // Any item of any array of this type.
                    let at = *at;
                    self.flush_if(st, cur, store, |e| e.loc.array() == Some(at))?;
                    return Ok(HeapStep::Emit);
                }
            },
            _ => return Ok(HeapStep::Emit),
        };
        let aux = od.aux.clone();
        let ty = result.map_or(Ty::Void, |r| self.graph_of(st).vars[r].ty);
        let Some(obj) = heap_obj(st, boxes[0]) else {
            // A virtual object (an index out of its range) or null: no cache entry can be it.
            self.flush_if(st, cur, store, |e| e.loc == loc)?;
            return Ok(HeapStep::Emit);
        };
        let others = move |e: &HeapEntry| e.loc == loc && e.obj != obj && e.obj.may_alias(obj);
        if split {
            if let Some(b) = self.alias_guard(st, cur, obj, boxes[0], others, span)? {
                return Ok(HeapStep::Again(b));
            }
        }
        if !store {
            if let Some(i) = st.heap.find(obj, loc) {
                let b = st.heap.entries[i].value;
                self.set_red(st, result, b);
                return Ok(HeapStep::Done);
            }
            self.flush_if(st, cur, false, others)?;
            let args: Vec<Value> = boxes.iter().map(|b| self.residual(st, cur, *b)).collect();
            let via = args[0];
            let r = self.emit(cur, opcode, args, aux, ty, span)?.expect("a read has a result");
            st.heap.entries.push(HeapEntry { obj, via, loc, value: RedBox::Var(r), dirty: false });
            self.set_red(st, result, RedBox::Var(r));
            return Ok(HeapStep::Done);
        }
        let value = *boxes.last().unwrap();
        self.flush_if(st, cur, true, others)?;
        if let Some(i) = st.heap.find(obj, loc) {
            let e = &st.heap.entries[i];
            // Storing what the memory already holds is no store at all.
            if e.dirty || st.resolve(e.value) != st.resolve(value) {
                st.heap.entries[i].value = value;
                st.heap.entries[i].dirty = true;
            }
            return Ok(HeapStep::Done);
        }
        if matches!(st.resolve(value), RedBox::Virtual(_)) {
            // Checked by a read (null object, index out of bounds), then delayed.
            let n = boxes.len() - 1;
            let args: Vec<Value> = boxes[..n].iter().map(|b| self.residual(st, cur, *b)).collect();
            let via = args[0];
            let read =
                if opcode == Opcode::SetField { Opcode::GetField } else { Opcode::GetArrayItem };
            let lty = loc_ty(&self.program.types, loc);
            self.emit(cur, read, args, aux, lty, span)?;
            st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty: true });
            return Ok(HeapStep::Done);
        }
        let args: Vec<Value> = boxes.iter().map(|b| self.residual(st, cur, *b)).collect();
        let via = args[0];
        self.emit(cur, opcode, args, aux, ty, span)?;
        st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty: false });
        Ok(HeapStep::Done)
    }

    /// Before an access to `loc` of `obj` (held by `b`) that may touch the location of a
    /// pending store of a virtual object through another variable (`others`): the access is
    /// guarded by a residual pointer comparison instead of emitting the store (which would
    /// allocate the object). Equal: the access continues (run again) knowing the two are one
    /// object; different: in a branch of its own, the store is emitted and the access run
    /// again. Returns the block the equal case continues in; `None` when there is no such
    /// store (or more than one).
    fn alias_guard(
        &mut self,
        st: &mut JitState,
        cur: Block,
        obj: HeapObj,
        b: RedBox,
        others: impl Fn(&HeapEntry) -> bool,
        span: Span,
    ) -> Step<Option<Block>> {
        let candidates: Vec<usize> = (0..st.heap.entries.len())
            .filter(|i| {
                let e = &st.heap.entries[*i];
                e.dirty && others(e) && matches!(st.resolve(e.value), RedBox::Virtual(_))
            })
            .collect();
        let [j] = candidates[..] else { return Ok(None) };
        let (HeapObj::Var(x), HeapObj::Var(y)) = (obj, st.heap.entries[j].obj) else {
            return Ok(None);
        };
        let a = self.residual(st, cur, b);
        let p = st.heap.entries[j].via;
        let eq = self.emit(cur, Opcode::PtrEq, vec![a, p], Aux::None, Ty::Bool, span)?.unwrap();
        let (tb, fb) = (self.out.add_block(span), self.out.add_block(span));
        self.out.blocks[cur].exit = Exit::Branch {
            cond: Value::Var(eq),
            if_true: Target { block: tb, args: vec![] },
            if_false: Target { block: fb, args: vec![] },
        };
        let mut other = st.clone();
        self.flush_entry(&mut other, fb, j)?;
        other.top().pc -= 1;
        self.pending.push((other, fb));
        st.heap.same.insert(x, y);
        st.top().pc -= 1;
        Ok(Some(tb))
    }

    /// At a merge point (or a snapshot): the heap entries a version carries, their objects as
    /// values of the location's owner type. First the pending stores of virtual objects into
    /// real ones, so a loop storing a fresh object in the same place each iteration allocates
    /// it only when something observes the place (after the loop, say); then, if `known`,
    /// what is known of the objects the state reaches (`boxes`, the carried stores, and the
    /// known values, transitively), so a loop does not read again and check again each
    /// iteration what it knew at its end (an object's class, where a value lives). The known
    /// entries are in a canonical order (objects as the state reaches them, locations in
    /// order), so states that know the same things carry them alike. Every other pending
    /// store is emitted; the caller forgets the heap cache once it has matched the state
    /// (which needs its casts: [`merge::identities`]).
    fn carried_entries(
        &mut self,
        st: &mut JitState,
        cur: Block,
        boxes: &[Option<RedBox>],
        known: bool,
    ) -> Step<Vec<HeapEntry>> {
        let carried = |st: &JitState, e: &HeapEntry| {
            e.dirty && matches!(st.resolve(e.value), RedBox::Virtual(_))
        };
        for i in 0..st.heap.entries.len() {
            if !carried(st, &st.heap.entries[i]) {
                self.flush_entry(st, cur, i)?;
            }
        }
        let mut out = Vec::new();
        for i in 0..st.heap.entries.len() {
            let mut e = st.heap.entries[i].clone();
            // Forced meanwhile (another store of the same object was emitted): emitted too.
            if !carried(st, &e) {
                self.flush_entry(st, cur, i)?;
                continue;
            }
            e.via = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
            out.push(e);
        }
        if known {
            for i in self.known_entries(st, boxes, &out) {
                let mut e = st.heap.entries[i].clone();
                e.via = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The known (not pending) entries of the heap cache whose objects the state reaches
    /// from `boxes` and the stores `carried`, transitively through known values and virtual
    /// objects' fields: objects in the order they are reached, each one's locations in order.
    fn known_entries(
        &self,
        st: &JitState,
        boxes: &[Option<RedBox>],
        carried: &[HeapEntry],
    ) -> Vec<usize> {
        let mut queue: Vec<HeapObj> = Vec::new();
        let mut seen_virtuals = std::collections::HashSet::new();
        let mut reach = |b: RedBox, queue: &mut Vec<HeapObj>| {
            let mut stack = vec![b];
            while let Some(b) = stack.pop() {
                match st.resolve(b) {
                    RedBox::Virtual(i) => {
                        if seen_virtuals.insert(i) {
                            stack.extend(st.virtuals[i].fields.iter().rev().flatten());
                        }
                    }
                    b => {
                        if let Some(o) = heap_obj(st, b) {
                            if !queue.contains(&o) {
                                queue.push(o);
                            }
                        }
                    }
                }
            }
        };
        for b in boxes.iter().flatten() {
            reach(*b, &mut queue);
        }
        for e in carried {
            if !queue.contains(&e.obj) {
                queue.push(e.obj);
            }
            reach(e.value, &mut queue);
        }
        let mut out = Vec::new();
        let mut next = 0;
        while next < queue.len() {
            let obj = queue[next];
            next += 1;
            let mut mine: Vec<usize> = (0..st.heap.entries.len())
                .filter(|&i| {
                    let e = &st.heap.entries[i];
                    !e.dirty && e.obj == obj
                })
                .collect();
            mine.sort_by_key(|&i| loc_order(st.heap.entries[i].loc));
            for i in mine {
                reach(st.heap.entries[i].value, &mut queue);
                out.push(i);
            }
        }
        out
    }

    /// A state's red boxes and types followed by those of the heap entries `carried`
    /// ([`Compiler::carried_entries`]: each its object, as a value of the location's owner
    /// type, then its value), and the entries' locations: what a version or a snapshot
    /// freezes.
    fn with_carried(
        &self,
        mut boxes: Vec<Option<RedBox>>,
        mut tys: Vec<Ty>,
        carried: &[HeapEntry],
    ) -> (Vec<Option<RedBox>>, Vec<Ty>, Vec<Carried>) {
        for e in carried {
            let obj = match e.via {
                Value::Var(v) => RedBox::Var(v),
                Value::Const(c) => RedBox::Const(c),
            };
            boxes.extend([Some(obj), Some(e.value)]);
            tys.extend([Ty::Ref(loc_owner(e.loc)), loc_ty(&self.program.types, e.loc)]);
        }
        (boxes, tys, carried.iter().map(|e| (e.loc, e.dirty)).collect())
    }

    /// The heap cache of a state rebuilt from a frozen one (emptied by the caller, or holding
    /// only the identities of the new variables): the entries it carried (`extra`: the boxes
    /// of each entry's object and value, `locs` their locations and whether their stores are
    /// pending).
    fn restore_carried(
        &mut self,
        st: &mut JitState,
        cur: Block,
        extra: &[Option<RedBox>],
        locs: &[Carried],
    ) {
        for (pair, &(loc, dirty)) in extra.chunks(2).zip(locs) {
            let (Some(obj), Some(value)) = (pair[0], pair[1]) else {
                unreachable!("a carried store has an object and a value")
            };
            let via = self.residual(st, cur, obj);
            let obj = heap_obj(st, obj).expect("a carried store's object is real");
            st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty });
        }
    }

    /// Emits every pending store and forgets the heap cache (where the code that follows
    /// does not share this state's knowledge: merge points, entry graphs).
    fn forget_heap(&mut self, st: &mut JitState, cur: Block) -> Step<()> {
        self.flush_if(st, cur, false, |_| true)?;
        st.heap = HeapCache::default();
        Ok(())
    }

    /// Emits the pending stores of the entries `pred` selects; `forget`: a store may have
    /// changed them, so they are forgotten too (except immutable locations).
    fn flush_if(
        &mut self,
        st: &mut JitState,
        cur: Block,
        forget: bool,
        pred: impl Fn(&HeapEntry) -> bool,
    ) -> Step<()> {
        for i in 0..st.heap.entries.len() {
            if pred(&st.heap.entries[i]) {
                self.flush_entry(st, cur, i)?;
            }
        }
        if forget {
            let types = &self.program.types;
            st.heap.entries.retain(|e| !pred(e) || loc_immutable(types, e.loc));
        }
        Ok(())
    }

    /// Emits entry `i`'s pending store, if it has one (forcing a virtual value).
    fn flush_entry(&mut self, st: &mut JitState, cur: Block, i: usize) -> Step<()> {
        if !st.heap.entries[i].dirty {
            return Ok(());
        }
        st.heap.entries[i].dirty = false;
        let e = st.heap.entries[i].clone();
        let val = self.residual(st, cur, e.value);
        let (aux, index) = match e.loc {
            Loc::Field(t, f) => (Aux::Field(t, f), None),
            Loc::Item(at, k) => (Aux::Array(at), Some(k)),
        };
        let obj = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
        let (opcode, args) = match index {
            None => (Opcode::SetField, vec![obj, val]),
            Some(k) => (Opcode::SetArrayItem, vec![obj, Value::Const(Const::Int(k as i64)), val]),
        };
        self.emit(cur, opcode, args, aux, Ty::Void, Span::UNKNOWN)?;
        Ok(())
    }

    /// `via`, a pointer to an object of type `owner` (an access through it succeeded), as a
    /// value of that type: itself, or a cast of it when it is typed as a parent type (which
    /// the heap cache knows for the same object).
    fn as_owner(
        &mut self,
        st: &mut JitState,
        cur: Block,
        via: Value,
        owner: HeapTypeIdx,
    ) -> Step<Value> {
        let ty = Ty::Ref(owner);
        if self.program.types.assignable(self.out.value_ty(via, self.program), ty) {
            return Ok(via);
        }
        let r = self.emit(cur, Opcode::Cast, vec![via], Aux::Type(owner), ty, Span::UNKNOWN)?;
        let r = r.expect("a cast has a result");
        if let Value::Var(v) = via {
            st.heap.note_cast(r, RedBox::Var(v));
        }
        Ok(Value::Var(r))
    }

    /// The residual values passed to a shape's variables, forcing virtual objects there.
    fn shape_args(
        &mut self,
        st: &mut JitState,
        cur: Block,
        shape: &[Shape],
        boxes: &[Option<RedBox>],
    ) -> Vec<Value> {
        let mut bs = Vec::new();
        for (s, b) in shape.iter().zip(boxes) {
            merge::var_boxes(st, s, *b, &mut bs);
        }
        bs.into_iter().map(|b| self.residual(st, cur, b)).collect()
    }

    /// The red positions of a state — (frame, register) — with their boxes and types: every red
    /// register of every frame, or, given the innermost frame's `live` registers, only the live
    /// red ones there (suspended callers keep all theirs).
    #[allow(clippy::type_complexity)]
    fn red_positions(
        &self,
        st: &JitState,
        live: Option<&[Var]>,
    ) -> (Vec<(usize, Var)>, Vec<Option<RedBox>>, Vec<Ty>) {
        let top = st.frames.len() - 1;
        let mut positions: Vec<(usize, Var)> = Vec::new();
        for (fi, f) in st.frames.iter().enumerate() {
            let code = &self.codes.codes[f.code];
            let held = |v: &Var| f.reds[v.index()].is_some();
            match live {
                Some(live) if fi == top => positions.extend(
                    live.iter().filter(|v| !code.green.contains(**v) && held(v)).map(|v| (fi, *v)),
                ),
                _ => {
                    let g = &self.program.graphs[code.graph];
                    positions.extend(g.vars.keys().filter(held).map(|v| (fi, v)));
                }
            }
        }
        let boxes = positions.iter().map(|(fi, v)| st.frames[*fi].reds[v.index()]).collect();
        let tys = positions
            .iter()
            .map(|(fi, v)| {
                self.program.graphs[self.codes.codes[st.frames[*fi].code].graph].vars[*v].ty
            })
            .collect();
        (positions, boxes, tys)
    }

    /// Whether the innermost frame is at the portal's dispatch loop (a loop header of the
    /// portal holding, or leading to, the global merge point).
    fn is_global_merge(&self, st: &JitState) -> bool {
        let f = st.frames.last().unwrap();
        f.code == self.codes.portal
    }

    /// In a flexswitch case at the global merge point: ends this graph with a tail call of the
    /// entry graph for this state, compiling and installing one if none accepts it.
    #[allow(clippy::too_many_arguments)]
    fn enter(
        &mut self,
        st: &mut JitState,
        cur: Block,
        key: MergeKey,
        positions: &[(usize, Var)],
        boxes: &[Option<RedBox>],
        tys: &[Ty],
        table: &std::cell::RefCell<EntryTable>,
        install: Install<'a>,
    ) -> Step<()> {
        let found = table.borrow().map.get(&key).and_then(|vs| {
            let general = vs.len() >= self.budgets.max_versions;
            let accepting = |forcing: bool| {
                vs.iter().find(|(shape, _)| merge::matches(st, shape, boxes, forcing))
            };
            accepting(false)
                .or_else(|| if general { accepting(true) } else { None })
                .map(|(s, g)| (s.clone(), *g))
        });
        let (shape, graph) = match found {
            Some(f) => f,
            None => {
                let existing: Vec<Vec<Shape>> = table
                    .borrow()
                    .map
                    .get(&key)
                    .map_or(Vec::new(), |vs| vs.iter().map(|(s, _)| s.clone()).collect());
                let refs: Vec<&[Shape]> = existing.iter().map(|s| s.as_slice()).collect();
                let general = existing.len() >= self.budgets.max_versions;
                let shape =
                    merge::generalise(st, &self.program.types, boxes, tys, &refs, general, false);
                let compiled = self.compile_entry(st, positions, &shape)?;
                let graph = install(compiled)?;
                table.borrow_mut().map.entry(key).or_default().push((shape.clone(), graph));
                (shape, graph)
            }
        };
        let args = self.shape_args(st, cur, &shape, boxes);
        let ret = self.out.ret;
        let r = self.emit(cur, Opcode::Call, args, Aux::Graph(graph), ret, Span::UNKNOWN)?;
        self.out.blocks[cur].exit = Exit::Return(r.map(Value::Var));
        Ok(())
    }

    /// Compiles an entry graph: from this state at the global merge point, generalised to
    /// `shape`, as a graph taking the shape's variables.
    fn compile_entry(
        &self,
        st: &JitState,
        positions: &[(usize, Var)],
        shape: &[Shape],
    ) -> Step<Compiled> {
        let portal = &self.program.graphs[self.codes.codes[self.codes.portal].graph];
        // Entry graphs are named after the flexswitch numbering, bumped so names stay unique.
        let n = self.shared.hooks.get();
        self.shared.hooks.set(n + 1);
        let name = format!("{}__entry{n}", portal.name);
        Compiler::entry(
            self.program,
            self.codes,
            st,
            positions,
            shape,
            self.budgets,
            &name,
            self.shared,
        )
    }

    /// Compiles an entry graph from a state at the global merge point (positioned after the
    /// merge instruction), generalised to `shape`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn entry(
        program: &'a Program,
        codes: &'a JitCodes,
        st: &JitState,
        positions: &[(usize, Var)],
        shape: &[Shape],
        budgets: Budgets,
        name: &str,
        shared: Shared<'a>,
    ) -> Step<Compiled> {
        let mut ptys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut ptys));
        let portal = &program.graphs[codes.codes[codes.portal].graph];
        let mut c = Compiler::new(
            program,
            codes,
            Graph::new(name, ptys, portal.ret, portal.span),
            budgets,
            shared,
            Kind::Entry,
        );
        c.source = Some(Source::Entry(Box::new(st.clone()), positions.to_vec(), shape.to_vec()));
        let entry = c.out.entry;
        let mut st = st.clone();
        let params = c.out.blocks[entry].params.clone();
        merge::rebuild_state(&mut st, positions, shape, params);
        // Start at the merge point itself: its first version is this state.
        st.top().pc -= 1;
        c.pending.push((st, entry));
        c.finish()
    }

    fn merge_key(&self, st: &JitState, live: &[Var]) -> MergeKey {
        let top = st.frames.len() - 1;
        let mut pcs = Vec::new();
        let mut greens = Vec::new();
        for (fi, f) in st.frames.iter().enumerate() {
            pcs.push((f.code, f.pc));
            if fi == top {
                // Only live greens: a dead green temporary may differ at every iteration.
                greens.extend(live.iter().map(|v| f.greens[v.index()]));
            } else {
                greens.extend(f.greens.iter().copied());
            }
        }
        MergeKey::new(pcs, greens)
    }
}

/// A green read through a deep-frozen prebuilt object whose type is mutable: the analysis made
/// it green because the interpreter promised (`deepfreeze`) that nothing reachable changes, so
/// the prebuilt's contents are its contents forever. [`rpy_ir::fold`] reads only immutable
/// types, and cannot know about the promise.
fn read_frozen(program: &Program, op: Opcode, aux: &Aux, args: &[Const]) -> rpy_ir::fold::Folded {
    use rpy_ir::ir::Prebuilt;
    let Some(Const::Prebuilt(p)) = args.first() else { return None };
    match (op, aux, &program.prebuilt[*p], args.get(1)) {
        (Opcode::GetField, Aux::Field(_, idx), Prebuilt::Struct(_, fields), _) => {
            fields.get(*idx as usize).copied().map(Ok)
        }
        (Opcode::GetArrayItem, _, Prebuilt::Array(_, items), Some(Const::Int(i))) => {
            usize::try_from(*i).ok().and_then(|i| items.get(i)).copied().map(Ok)
        }
        _ => None,
    }
}

/// Folds what merging blocks left constant in a residual graph: pure ops whose operands all
/// became constants (a peeled loop's `i < 10` with `i` now `1`), and branches on constant
/// conditions. Returns whether anything changed (the caller simplifies again).
fn fold_residual(program: &Program, folder: &rpy_ir::fold::Folder, g: &mut Graph) -> bool {
    let mut subst: HashMap<Var, Const> = HashMap::new();
    let mut changed = false;
    let blocks: Vec<Block> = g.blocks.keys().collect();
    for b in blocks {
        let ops = g.blocks[b].ops.clone();
        let mut kept = Vec::with_capacity(ops.len());
        for op in ops {
            let od = &mut g.ops[op];
            for a in od.args.iter_mut() {
                if let Value::Var(x) = a {
                    if let Some(c) = subst.get(x) {
                        *a = Value::Const(*c);
                    }
                }
            }
            let consts: Option<Vec<Const>> = od
                .args
                .iter()
                .map(|a| match a {
                    Value::Const(c) => Some(*c),
                    Value::Var(_) => None,
                })
                .collect();
            let folded = match (&consts, od.result, od.opcode.is_pure()) {
                (Some(cs), Some(r), true) => match folder.fold(od.opcode, &od.aux, cs) {
                    Some(Ok(c)) if program.const_ty(c) == g.vars[r].ty => Some((r, c)),
                    _ => None,
                },
                _ => None,
            };
            match folded {
                Some((r, c)) => {
                    subst.insert(r, c);
                    changed = true;
                }
                None => kept.push(op),
            }
        }
        g.blocks[b].ops = kept;
    }
    let value = |v: Value, subst: &HashMap<Var, Const>| match v {
        Value::Var(x) => subst.get(&x).map_or(v, |c| Value::Const(*c)),
        c => c,
    };
    // Uses laid out before their (dominating) definition's block.
    for od in g.ops.values_mut() {
        od.args.iter_mut().for_each(|a| *a = value(*a, &subst));
    }
    for data in g.blocks.values_mut() {
        match &mut data.exit {
            Exit::Branch { cond, .. }
            | Exit::Switch { value: cond, .. }
            | Exit::Return(Some(cond)) => *cond = value(*cond, &subst),
            _ => {}
        }
        for t in data.exit.targets_mut() {
            t.args.iter_mut().for_each(|a| *a = value(*a, &subst));
        }
        if let Exit::Branch { cond: Value::Const(Const::Bool(c)), if_true, if_false } = &data.exit {
            data.exit = Exit::Goto(if *c { if_true.clone() } else { if_false.clone() });
            changed = true;
        }
    }
    changed
}

/// Arrays allocated with a constant length up to this are virtual (longer ones are real).
const MAX_VIRTUAL_ARRAY: i64 = 64;

/// A constant index within `len` items; out-of-range indexes stay residual (they fail at run
/// time, after the array is forced).
fn const_index(b: RedBox, len: usize) -> Option<usize> {
    match b {
        RedBox::Const(Const::Int(i)) if i >= 0 && (i as usize) < len => Some(i as usize),
        _ => None,
    }
}

/// The type tag of a red box whose class is known on this path.
fn known_tag(st: &JitState, b: RedBox) -> Option<i64> {
    match b {
        RedBox::Var(x) => st.class_of(x),
        _ => None,
    }
}

/// The operand an op returns unchanged when the other is its identity element (`x + 0`,
/// `x * 1`, `x - 0`, `x | 0`, `x ^ 0`, shifts by 0).
fn identity_operand(op: Opcode, boxes: &[RedBox]) -> Option<RedBox> {
    let is = |i: usize, k: i64| boxes.get(i) == Some(&RedBox::Const(Const::Int(k)));
    match op {
        Opcode::IntAdd | Opcode::IntOr | Opcode::IntXor if is(0, 0) => Some(boxes[1]),
        Opcode::IntAdd | Opcode::IntSub | Opcode::IntOr | Opcode::IntXor if is(1, 0) => {
            Some(boxes[0])
        }
        Opcode::IntLshift | Opcode::IntRshift if is(1, 0) => Some(boxes[0]),
        Opcode::IntMul if is(0, 1) => Some(boxes[1]),
        Opcode::IntMul if is(1, 1) => Some(boxes[0]),
        _ => None,
    }
}

/// Writes a value into a register of the given colour.
fn assign(frame: &mut Frame, r: Var, green: bool, v: Val) -> Step<()> {
    match (green, v) {
        (true, Val::Green(c)) | (true, Val::Red(RedBox::Const(c))) => {
            frame.greens[r.index()] = Some(c)
        }
        (true, Val::Red(b)) => {
            return Err(GiveUp::Unsupported(format!(
                "a green register {r} receives the run-time value {b}"
            )));
        }
        (false, Val::Green(c)) => frame.reds[r.index()] = Some(RedBox::Const(c)),
        (false, Val::Red(b)) => frame.reds[r.index()] = Some(b),
    }
    Ok(())
}

/// The heap-cache object a box points to (`None`: a virtual object, null, not a pointer).
fn heap_obj(st: &JitState, b: RedBox) -> Option<HeapObj> {
    match st.resolve(b) {
        RedBox::Var(x) => Some(HeapObj::Var(st.heap.canon(x))),
        RedBox::Const(c @ (Const::Ptr(..) | Const::Prebuilt(_))) => Some(HeapObj::Const(c)),
        _ => None,
    }
}

/// The location of field `f` accessed as a field of `t`: named by the struct declaring it.
fn field_loc(types: &rpy_ir::types::TypeTable, t: HeapTypeIdx, f: u32) -> Loc {
    Loc::Field(types.declaring_struct(t, f), f)
}

/// The type of a location's values.
fn loc_ty(types: &rpy_ir::types::TypeTable, loc: Loc) -> Ty {
    match loc {
        Loc::Field(t, f) => types.struct_def(t).fields[f as usize].ty,
        Loc::Item(at, _) => types.as_array(at).expect("an array type").elem,
    }
}

/// The struct declaring a field location, or the array type of an item location.
fn loc_owner(loc: Loc) -> HeapTypeIdx {
    match loc {
        Loc::Field(t, _) | Loc::Item(t, _) => t,
    }
}

/// A sort key of locations: fields, then items, by type and number.
fn loc_order(loc: Loc) -> (u8, u32, usize) {
    match loc {
        Loc::Field(t, f) => (0, t.as_u32(), f as usize),
        Loc::Item(t, i) => (1, t.as_u32(), i),
    }
}

/// Whether a location never changes once its object is allocated.
fn loc_immutable(types: &rpy_ir::types::TypeTable, loc: Loc) -> bool {
    match loc {
        Loc::Field(t, f) => types.field_is_immutable(t, f),
        Loc::Item(at, _) => types.as_array(at).is_some_and(|a| a.immutable),
    }
}
