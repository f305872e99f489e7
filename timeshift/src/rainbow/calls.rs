//! Calls: followed calls (a frame pushed, the callee run at compile time), residual calls
//! (an op calling the interpreter's graph at run time), returns, and the tail calls through
//! which a flexswitch case continues in an entry graph at the global merge point.
//!
//! A followed call's frame receives the callee's result register (`Frame::result_to`) in
//! its caller; a residual call may read or write any object, so the heap cache's dirty
//! entries are stored and forgotten before it (but a virtualizable frame's, when the callee
//! cannot reach one: see `virtualizable`). Entry graphs are shared by every compilation
//! of a driver ([`EntryTable`]), looked up by merge key and shape like a merge point's
//! versions.

use super::merge_point::MergeKey;
use super::run::assign;
use super::{Compiled, Compiler, Engine, GiveUp, Install, Kind, Source, Step, Val};
use crate::jitcode::JitCodeIdx;
use crate::merge::{self, Frozen, Shape};
use crate::state::{JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Exit, Graph, GraphIdx, OpIdx, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::RtValue;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;
use rustc_hash::{FxHashMap as HashMap, FxHashSet};

impl<'a> Compiler<'a> {
    /// A followed call: the callee's frame, its parameters the call's arguments, is pushed.
    pub(super) fn call(&mut self, st: &mut JitState, op: OpIdx, callee: JitCodeIdx) -> Step<()> {
        let od = &self.graph_of(st).ops[op];
        self.push_frame(st, op, callee, &od.args, od.result)
    }

    /// Follows call `op` into `callee` with the values of `args`, its result to `result`:
    /// the caller's registers not live after the call are forgotten, the callee's frame
    /// pushed (a direct call, or a call through a green pointer).
    pub(super) fn push_frame(
        &mut self,
        st: &mut JitState,
        op: OpIdx,
        callee: JitCodeIdx,
        args: &[Value],
        result: Option<Var>,
    ) -> Step<()> {
        let vals: Vec<Val> = args.iter().map(|a| self.get(st, *a)).collect();
        let mut frame = self.new_frame(callee, result);
        let cg = &self.program.graphs[self.codes.codes[callee].graph];
        let green = &self.codes.codes[callee].green;
        for (p, v) in cg.param_vars().iter().zip(vals) {
            assign(&mut frame, *p, green.contains(*p), v)?;
        }
        self.forget_dead_after(st, op);
        st.frames.push(frame);
        Ok(())
    }

    /// Before a followed call's frame is pushed: the caller's registers not live after the
    /// call `op` are forgotten ([`crate::jitcode::JitCode::live_after`]).
    fn forget_dead_after(&self, st: &mut JitState, op: OpIdx) {
        let code = &self.codes.codes[st.top().code];
        let Some(live) = code.live_after.get(&op) else { return };
        let top = st.top_mut();
        for (i, (g, r)) in top.greens.iter_mut().zip(top.reds.iter_mut()).enumerate() {
            if live.binary_search(&Var::new(i)).is_err() {
                *g = None;
                *r = None;
            }
        }
    }

    /// A residual call: emitted as it is, its arguments made real.
    pub(super) fn residual_call(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<()> {
        if self.direct_portal_call(st, cur, op)? {
            return Ok(());
        }
        // The callee may read or write any object (but a virtualizable, unless it may).
        let g = self.graph_of(st);
        let od = &g.ops[op];
        self.flush_for_residual(st, cur, g, od)?;
        let args = self.values(st, cur, &od.args);
        let ty = od.result.map_or(Ty::Void, |r| g.vars[r].ty);
        let r = self.emit(cur, Opcode::Call, args, od.aux.clone(), ty, od.span)?;
        if let (Some(dst), Some(r)) = (od.result, r) {
            st.top_mut().reds[dst.index()] = Some(RedBox::Var(r));
        }
        Ok(())
    }

    /// Returns `val` from the innermost frame: to its caller's register, or, from the portal,
    /// from the residual graph (the heap made up to date first). `None`: the state is done.
    pub(super) fn return_from(
        &mut self,
        st: &mut JitState,
        cur: Block,
        val: Option<Val>,
    ) -> Step<Option<Block>> {
        if st.frames.len() == 1 {
            self.flush_if(st, cur, false, |_| true)?;
        }
        let done = st.frames.pop().expect("a running JitState has a frame");
        // An inlined guest call returns with its portal frame (`portal_inline`).
        let depth = st.frames.len();
        self.inline_returned(st, depth);
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
            let green = self.is_green(st, dst);
            assign(st.top_mut(), dst, green, val)?;
        }
        Ok(Some(cur))
    }

    /// In a flexswitch case at the global merge point: ends this graph with a tail call of the
    /// entry graph for this state (its red `positions`, frozen in `reds`), compiling and
    /// installing one if none accepts it.
    pub(super) fn enter(
        &mut self,
        st: &mut JitState,
        cur: Block,
        key: MergeKey,
        positions: &[(usize, Var)],
        reds: &Frozen,
        (table, install): (&std::cell::RefCell<EntryTable>, Install<'a>),
    ) -> Step<()> {
        let found =
            table.borrow().accepting(st, &key, &reds.boxes, self.budgets.max_versions, false);
        let (shape, graph) = match found {
            Some(f) => f,
            None => {
                let existing: Vec<Vec<Shape>> = table
                    .borrow()
                    .map
                    .get(&key)
                    .map_or(Vec::new(), |vs| vs.iter().map(|e| e.shape.clone()).collect());
                let refs: Vec<&[Shape]> = existing.iter().map(|s| s.as_slice()).collect();
                let general = existing.len() >= self.budgets.max_versions;
                let shape = merge::generalise(st, &self.program.types, reds, &refs, general, false);
                let compiled = self.compile_entry(st, positions, &shape)?;
                let loops = compiled.loops_at_start;
                let graph = install(compiled)?;
                let mut t = table.borrow_mut();
                if self.from_split {
                    t.split.insert(key.clone());
                }
                let entry = EntryGraph { shape: shape.clone(), graph, loops };
                t.map.entry(key).or_default().push(entry);
                (shape, graph)
            }
        };
        self.tail_call_entry(st, cur, &shape, graph, reds)
    }

    /// Ends this graph with a tail call of entry graph `graph` compiled for `shape`, passing
    /// it the state (its red positions frozen in `reds`).
    pub(super) fn tail_call_entry(
        &mut self,
        st: &mut JitState,
        cur: Block,
        shape: &[Shape],
        graph: GraphIdx,
        reds: &Frozen,
    ) -> Step<()> {
        let args = self.shape_args(st, cur, shape, &reds.boxes);
        let ret = self.out.ret;
        let r = self.emit(cur, Opcode::Call, args, Aux::Graph(graph), ret, Span::UNKNOWN)?;
        self.out.blocks[cur].exit = Exit::Return(r.map(Value::Var));
        Ok(())
    }

    /// Compiles an entry graph: from this state at the global merge point, generalised to
    /// `shape`, as a graph taking the shape's variables.
    pub(super) fn compile_entry(
        &self,
        st: &JitState,
        positions: &[(usize, Var)],
        shape: &[Shape],
    ) -> Step<Compiled> {
        let engine = self.engine();
        // Entry graphs are named after the flexswitch numbering, bumped so names stay unique.
        let n = self.shared.hooks.get();
        self.shared.hooks.set(n + 1);
        let name = format!("{}__entry{n}", engine.portal_graph().name);
        Compiler::entry(engine, st, positions, shape, &name)
    }

    /// Compiles an entry graph from a state at the global merge point (positioned after the
    /// merge instruction), generalised to `shape`.
    pub fn entry(
        engine: Engine<'a>,
        st: &JitState,
        positions: &[(usize, Var)],
        shape: &[Shape],
        name: &str,
    ) -> Result<Compiled, GiveUp> {
        Compiler::entry_observing(engine, (st, positions, shape), name, &[])
    }

    /// [`Compiler::entry`], for the run-time values `values` of the shape's variables (the
    /// live values at a hot merge point): the promotions they decide bet on them (`observe`).
    pub fn entry_observing(
        engine: Engine<'a>,
        (st, positions, shape): (&JitState, &[(usize, Var)], &[Shape]),
        name: &str,
        values: &[RtValue],
    ) -> Result<Compiled, GiveUp> {
        let mut ptys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut ptys));
        let portal = engine.portal_graph();
        let graph = Graph::new(name, ptys, portal.ret, portal.span);
        let mut c = Compiler::new(engine, graph, Kind::Entry);
        c.source = Some(Source::Entry(Box::new(st.clone()), positions.to_vec(), shape.to_vec()));
        let entry = c.out.entry;
        let mut st = st.clone();
        let params = c.out.blocks[entry].params.clone();
        c.observe_params(entry, values);
        merge::rebuild_state(&mut st, positions, shape, params);
        // Start at the merge point itself: its first version is this state.
        st.top_mut().pc -= 1;
        c.queue.push((st, entry));
        c.finish()
    }
}

/// Entry graphs at the global merge point: residual graphs starting at the top of the
/// dispatch loop in a given state, which flexswitch cases call (in tail position) to continue
/// in compiled code instead of compiling the rest of the program again.
#[derive(Default)]
pub struct EntryTable {
    map: HashMap<MergeKey, Vec<EntryGraph>>,
    /// The keys of split entries (see `split`): the entries the cases of splits continue in.
    split: FxHashSet<MergeKey>,
}

/// One entry graph of an [`EntryTable`].
pub(super) struct EntryGraph {
    /// The shape of the state it was compiled for (its parameters are the shape's variables).
    pub(super) shape: Vec<Shape>,
    /// The graph.
    pub(super) graph: GraphIdx,
    /// Whether its key heads a loop closed in the graph (see `joins`).
    pub(super) loops: bool,
}

impl EntryTable {
    /// The shape and graph of an entry at `key` that accepts the state whose red positions
    /// hold `boxes`, keeping its virtual objects virtual (or, past `max_versions` entries at
    /// the key, forcing them); `looping`: only an entry whose key heads a loop in its graph.
    pub(super) fn accepting(
        &self,
        st: &JitState,
        key: &MergeKey,
        boxes: &[Option<RedBox>],
        max_versions: usize,
        looping: bool,
    ) -> Option<(Vec<Shape>, GraphIdx)> {
        let vs = self.map.get(key)?;
        // A loop entry is joined only unforced (see `joins`).
        let general = vs.len() >= max_versions && !looping;
        let accepting = |forcing: bool| {
            vs.iter()
                .find(|e| (e.loops || !looping) && merge::matches(st, &e.shape, boxes, forcing))
        };
        accepting(false)
            .or_else(|| if general { accepting(true) } else { None })
            .map(|e| (e.shape.clone(), e.graph))
    }

    /// Records whether entry graph `graph` (if it is one) heads a loop at its key, as it was
    /// compiled again.
    pub fn set_loops(&mut self, graph: GraphIdx, loops: bool) {
        for e in self.map.values_mut().flatten().filter(|e| e.graph == graph) {
            e.loops = loops;
        }
    }

    /// Whether the case of a split continued in an entry at `key`.
    pub(super) fn is_split(&self, key: &MergeKey) -> bool {
        self.split.contains(key)
    }

    /// Number of entry graphs.
    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
