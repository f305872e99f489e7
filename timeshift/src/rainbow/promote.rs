//! TODO

use super::heap_cache::Carried;
use super::run::assign;
use super::{Budgets, Compiled, Compiler, GiveUp, Kind, Shared, Source, Step, Val};
use crate::jitcode::{JitCodeIdx, JitCodes};
use crate::merge::{self, Shape};
use crate::state::{HeapCache, JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, GraphIdx, OpIdx, Program, Target, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;

impl<'a> Compiler<'a> {
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
    pub(super) fn apply_promoted(&self, st: &mut JitState, promoted: &Promoted, value: Const) -> Step<()> {
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

    /// Runs a hint; false when it ended the state at a flexswitch (promotion of a value not
    /// known at compile time: what follows is compiled when values arrive).
    pub(super) fn hint(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<bool> {
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
    pub(super) fn promote(
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
