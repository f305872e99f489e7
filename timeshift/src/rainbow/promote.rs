//! Promotion and flexswitches: hints, the flexswitch that ends a state on a value not known
//! at compile time, the [`Snapshot`] kept there, and the two ways on from it when a value
//! arrives: its case compiled ([`Compiler::resume`]) or a fallback to the interpreter
//! ([`Compiler::fallback`]).
//!
//! A snapshot is the state after the promoting hint with its red positions generalised to a
//! shape in which one residual variable held by several registers is one parameter, and the
//! heap made up to date but for the dirty entries storing virtual objects, which it carries
//! (as a merge point's version does). Values already met at a promotion site (per green
//! context, [`SiteKey`]) are switched on inline, their cases compiled in the same graph.

use super::heap_cache::{loc_owner, Carried};
use super::run::assign;
use super::{Budgets, Compiled, Compiler, Engine, GiveUp, Kind, Source, Step, Val};
use crate::jitcode::JitCodeIdx;
use crate::merge::{self, Shape};
use crate::state::{HeapCache, HeapEntry, HeapObj, JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, GraphIdx, OpIdx, Target, Value, Var};
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
    /// parameters stand for (see [`crate::fallback`]). A fallback is compiled within the
    /// default budgets, whatever `engine`'s: it is the way out when a case cannot be compiled.
    pub fn fallback(
        engine: Engine<'a>,
        snap: &Snapshot,
        value: Option<Const>,
        conts: &[(GraphIdx, Vec<Var>)],
        name: &str,
    ) -> Result<Compiled, GiveUp> {
        let portal = engine.portal_graph();
        let mut params = snap.param_tys.clone();
        if value.is_none() {
            params.insert(0, snap.value_ty);
        }
        let graph = Graph::new(name, params, portal.ret, portal.span);
        let engine = Engine { budgets: Budgets::default(), ..engine };
        let mut c = Compiler::new(engine, graph, Kind::Case);
        let cur = c.out.entry;
        let mut st = snap.state.clone();
        let mut params = c.out.blocks[cur].params.clone();
        let value_param = if value.is_none() { Some(params.remove(0)) } else { None };
        let extra = merge::rebuild_state_ext(&mut st, &snap.positions, &snap.shape, params);
        // The interpreter reads the heap: the carried dirty entries are flushed first.
        st.heap = HeapCache::default();
        c.restore_carried(&mut st, cur, &extra, &snap.carried);
        c.forget_heap(&mut st, cur)?;
        match (value, &snap.promoted, value_param) {
            (Some(k), promoted, _) => c.apply_promoted(&mut st, promoted, k)?,
            (None, Promoted::Value { dst, .. } | Promoted::Cold { cond: dst, .. }, Some(p)) => {
                st.top_mut().greens[dst.index()] = None;
                st.top_mut().reds[dst.index()] = Some(RedBox::Var(p));
            }
            (None, Promoted::Class { dst, operand }, _) => {
                let b = st.top_mut().reds[operand.index()];
                st.top_mut().greens[dst.index()] = None;
                st.top_mut().reds[dst.index()] = b;
            }
            (None, Promoted::Value { .. } | Promoted::Cold { .. }, None) => {
                unreachable!("the value is a parameter")
            }
            (None, Promoted::Split, _) => {}
        }
        let result = c.call_continuations(&mut st, cur, conts)?;
        c.out.blocks[cur].exit = Exit::Return(result);
        c.source = Some(Source::Fallback);
        c.finish()
    }

    /// Makes the state real and continues in the interpreter: calls the continuation of the
    /// innermost frame, then of each caller with its callee's result (`conts`: per frame,
    /// outermost first, as [`Compiler::fallback`] takes them). Returns the portal's result.
    pub(super) fn call_continuations(
        &mut self,
        st: &mut JitState,
        cur: Block,
        conts: &[(GraphIdx, Vec<Var>)],
    ) -> Step<Option<Value>> {
        let c = self;
        let mut result: Option<Value> = None;
        for fi in (0..st.frames.len()).rev() {
            let (graph, inputs) = &conts[fi];
            // The interpreter graph the continuation is a copy of.
            let original = &c.program.graphs[c.codes.codes[st.frames[fi].code].graph];
            let returned_to = st.frames.get(fi + 1).and_then(|f| f.result_to);
            let mut args = Vec::with_capacity(inputs.len());
            for v in inputs {
                let f = &st.frames[fi];
                let arg = match (f.greens[v.index()], f.reds[v.index()]) {
                    _ if Some(*v) == returned_to => result.ok_or_else(|| {
                        GiveUp::Unsupported(format!("fallback: no result for {v}"))
                    })?,
                    (Some(k), _) => Value::Const(k),
                    (None, Some(b)) => c.residual(st, cur, b),
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
            // An inlined guest call's portal frame (`portal_inline`): its continuation's asks
            // never resume (its result goes to its caller's continuation).
            let inlined = fi > 0 && st.frames[fi].code == c.codes.portal;
            if inlined {
                c.count_direct_call(cur, 1)?;
            }
            let r = c.emit(cur, Opcode::Call, args, Aux::Graph(*graph), ret, Span::UNKNOWN)?;
            if inlined {
                c.count_direct_call(cur, -1)?;
            }
            result = r.map(Value::Var);
        }
        Ok(result)
    }

    /// Compiles the case of `value` at a flexswitch: a residual graph taking the snapshot's
    /// variables, continuing from the promoting hint with the value known.
    pub fn resume(
        engine: Engine<'a>,
        snap: &Snapshot,
        value: Const,
        name: &str,
    ) -> Result<Compiled, GiveUp> {
        let portal = engine.portal_graph();
        let graph = Graph::new(name, snap.param_tys.clone(), portal.ret, portal.span);
        let mut c = Compiler::new(engine, graph, Kind::Case);
        let entry = c.out.entry;
        let mut st = snap.state.clone();
        let params = c.out.blocks[entry].params.clone();
        let extra = merge::rebuild_state_ext(&mut st, &snap.positions, &snap.shape, params);
        st.heap = HeapCache::default();
        c.restore_carried(&mut st, entry, &extra, &snap.carried);
        c.apply_promoted(&mut st, &snap.promoted, value)?;
        c.from_split = matches!(snap.promoted, Promoted::Split);
        if c.from_split {
            // Back to the merge instruction: the case continues in the entry at this key.
            st.top_mut().pc -= 1;
        }
        c.queue.push((st, entry));
        c.source = Some(Source::Case(Box::new(snap.clone()), value));
        c.finish()
    }

    /// Makes a promoted value known in a state positioned after the promoting hint.
    pub(super) fn apply_promoted(
        &self,
        st: &mut JitState,
        promoted: &Promoted,
        value: Const,
    ) -> Step<()> {
        match *promoted {
            Promoted::Value { dst, src } => {
                if let Some(RedBox::Var(x)) = st.top().reds[src.index()].map(|b| st.resolve(b)) {
                    st.replace_var(x, value);
                }
                assign(st.top_mut(), dst, true, Val::Green(value))
            }
            Promoted::Class { dst, operand } => {
                let b = st.top().reds[operand.index()]
                    .expect("the promoted object is a carried register");
                if let (RedBox::Var(x), Const::Int(tag)) = (b, value) {
                    st.classes.insert(x, tag);
                    st.classes.insert(st.heap.canon(x), tag);
                }
                let green = self.is_green(st, dst);
                assign(st.top_mut(), dst, green, Val::Red(b))
            }
            Promoted::Split => Ok(()),
            Promoted::Cold { cond, null } => {
                if let Some(RedBox::Var(x)) = st.top().reds[cond.index()].map(|b| st.resolve(b)) {
                    st.replace_var(x, value);
                }
                st.top_mut().reds[cond.index()] = Some(RedBox::Const(value));
                // The side where a null test says "null" knows the pointer is null.
                if let (Some(p), Const::Bool(false)) = (null, value) {
                    let ty = self.graph_of(st).vars[p].ty;
                    let b = st.top().reds[p.index()].map(|b| st.resolve(b));
                    if let (Some(RedBox::Var(x)), Ty::Ref(t)) = (b, ty) {
                        st.replace_var(x, Const::Null(t));
                    }
                }
                Ok(())
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
        let green = self.is_green(st, r);
        let v = self.get(st, od.args[0]);
        match v {
            Val::Red(RedBox::Var(x)) if (flags.promote || flags.likely) && green => {
                let Value::Var(src) = od.args[0] else {
                    unreachable!("a red box comes from a register")
                };
                let promoted = Promoted::Value { dst: r, src };
                // `likely`: the bet is that it is true; that case is compiled here and now.
                let bet = flags.likely.then_some(Const::Bool(true));
                self.promote_betting(st, cur, Value::Var(x), promoted, od.span, bet)?;
                return Ok(false);
            }
            Val::Red(RedBox::Var(x)) if flags.promote_class && !st.classes.contains_key(&x) => {
                let Value::Var(operand) = od.args[0] else {
                    unreachable!("a red box comes from a register")
                };
                let args = vec![Value::Var(x)];
                let tag = self.emit(cur, Opcode::TypeOf, args, Aux::None, Ty::Int, od.span)?;
                let tag = tag.expect("a typeof has a result");
                let promoted = Promoted::Class { dst: r, operand };
                self.promote(st, cur, Value::Var(tag), promoted, od.span)?;
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
        assign(st.top_mut(), r, green, v)?;
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
        self.promote_betting(st, cur, value, promoted, span, None)
    }

    /// [`Compiler::promote`], with the case of `bet` (a value not met yet that the code bets
    /// on: a `likely` hint's `true`) switched on inline as the values already met are.
    pub(super) fn promote_betting(
        &mut self,
        st: &mut JitState,
        cur: Block,
        value: Value,
        promoted: Promoted,
        span: Span,
        bet: Option<Const>,
    ) -> Step<()> {
        // The cases' graphs do not have the results of the elided calls made so far.
        st.elided.clear();
        let value_ty = self.out.value_ty(value, self.program);
        let cast = match value_ty {
            Ty::Int | Ty::Char => None,
            // A switch tests ints and chars: a bool is switched on as 0/1.
            Ty::Bool => Some(Opcode::CastBoolToInt),
            // A pointer is switched on by its address.
            Ty::Ref(_) => Some(Opcode::CastPtrToInt),
            other => return Err(GiveUp::Unsupported(format!("promotion of a {other:?} value"))),
        };
        let switched = match cast {
            None => value,
            Some(op) => {
                let r = self.emit(cur, op, vec![value], Aux::None, Ty::Int, span)?;
                Value::Var(r.expect("a cast has a result"))
            }
        };
        // The values already met here are switched on inline: each case goes on compiling in
        // this graph, so a loop through the promotion closes here.
        let site: SiteKey = (
            st.frames.iter().map(|f| (f.code, f.pc)).collect(),
            promoted.operand(),
            st.context.clone(),
        );
        // (Not a split's: its case is the rest of the code, compiled in graphs of its own.)
        let mut known: Vec<Const> = match promoted {
            Promoted::Split => Vec::new(),
            _ => self.shared.known.and_then(|k| k.borrow().get(&site).cloned()).unwrap_or_default(),
        };
        // A `likely` value observed in the state compiled for (`observe`) is switched on
        // inline as the values met are, and recorded with them, so a recompilation (which observes
        // nothing) inlines it too. A site that knows values adds no static bet it has not met
        // (`likely`'s: a float loop bet on ints at every operation, then compiled the loop
        // again from each guard that failed) — but for a cold guard, whose warm side is the
        // common one even where the cold side was met.
        let observed = match promoted {
            Promoted::Value { .. } if bet.is_some() => self.observed_value(value),
            _ => None,
        };
        if let Some(o) = observed.filter(|o| !known.contains(o)) {
            if let Some(k) = self.shared.known {
                let mut k = k.borrow_mut();
                let met = k.entry(site.clone()).or_default();
                if met.len() < self.budgets.max_inline_cases && !met.contains(&o) {
                    met.push(o);
                }
            }
            known.insert(0, o);
        }
        let cold = matches!(promoted, Promoted::Cold { .. });
        if let Some(b) = bet.filter(|b| !known.contains(b) && (cold || known.is_empty())) {
            known.insert(0, b);
        }
        let mut cases = Vec::new();
        for k in known {
            let b = self.out.add_block(span);
            let mut case_state = st.clone();
            self.apply_promoted(&mut case_state, &promoted, k)?;
            self.queue.push((case_state, b));
            cases.push((case_key(k), Target { block: b, args: Vec::new() }));
        }
        let id = self.shared.hooks.get();
        self.shared.hooks.set(id + 1);
        let miss = self.out.add_block(span);
        // The cases compiled in other graphs must find the heap as this state does: the
        // snapshot carries the dirty entries of run-time objects and those storing virtual
        // objects as a merge point's version carries the latter (their objects and values
        // are the hook's live values; a case keeps them dirty, a fallback flushes them
        // first), and the miss path flushes the others (constant objects' entries: the
        // engine reads constant objects' memory while compiling a case), on its own copy of
        // the state (the inline cases keep them dirty, and keep what is known). See
        // [`Compiler::snapshot_entries`].
        let mut state = st.clone();
        let carried = self.snapshot_entries(&mut state, miss)?;
        state.heap = HeapCache::default();
        let (positions, reds) = self.red_positions(&state, None);
        let (frozen, locs) = self.with_carried(reds, &carried);
        let shape = merge::generalise(&state, &self.program.types, &frozen, &[], false, true);
        let args = self.shape_args(&mut state, miss, &shape, &frozen.boxes);
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
            carried: locs,
            promoted,
            param_tys,
            value_ty,
            site,
        });
        Ok(())
    }
}

impl Compiler<'_> {
    /// At a flexswitch's miss path (`cur`): the dirty heap entries the snapshot carries — those
    /// of run-time objects (a residual variable's) and those storing virtual objects —, each
    /// its object as a value of the location's owner type; every other dirty entry's store
    /// is emitted. Why: a guard's miss path used to write back every delayed store (an
    /// interpreter frame's stack pointer, value stack and locals: mini-Python's loops had
    /// three stores per guard, a third of their residual code); carried, the stores are
    /// compiled only in the cases and fallbacks made when the guard fails, and a case keeps
    /// them delayed (a case overwriting the same slots writes once). Constant objects'
    /// entries are still written back: the engine may read a constant object's memory
    /// while compiling the case (an elidable call run at compile time).
    pub(super) fn snapshot_entries(
        &mut self,
        st: &mut JitState,
        cur: Block,
    ) -> Step<Vec<HeapEntry>> {
        let carried = |st: &JitState, e: &HeapEntry| {
            e.dirty
                && (matches!(st.resolve(e.value), RedBox::Virtual(_))
                    || matches!(e.obj, HeapObj::Var(_)))
        };
        for i in 0..st.heap.entries.len() {
            if !carried(st, &st.heap.entries[i]) {
                self.flush_entry(st, cur, i)?;
            }
        }
        let mut out = Vec::new();
        for i in 0..st.heap.entries.len() {
            let mut e = st.heap.entries[i].clone();
            if !carried(st, &e) {
                // Forced meanwhile (another store of the same object was emitted): emitted too.
                self.flush_entry(st, cur, i)?;
                continue;
            }
            e.via = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
            out.push(e);
        }
        Ok(out)
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
    /// A split (`split`): the state is at the global merge point, after the merge
    /// instruction, and the constant switched on makes nothing known.
    Split,
    /// A cold branch's guard (`cold`): the state is at the branch, whose condition is in the
    /// red register `cond`; where the condition is false, the pointer in register `null`
    /// (the one a `ptr_nonzero` condition tests) is null.
    Cold {
        /// The branch's condition.
        cond: Var,
        /// The register holding the pointer a null test tests, if the condition is one.
        null: Option<Var>,
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
            // No register: a site of its own, apart from every promotion's.
            Promoted::Split => Var::from_u32(u32::MAX - 1),
            Promoted::Cold { cond, .. } => cond,
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
    /// Their shapes (virtual objects stay virtual), then those of the dirty entries carried
    /// (each an object, then a value).
    pub shape: Vec<Shape>,
    /// The locations of the heap entries carried to the case (all dirty).
    pub carried: Vec<Carried>,
    /// What the value makes known.
    pub promoted: Promoted,
    /// The types of the case's parameters (the shape's variables).
    pub param_tys: Vec<Ty>,
    /// The type of the value switched on.
    pub value_ty: Ty,
    /// Where the promotion is.
    pub site: SiteKey,
}
