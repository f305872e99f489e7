//! The rainbow engine: runs JitCode at compile time and builds the residual graph.
//!
//! Green instructions run now (folded with [`rpy_ir::fold`]). Red instructions fold when
//! their boxes are constants, act on virtual objects at compile time, and otherwise append a
//! residual op. A branch on a red box that is not a constant splits the state: the residual
//! block ends in the same branch, the current state continues on one side and a copy waits in
//! the pending queue for the other. At a merge point (a join of the specialisation: loop
//! headers, and where paths meet) the state is frozen and compared with the versions already
//! compiled for the same key (code positions and green values): a version that accepts it
//! (each of its constants equal, its variables anything) gets a residual jump, which closes
//! loops; otherwise a new version is compiled, generalised against the earlier ones (constants
//! that differ become variables, all of them once [`Budgets::max_versions`] is reached).
//! Virtual objects stay virtual across merge points when their shapes agree.

use crate::jitcode::{Insn, JitCodeIdx, JitCodes};
use crate::merge::{self, Shape};
use crate::state::{Frame, JitState, RedBox, Virtual};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, OpIdx, Program, Target, Value, Var};
use rpy_ir::layout::Layout;
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;
use std::collections::HashMap;

/// Limits that keep compilation finite; hitting one makes the compilation fall back.
#[derive(Clone, Copy, Debug)]
pub struct Budgets {
    /// Residual ops per compilation.
    pub max_residual_ops: usize,
    /// Versions compiled per merge key before everything is generalised.
    pub max_versions: usize,
    /// Compile-time instructions run per compilation (green loops never emit anything).
    pub max_steps: usize,
}

impl Default for Budgets {
    fn default() -> Budgets {
        Budgets { max_residual_ops: 50_000, max_versions: 3, max_steps: 5_000_000 }
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

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct MergeKey {
    pcs: Vec<(JitCodeIdx, usize)>,
    greens: Vec<Option<Const>>,
}

struct Version {
    block: Block,
    /// Per red position, what this version is specialised to.
    shape: Vec<Shape>,
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
    ) -> Result<(Graph, Stats), GiveUp> {
        let code = &codes.codes[codes.portal];
        let pg = &program.graphs[code.graph];
        let red_params: Vec<Ty> =
            pg.params.iter().zip(greens).filter(|(_, g)| g.is_none()).map(|(t, _)| *t).collect();
        let out = Graph::new(name, red_params, pg.ret, pg.span);
        let mut c = Compiler {
            program,
            codes,
            layout: Layout::compute(&program.types),
            folder: rpy_ir::fold::Folder::with_layout(program, Layout::compute(&program.types)),
            budgets,
            out,
            pending: Vec::new(),
            versions: HashMap::new(),
            stats: Stats::default(),
        };
        let mut frame = c.new_frame(codes.portal, None);
        let entry = c.out.entry;
        let mut red_vars = c.out.blocks[entry].params.clone().into_iter();
        for (p, g) in pg.param_vars().iter().zip(greens) {
            match g {
                Some(k) => frame.greens[p.index()] = Some(*k),
                None => frame.reds[p.index()] = Some(RedBox::Var(red_vars.next().unwrap())),
            }
        }
        c.pending.push((JitState { frames: vec![frame], virtuals: Vec::new() }, entry));
        while let Some((state, block)) = c.pending.pop() {
            c.stats.states += 1;
            c.run(state, block)?;
        }
        c.out.simplify();
        Ok((c.out, c.stats))
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
                Insn::Red(op) => self.red_op(&mut st, cur, op)?,
                Insn::Hint(op) => self.hint(&mut st, cur, op)?,
                Insn::ResidualCall(op) => {
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
        let v = self
            .out
            .push_op(cur, Opcode::Malloc, vec![], Aux::Type(ty), Ty::Ref(ty), Span::UNKNOWN)
            .unwrap();
        self.stats.residual_ops += 1;
        st.virtuals[i].forced = Some(v);
        let fields = st.virtuals[i].fields.clone();
        for (idx, f) in fields.into_iter().enumerate() {
            if let Some(b) = f {
                let val = self.residual(st, cur, b);
                let aux = Aux::Field(ty, idx as u32);
                self.out.push_op(
                    cur,
                    Opcode::SetField,
                    vec![Value::Var(v), val],
                    aux,
                    Ty::Void,
                    Span::UNKNOWN,
                );
                self.stats.residual_ops += 1;
            }
        }
        v
    }

    /// Runs a green op; false when it would fail at run time (the failing op is emitted, and
    /// the rest of this path is dead).
    fn green_op(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<bool> {
        let od = &self.graph_of(st).ops[op];
        let consts: Vec<Const> = od
            .args
            .iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) | Val::Red(RedBox::Const(c)) => Ok(c),
                Val::Red(b) => Err(GiveUp::Unsupported(format!("green op with red operand {b}"))),
            })
            .collect::<Step<_>>()?;
        let folded = self
            .folder
            .fold(od.opcode, &od.aux, &consts)
            .or_else(|| read_frozen(self.program, od.opcode, &od.aux, &consts));
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
            None => Err(GiveUp::Unsupported(format!("cannot run '{}' at compile time", od.opcode))),
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
        self.out.blocks[cur].exit = Exit::Return(zero(ret).map(Value::Const));
        Ok(())
    }

    fn set_red(&self, st: &mut JitState, r: Option<Var>, b: RedBox) {
        if let Some(r) = r {
            st.top().reds[r.index()] = Some(b);
        }
    }

    fn red_op(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<()> {
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
                return Ok(());
            }
            (Opcode::SetField, Aux::Field(_, idx)) if virt(0).is_some() => {
                st.virtuals[virt(0).unwrap()].fields[*idx as usize] = Some(boxes[1]);
                return Ok(());
            }
            (Opcode::GetField, Aux::Field(_, idx)) if virt(0).is_some() => {
                let v = &st.virtuals[virt(0).unwrap()];
                let field_ty = self.program.types.struct_def(v.ty).fields[*idx as usize].ty;
                let b = match v.fields[*idx as usize] {
                    Some(b) => b,
                    None => RedBox::Const(zero(field_ty).ok_or_else(|| {
                        GiveUp::Unsupported("read of an unset function-pointer field".into())
                    })?),
                };
                self.set_red(st, od.result, b);
                return Ok(());
            }
            (Opcode::InstanceOf, Aux::Type(t)) if virt(0).is_some() => {
                let sub = self.program.types.is_subtype(st.virtuals[virt(0).unwrap()].ty, *t);
                self.set_red(st, od.result, RedBox::Const(Const::Bool(sub)));
                return Ok(());
            }
            (Opcode::Cast, Aux::Type(t)) if virt(0).is_some() => {
                if self.program.types.is_subtype(st.virtuals[virt(0).unwrap()].ty, *t) {
                    self.set_red(st, od.result, boxes[0]);
                    return Ok(());
                }
            }
            (Opcode::TypeOf, _) if virt(0).is_some() => {
                let tag = self.layout.tag(st.virtuals[virt(0).unwrap()].ty) as i64;
                self.set_red(st, od.result, RedBox::Const(Const::Int(tag)));
                return Ok(());
            }
            (Opcode::PtrIsNull | Opcode::PtrNonNull, _) if virt(0).is_some() => {
                let r = od.opcode == Opcode::PtrNonNull;
                self.set_red(st, od.result, RedBox::Const(Const::Bool(r)));
                return Ok(());
            }
            (Opcode::PtrEq | Opcode::PtrNe, _) if virt(0).is_some() || virt(1).is_some() => {
                // A virtual object is a fresh allocation: only identical to itself.
                let same = boxes[0] == boxes[1];
                let r = if od.opcode == Opcode::PtrEq { same } else { !same };
                self.set_red(st, od.result, RedBox::Const(Const::Bool(r)));
                return Ok(());
            }
            _ => {}
        }
        if let Some(b) = identity_operand(od.opcode, &boxes) {
            self.set_red(st, od.result, b);
            return Ok(());
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
                return Ok(());
            }
        }
        let args: Vec<Value> = boxes.into_iter().map(|b| self.residual(st, cur, b)).collect();
        let ty = od.result.map_or(Ty::Void, |r| g.vars[r].ty);
        if let Some(r) = self.emit(cur, od.opcode, args, od.aux.clone(), ty, od.span)? {
            self.set_red(st, od.result, RedBox::Var(r));
        }
        Ok(())
    }

    fn hint(&mut self, st: &mut JitState, _cur: Block, op: OpIdx) -> Step<()> {
        let g = self.graph_of(st);
        let od = &g.ops[op];
        let Aux::Hint(flags) = od.aux else { unreachable!("hint ops carry hint flags") };
        if flags.global_merge_point {
            return Ok(());
        }
        let Some(r) = od.result else { return Ok(()) };
        let green = self.codes.codes[st.frames.last().unwrap().code].green.contains(r);
        let v = self.get(st, od.args[0]);
        if flags.promote && matches!(v, Val::Red(RedBox::Var(_) | RedBox::Virtual(_))) && green {
            return Err(GiveUp::Unsupported("promotion of a run-time value (flexswitch)".into()));
        }
        let v = if flags.forget || flags.variable {
            match v {
                Val::Green(c) => Val::Red(RedBox::Const(c)),
                red => red,
            }
        } else {
            v
        };
        assign(st.top(), r, green, v)
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
        // The red positions: live red registers of the innermost frame, every red register of
        // the suspended callers.
        let top = st.frames.len() - 1;
        let mut positions: Vec<(usize, Var)> = Vec::new();
        for (fi, f) in st.frames.iter().enumerate() {
            let g = &self.program.graphs[self.codes.codes[f.code].graph];
            if fi == top {
                let green = &self.codes.codes[f.code].green;
                let red_live =
                    live.iter().filter(|v| !green.contains(**v) && f.reds[v.index()].is_some());
                positions.extend(red_live.map(|v| (fi, *v)));
            } else {
                positions
                    .extend(g.vars.keys().filter(|v| f.reds[v.index()].is_some()).map(|v| (fi, v)));
            }
        }
        let boxes: Vec<Option<RedBox>> =
            positions.iter().map(|(fi, v)| st.frames[*fi].reds[v.index()]).collect();
        let tys: Vec<Ty> = positions
            .iter()
            .map(|(fi, v)| {
                self.program.graphs[self.codes.codes[st.frames[*fi].code].graph].vars[*v].ty
            })
            .collect();
        let key = self.merge_key(st, live);
        let versions = self.versions.entry(key.clone()).or_default();
        if let Some(ver) = versions.iter().find(|v| merge::matches(st, &v.shape, &boxes)) {
            let (block, shape) = (ver.block, ver.shape.clone());
            let args = self.shape_args(st, cur, &shape, &boxes);
            self.out.blocks[cur].exit = Exit::Goto(Target { block, args });
            return Ok(None);
        }
        let general = versions.len() >= self.budgets.max_versions;
        let existing: Vec<&[Shape]> = versions.iter().map(|v| v.shape.as_slice()).collect();
        let shape = merge::generalise(st, &self.program.types, &boxes, &tys, &existing, general);
        let args = self.shape_args(st, cur, &shape, &boxes);
        let block = self.out.add_block(Span::UNKNOWN);
        let mut ptys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut ptys));
        let params: Vec<Var> = ptys.iter().map(|t| self.out.add_param(block, *t, None)).collect();
        let mut params = params.into_iter();
        let mut virtuals = Vec::new();
        let mut numbered = HashMap::new();
        for ((fi, v), s) in positions.iter().zip(&shape) {
            let b = merge::rebuild(s, &mut params, &mut virtuals, &mut numbered);
            st.frames[*fi].reds[v.index()] = b;
        }
        st.virtuals = virtuals;
        self.out.blocks[cur].exit = Exit::Goto(Target { block, args });
        self.versions.get_mut(&key).unwrap().push(Version { block, shape });
        self.stats.versions += 1;
        Ok(Some(block))
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
        MergeKey { pcs, greens }
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

/// The zero value of a type (what a fresh allocation holds), if it has one.
pub fn zero(ty: Ty) -> Option<Const> {
    Some(match ty {
        Ty::Int => Const::Int(0),
        Ty::Float => Const::float(0.0),
        Ty::Bool => Const::Bool(false),
        Ty::Char => Const::Char(0),
        Ty::Ref(t) => Const::Null(t),
        Ty::Func(_) | Ty::Void => return None,
    })
}
