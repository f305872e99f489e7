//! Direct portal calls (PyPy's `call_assembler`): a residual call of the portal whose callee
//! is known at compile time calls the compiled code of the merge point it reaches, not the
//! interpreter.
//!
//! Without it a guest-level call from compiled code (mini-Python's `eval_frame` of a new
//! frame) is a residual call of the translated portal, which runs up to its merge point and
//! asks the driver there, which looks the key up and enters compiled code: a trip through the
//! driver per guest call (fib: ~0.5 µs of each call, more than the translated interpreter's
//! whole call).
//!
//! How: at a residual call of the portal graph, the engine runs the portal's *prologue* (from
//! its entry up to the global merge point) on a copy of the state, with the call's arguments
//! as the portal's parameters. If that reaches the merge point without emitting anything (the
//! prologue folds: its green parameters constants, what it reads of a new frame known since
//! the frame is virtual), the merge point's greens are a key; if the driver has compiled code
//! for that key ([`super::CompileServices::compiled_at_merge_point`]), the call becomes a call
//! of that graph with the merge point's reds (virtual objects forced, as for the residual call
//! they replace), and the state goes on from the copy (what the prologue did to virtual
//! objects is part of it). Otherwise nothing happened and the residual call is emitted as
//! before.
//!
//! Invariants:
//! - The call has exactly the effects of the residual call it replaces: the heap cache is
//!   flushed as for a call of the portal (which may reach every frame), the callee starts at
//!   the merge point in the state the prologue leaves, and its result and raised exception
//!   reach the caller as the portal's would (the exception state, read after the call).
//! - The prologue's run emits nothing, splits nothing and ends nothing: each instruction is
//!   checked before it runs (constant operands for green ops and hints, a decided branch),
//!   and a red op that emitted is taken back (its op removed from the block) and the call
//!   stays residual. Anything else (a followed call, a return, a second merge) stops it.
//! - The call is bracketed by `jit_direct_calls(+1/-1)` (`rpy_ir::runtime::portal_calls`),
//!   so a fallback's continuation under it never resumes compiled code through the driver's
//!   trampoline (which is not below it).
//! - The driver's compiled code for a key may be replaced (recompiled in place: callers reach
//!   the new code through its slot) or become invalid (quasi-immutable fields: its entry test
//!   sends it to the interpreter), so calling it directly is always right.

use super::run::assign;
use super::{Compiler, GiveUp, Step, Val};
use crate::jitcode::Insn;
use crate::state::{JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, OpIdx, Value};
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::portal_calls::DIRECT_CALLS;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;

/// Instructions a prologue may run before the call stays residual (mini-Python's: ~12).
const MAX_PROLOGUE_STEPS: usize = 200;

impl<'a> Compiler<'a> {
    /// If residual call `op` (in the innermost frame) calls the portal and can be made a direct
    /// call of compiled code (see the module header): emits it, leaves its result in the
    /// call's register and returns `true`; else changes nothing and returns `false`.
    pub(super) fn direct_portal_call(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
    ) -> Step<bool> {
        let Some(services) = self.services else { return Ok(false) };
        let g = self.graph_of(st);
        let od = &g.ops[op];
        let portal_graph = self.codes.codes[self.codes.portal].graph;
        if !matches!(od.aux, Aux::Graph(c) if c == portal_graph) {
            return Ok(false);
        }
        let Some((mut sub, greens, reds)) = self.run_prologue(st, cur, op)? else {
            return Ok(false);
        };
        let Some(target) = services.compiled_at_merge_point(&greens) else { return Ok(false) };
        sub.frames.pop();
        *st = sub;
        self.flush_for_residual(st, cur, g, od)?;
        let args: Vec<Value> = reds
            .into_iter()
            .map(|v| match v {
                Val::Green(c) => Value::Const(c),
                Val::Red(b) => self.residual(st, cur, b),
            })
            .collect();
        let ty = od.result.map_or(Ty::Void, |r| g.vars[r].ty);
        self.count_direct_call(cur, 1)?;
        let r = self.emit(cur, Opcode::Call, args, Aux::Graph(target), ty, od.span)?;
        self.count_direct_call(cur, -1)?;
        if let (Some(dst), Some(r)) = (od.result, r) {
            let green = self.is_green(st, dst);
            assign(st.top_mut(), dst, green, Val::Red(RedBox::Var(r)))?;
        }
        Ok(true)
    }

    pub(super) fn count_direct_call(&mut self, cur: Block, delta: i64) -> Step<()> {
        let args = vec![Value::Const(Const::Int(delta))];
        let aux = Aux::Extern(DIRECT_CALLS.to_string());
        self.emit(cur, Opcode::CallExtern, args, aux, Ty::Void, Span::UNKNOWN)?;
        Ok(())
    }

    /// Runs the portal's prologue for call `op` on a copy of `st` (see the module header):
    /// the copy at the merge point (the portal's frame on top), the merge point's greens and
    /// its reds; `None` if the prologue cannot run to it without emitting anything.
    #[allow(clippy::type_complexity)]
    pub(super) fn run_prologue(
        &mut self,
        st: &JitState,
        cur: Block,
        op: OpIdx,
    ) -> Step<Option<(JitState, Vec<Const>, Vec<Val>)>> {
        let Some(mp) = self.services.and_then(|s| s.merge_point()) else { return Ok(None) };
        let codes = self.codes;
        let portal = codes.portal;
        let pcode = &codes.codes[portal];
        let Some(start) = pcode.block_start[mp.block] else { return Ok(None) };
        let od = &self.graph_of(st).ops[op];
        let pg = &self.program.graphs[pcode.graph];
        // Green parameters must receive constants.
        for (p, a) in pg.param_vars().iter().zip(&od.args) {
            if pcode.green.contains(*p) && !is_known(&self.get(st, *a)) {
                return Ok(None);
            }
        }
        let mut sub = st.clone();
        self.push_frame(&mut sub, op, portal, &od.args, None)?;
        let depth = sub.frames.len();
        for _ in 0..MAX_PROLOGUE_STEPS {
            let pc = sub.top().pc;
            if sub.frames.len() != depth || sub.top().code != portal {
                return Ok(None);
            }
            let insn = &pcode.insns[pc];
            sub.top_mut().pc += 1;
            if let Insn::Merge { .. } = insn {
                if pc == start as usize {
                    return Ok(merge_point_values(&sub, mp).map(|(g, r)| (sub, g, r)));
                }
                // A join inside the prologue: one state runs through it, nothing to merge.
                continue;
            }
            if !self.prologue_step(&mut sub, cur, insn.clone())? {
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// Runs one prologue instruction if it cannot emit, split or end the state (checked
    /// before); `false` (nothing done, or an emitted op taken back) if it might.
    fn prologue_step(&mut self, sub: &mut JitState, cur: Block, insn: Insn) -> Step<bool> {
        let before = (self.out.blocks[cur].ops.len(), self.stats.residual_ops);
        let shape = (self.out.blocks.len(), self.queue.len(), self.snapshots.len());
        match insn {
            Insn::Green(o) => {
                if self.const_operands(sub, o).is_none() {
                    return Ok(false);
                }
                if !self.green_op(sub, cur, o)? {
                    return Err(GiveUp::Unsupported("a portal's prologue failed".into()));
                }
            }
            Insn::Hint(o) => {
                let g = self.graph_of(sub);
                let od = &g.ops[o];
                let flagged = matches!(&od.aux, Aux::Hint(f) if !f.global_merge_point);
                if flagged && od.args.iter().any(|a| !is_known(&self.get(sub, *a))) {
                    return Ok(false);
                }
                if !self.hint(sub, cur, o)? {
                    return Err(GiveUp::Unsupported("a portal's prologue hint ended".into()));
                }
            }
            Insn::Red(o) if self.virtual_quasi_write(sub, o) => {}
            Insn::Red(o) => {
                if self.red_op(sub, cur, o, false)? != cur {
                    return Err(GiveUp::Unsupported("a portal's prologue split".into()));
                }
            }
            Insn::FrozenRead(o) => {
                if !self.frozen_read(sub, o) && self.red_op(sub, cur, o, false)? != cur {
                    return Err(GiveUp::Unsupported("a portal's prologue split".into()));
                }
            }
            Insn::Exit { block, .. } => {
                let g = self.graph_of(sub);
                let decided = match &g.blocks[block].exit {
                    Exit::Goto(_) => true,
                    Exit::Branch { cond, .. } => is_known(&self.get(sub, *cond)),
                    Exit::Switch { value, .. } => is_known(&self.get(sub, *value)),
                    Exit::Return(_) => false,
                };
                if !decided {
                    return Ok(false);
                }
                if self.exit(sub, cur, block)? != Some(cur) {
                    return Err(GiveUp::Unsupported("a portal's prologue ended".into()));
                }
            }
            _ => return Ok(false),
        }
        if (self.out.blocks.len(), self.queue.len(), self.snapshots.len()) != shape {
            return Err(GiveUp::Unsupported("a portal's prologue made blocks".into()));
        }
        if self.out.blocks[cur].ops.len() != before.0 {
            // Emitted: taken back (the op, in no block now, is dropped with the graph's
            // unreachable parts), and the call stays residual.
            self.out.blocks[cur].ops.truncate(before.0);
            self.stats.residual_ops = before.1;
            return Ok(false);
        }
        Ok(true)
    }
}

/// Whether a compile-time value is a constant.
fn is_known(v: &Val) -> bool {
    matches!(v, Val::Green(_) | Val::Red(RedBox::Const(_)))
}

/// The merge point's greens (all constants, else `None`) and reds in the portal's frame on
/// top of `st`.
pub(super) fn merge_point_values(
    st: &JitState,
    mp: &crate::tiering::MergePoint,
) -> Option<(Vec<Const>, Vec<Val>)> {
    let f = st.top();
    let value = |v: rpy_ir::ir::Var| match (f.greens[v.index()], f.reds[v.index()]) {
        (Some(c), _) => Some(Val::Green(c)),
        (None, Some(b)) => Some(Val::Red(st.resolve(b))),
        (None, None) => None,
    };
    let greens = mp
        .greens
        .iter()
        .map(|(v, _)| match value(*v)? {
            Val::Green(c) | Val::Red(RedBox::Const(c)) => Some(c),
            Val::Red(_) => None,
        })
        .collect::<Option<Vec<Const>>>()?;
    let reds = mp.reds.iter().map(|(v, _)| value(*v)).collect::<Option<Vec<Val>>>()?;
    Some((greens, reds))
}
