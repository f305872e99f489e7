//! Running states: the ways into a compilation, the instruction loop, block exits and jumps.
//!
//! A compilation runs the states of its queue one by one, each until it ends (a return of the
//! portal, a jump to an existing version of a merge point, a flexswitch, a path that fails at
//! run time). The innermost frame's `pc` is always the next instruction; a state is in the
//! queue with the residual block it continues in, whose exit is not yet set.

use super::ops::{fold_residual, remove_unused_casts};
use super::{Budgets, Compiled, Compiler, Engine, GiveUp, Kind, Shared, Source, Stats, Step, Val};
use crate::jitcode::{Insn, JitCodeIdx};
use crate::state::{Frame, JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, Target, Value, Var};
use rpy_ir::layout::Layout;
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;

impl<'a> Compiler<'a> {
    /// Compiles the portal for `greens` (one entry per portal parameter: `Some` for the green
    /// ones). The residual graph takes the red parameters, in order.
    pub fn compile(
        engine: Engine<'a>,
        greens: &[Option<Const>],
        name: &str,
    ) -> Result<Compiled, GiveUp> {
        let pg = engine.portal_graph();
        let red_params: Vec<Ty> =
            pg.params.iter().zip(greens).filter(|(_, g)| g.is_none()).map(|(t, _)| *t).collect();
        let graph = Graph::new(name, red_params, pg.ret, pg.span);
        let mut c = Compiler::new(engine, graph, Kind::Initial);
        let mut frame = c.new_frame(engine.codes.portal, None);
        let entry = c.out.entry;
        let mut red_vars = c.out.blocks[entry].params.clone().into_iter();
        for (p, g) in pg.param_vars().iter().zip(greens) {
            match g {
                Some(k) => frame.greens[p.index()] = Some(*k),
                None => {
                    let v = red_vars.next().expect("one parameter per red argument");
                    frame.reds[p.index()] = Some(RedBox::Var(v));
                }
            }
        }
        let st = JitState { frames: vec![frame], context: greens.to_vec(), ..JitState::default() };
        c.queue.push((st, entry));
        c.source = Some(Source::Key(greens.to_vec()));
        c.finish()
    }

    /// Compiles a graph again from its source, with the values its flexswitches have met
    /// since (`shared.known`) switched on inline, in at most [`Budgets::max_recompile_ops`]
    /// residual ops; past them (or another budget), without those values (as it was first
    /// compiled: the values met reach their case graphs through the switches' hooks).
    ///
    /// [`Budgets::max_recompile_ops`]: super::Budgets::max_recompile_ops
    pub fn recompile(engine: Engine<'a>, source: &Source, name: &str) -> Result<Compiled, GiveUp> {
        if engine.shared.known.is_none() {
            return Compiler::compile_source(engine, source, name);
        }
        let max_residual_ops =
            engine.budgets.max_residual_ops.min(engine.budgets.max_recompile_ops);
        let bounded = Engine { budgets: Budgets { max_residual_ops, ..engine.budgets }, ..engine };
        match Compiler::compile_source(bounded, source, name) {
            Err(GiveUp::Budget(_)) => {
                let shared = Shared { known: None, ..engine.shared };
                Compiler::compile_source(Engine { shared, ..engine }, source, name)
            }
            done => done,
        }
    }

    /// Compiles a graph from its source.
    fn compile_source(engine: Engine<'a>, source: &Source, name: &str) -> Result<Compiled, GiveUp> {
        match source {
            Source::Key(greens) => Compiler::compile(engine, greens, name),
            Source::Case(snap, value) => Compiler::resume(engine, snap, *value, name),
            Source::Entry(st, positions, shape) => {
                Compiler::entry(engine, st, positions, shape, name)
            }
            Source::Fallback => Err(GiveUp::Unsupported("a fallback is not recompiled".into())),
        }
    }

    /// A compilation building `out`, a graph of the given kind.
    pub(super) fn new(engine: Engine<'a>, mut out: Graph, kind: Kind) -> Compiler<'a> {
        let Engine { program, codes, budgets, shared, services } = engine;
        // Residual graphs continue in one another (flexswitch cases, entry graphs) at their
        // ends: those calls must not grow the stack.
        out.tail_calls = true;
        Compiler {
            program,
            codes,
            folder: rpy_ir::fold::Folder::with_layout(program, Layout::compute(&program.types)),
            budgets,
            out,
            queue: Vec::new(),
            versions: Default::default(),
            unrolled: Default::default(),
            unrolled_safe: Default::default(),
            snapshots: Vec::new(),
            safe_casts: Vec::new(),
            shared,
            kind,
            from_split: false,
            source: None,
            stats: Stats::default(),
            services,
            quasi: super::quasi::QuasiState::new(program, services.is_some()),
            elidable_interp: None,
            observed: Default::default(),
            start: Default::default(),
            inlining: Default::default(),
        }
    }

    /// What this compilation runs on (for an entry graph compiled on the way).
    pub(super) fn engine(&self) -> Engine<'a> {
        Engine {
            program: self.program,
            codes: self.codes,
            budgets: self.budgets,
            shared: self.shared,
            services: self.services,
        }
    }

    /// Runs the queued states, then tidies the residual graph.
    pub(super) fn finish(mut self) -> Result<Compiled, GiveUp> {
        let start = std::time::Instant::now();
        if let Some((state, block)) = self.queue.pop() {
            // Code relying on quasi-immutable fields tests its token on entry.
            let (state, block) = self.entry_check(state, block)?;
            self.queue.push((state, block));
        }
        // The queue's states run, again without the guest calls whose inlining failed.
        self.run_queue_inlining()?;
        // Before `simplify`, which renumbers the variables and merges blocks.
        let loops_at_start = self.loops_at_start();
        remove_unused_casts(&mut self.out, &self.safe_casts);
        let token = self.quasi.finish(&mut self.out);
        self.out.simplify();
        // Versions pass every live value on every edge: the ones the same on all edges are
        // not passed (fewer phis and copies for the back end; `rpy_ir`'s `ir/params.rs`).
        let params = self.out.remove_redundant_params();
        if fold_residual(self.program, &self.folder, &mut self.out) || params {
            self.out.simplify();
        }
        let busiest = self.busiest_keys();
        let source = self.source.expect("every compilation records its source");
        self.stats.engine_micros = start.elapsed().as_micros() as u64;
        Ok(Compiled {
            busiest,
            graph: self.out,
            stats: self.stats,
            snapshots: self.snapshots,
            source,
            token,
            loops_at_start,
        })
    }

    /// A frame at the entry of `code`, its registers empty.
    pub(super) fn new_frame(&self, code: JitCodeIdx, result_to: Option<Var>) -> Frame {
        let jc = &self.codes.codes[code];
        let n = self.program.graphs[jc.graph].vars.len();
        let entry = self.program.graphs[jc.graph].entry;
        let pc = jc.block_start[entry].expect("the entry block is reached") as usize;
        Frame { code, pc, greens: vec![None; n], reds: vec![None; n], result_to }
    }

    /// The interpreter graph of the innermost frame.
    pub(super) fn graph_of(&self, st: &JitState) -> &'a Graph {
        let code = &self.codes.codes[st.top().code];
        &self.program.graphs[code.graph]
    }

    /// Runs the queued states one by one until the queue is empty.
    pub(super) fn run_queue(&mut self) -> Step<()> {
        while let Some((mut state, block)) = self.queue.pop() {
            self.stats.states += 1;
            self.inline_resumed(&mut state);
            self.run(state, block)?;
        }
        Ok(())
    }

    /// Runs one state until it ends (return, jump to an existing version, or dead code).
    pub(super) fn run(&mut self, mut st: JitState, mut cur: Block) -> Step<()> {
        loop {
            self.stats.steps += 1;
            if self.stats.steps > self.budgets.max_steps {
                return Err(GiveUp::Budget(format!(
                    "more than {} compile-time steps",
                    self.budgets.max_steps
                )));
            }
            let insn = self.codes.codes[st.top().code].insns[st.top().pc].clone();
            st.top_mut().pc += 1;
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
                Insn::Red(op) if self.virtual_quasi_write(&mut st, op) => {}
                Insn::Red(op) => {
                    cur = self.red_op(&mut st, cur, op, true)?;
                    cur = self.quasi_check_after_call(&mut st, cur, op)?;
                }
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
                    if self.inline_portal_call(&mut st, cur, op)? {
                        continue;
                    }
                    self.residual_call(&mut st, cur, op)?;
                    cur = self.quasi_check_after_call(&mut st, cur, op)?;
                }
                Insn::Call(op, callee) => self.call(&mut st, op, callee)?,
                Insn::ElidableCall(op) => {
                    if !self.elidable_call(&mut st, cur, op)? {
                        return Ok(());
                    }
                }
                Insn::IndirectCall(op) => match self.indirect_call(&mut st, cur, op)? {
                    Some(b) => cur = b,
                    None => return Ok(()),
                },
                Insn::Exit { block, .. } => match self.exit(&mut st, cur, block)? {
                    Some(b) => cur = b,
                    None => return Ok(()),
                },
            }
        }
    }

    /// The compile-time value of an operand in the innermost frame.
    pub(super) fn get(&self, st: &JitState, v: Value) -> Val {
        match v {
            Value::Const(c) => Val::Green(c),
            Value::Var(x) => {
                let f = st.top();
                match (f.greens[x.index()], f.reds[x.index()]) {
                    (Some(c), _) => Val::Green(c),
                    (None, Some(b)) => Val::Red(st.resolve(b)),
                    (None, None) => panic!("register {x} read before it is written"),
                }
            }
        }
    }

    /// Appends a residual op to `block`, within the op budget.
    pub(super) fn emit(
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
        if !self.observing() {
            return Ok(self.out.push_op(block, opcode, args, aux, ty, span));
        }
        let r = self.out.push_op(block, opcode, args.clone(), aux.clone(), ty, span);
        self.observe_op(opcode, &aux, &args, r);
        Ok(r)
    }

    /// Residual values for operands, forcing virtual objects.
    pub(super) fn values(&mut self, st: &mut JitState, cur: Block, args: &[Value]) -> Vec<Value> {
        args.iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) => Value::Const(c),
                Val::Red(b) => self.residual(st, cur, b),
            })
            .collect()
    }

    /// The residual value of a box, forcing a virtual object.
    pub(super) fn residual(&mut self, st: &mut JitState, cur: Block, b: RedBox) -> Value {
        match st.resolve(b) {
            RedBox::Const(c) => Value::Const(c),
            RedBox::Var(v) => Value::Var(v),
            RedBox::Virtual(i) => Value::Var(self.force(st, cur, i)),
        }
    }

    /// Runs a block's exit; returns the residual block to continue in, or `None` when the
    /// state is finished.
    pub(super) fn exit(
        &mut self,
        st: &mut JitState,
        cur: Block,
        block: Block,
    ) -> Step<Option<Block>> {
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
                Val::Red(_) if self.cold_bet(st, block, *cond).is_some() => {
                    let bet = self.cold_bet(st, block, *cond).expect("a cold branch");
                    self.cold_guard(st, cur, *cond, bet, g.blocks[block].span)?;
                    Ok(None)
                }
                Val::Red(b) => {
                    let null_test = self.null_test(st, block, *cond);
                    let cond = self.residual(st, cur, b);
                    let (tb, fb) =
                        (self.out.add_block(Span::UNKNOWN), self.out.add_block(Span::UNKNOWN));
                    self.out.blocks[cur].exit = Exit::Branch {
                        cond,
                        if_true: Target { block: tb, args: vec![] },
                        if_false: Target { block: fb, args: vec![] },
                    };
                    let mut other = st.clone();
                    // The side where a null test says "null" knows the pointer is null.
                    match null_test {
                        Some((x, null, true)) => st.replace_var(x, null),
                        Some((x, null, false)) => other.replace_var(x, null),
                        None => {}
                    }
                    self.jump(&mut other, if_false)?;
                    self.queue.push((other, fb));
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
                    self.queue.push((other, b));
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
                self.return_from(st, cur, val)
            }
        }
    }

    /// If `cond`, the condition of `block`'s branch, is a null test (`ptr_iszero`,
    /// `ptr_nonzero`) of a residual variable: that variable, its null, and whether the
    /// condition is true when it is null.
    fn null_test(&self, st: &JitState, block: Block, cond: Value) -> Option<(Var, Const, bool)> {
        let Value::Var(c) = cond else { return None };
        let g = self.graph_of(st);
        let ops = &g.blocks[block].ops;
        let op = ops.iter().map(|o| &g.ops[*o]).find(|o| o.result == Some(c))?;
        let null_if_true = match op.opcode {
            Opcode::PtrIsNull => true,
            Opcode::PtrNonNull => false,
            _ => return None,
        };
        let Val::Red(RedBox::Var(x)) = self.get(st, op.args[0]) else { return None };
        let Ty::Ref(t) = self.out.vars[x].ty else { return None };
        Some((x, Const::Null(t), null_if_true))
    }

    /// Whether register `r` of the innermost frame is green.
    pub(super) fn is_green(&self, st: &JitState, r: Var) -> bool {
        self.codes.codes[st.top().code].green.contains(r)
    }

    /// Moves a jump's arguments into the target block's parameters (all read, then written).
    pub(super) fn jump(&mut self, st: &mut JitState, t: &Target) -> Step<()> {
        let vals: Vec<Val> = t.args.iter().map(|a| self.get(st, *a)).collect();
        let code = &self.codes.codes[st.top().code];
        let g = &self.program.graphs[code.graph];
        for (p, v) in g.blocks[t.block].params.iter().zip(vals) {
            assign(st.top_mut(), *p, code.green.contains(*p), v)?;
        }
        st.top_mut().pc = code.block_start[t.block].expect("jump to a reached block") as usize;
        Ok(())
    }
}

/// Writes a value into a register of the given colour.
pub(super) fn assign(frame: &mut Frame, r: Var, green: bool, v: Val) -> Step<()> {
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
