//! TODO

use super::ops::fold_residual;
use super::{Budgets, Compiled, Compiler, GiveUp, Kind, Shared, Source, Stats, Step, Val};
use crate::jitcode::{Insn, JitCodeIdx, JitCodes};
use crate::state::{Frame, JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, Program, Target, Value, Var};
use rpy_ir::layout::Layout;
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;
use std::collections::HashMap;

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

    pub(super) fn new(
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

    pub(super) fn finish(mut self) -> Result<Compiled, GiveUp> {
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

    pub(super) fn new_frame(&self, code: JitCodeIdx, result_to: Option<Var>) -> Frame {
        let jc = &self.codes.codes[code];
        let n = self.program.graphs[jc.graph].vars.len();
        let entry = self.program.graphs[jc.graph].entry;
        let pc = jc.block_start[entry].expect("the entry block is reached") as usize;
        Frame { code, pc, greens: vec![None; n], reds: vec![None; n], result_to }
    }

    pub(super) fn graph_of(&self, st: &JitState) -> &'a Graph {
        let code = &self.codes.codes[st.frames.last().unwrap().code];
        &self.program.graphs[code.graph]
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
    pub(super) fn get(&self, st: &JitState, v: Value) -> Val {
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
        Ok(self.out.push_op(block, opcode, args, aux, ty, span))
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

    pub(super) fn residual(&mut self, st: &mut JitState, cur: Block, b: RedBox) -> Value {
        match st.resolve(b) {
            RedBox::Const(c) => Value::Const(c),
            RedBox::Var(v) => Value::Var(v),
            RedBox::Virtual(i) => Value::Var(self.force(st, cur, i)),
        }
    }

    /// Runs a block's exit; returns the residual block to continue in, or `None` when the
    /// state is finished.
    pub(super) fn exit(&mut self, st: &mut JitState, cur: Block, block: Block) -> Step<Option<Block>> {
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
    pub(super) fn jump(&mut self, st: &mut JitState, t: &Target) -> Step<()> {
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
