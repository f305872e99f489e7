//! Cold branches: a red branch whose one side is known to be rare becomes a guard (PyPy's
//! `guard_no_overflow`, `guard_no_exception`) rather than a split.
//!
//! Vocabulary. A *cold branch* is a block exit `branch c` whose condition `c` is, in the
//! interpreter's graph,
//! - the result of an overflow op (`int_add_ovf`, ...: `ovfcheck`'s test; cold when true), or
//! - a `ptr_nonzero` of the field `current` of the program's exception state read just before
//!   (the exception transform's check after a call that may raise; cold when true).
//!
//! The engine bets on the warm side as a `hint(c, likely=...)` would: the state ends in a
//! flexswitch on `c` ([`Compiler::promote_betting`]) whose warm case is compiled inline at
//! once and whose cold case is compiled from the snapshot when first taken (or, deferred by
//! the payoff model, runs in the interpreter's continuation). Why: compiled with both sides,
//! the cold side (an overflow redone on big integers, an exception path) rejoins the loop
//! at the next merge point with a state that knows less (a result of unknown class), and
//! every instruction after it is compiled once more for that state — the versions of a
//! loop body multiply with the number of arithmetic instructions in it (mini-Python's
//! integer loops: hundreds of versions for a loop of twenty bytecodes), and each exception
//! path costs its handler's ops at every call. A cold side taken at run time is met as a
//! value of the site and switched on inline when the graph is compiled again, as promoted
//! values are.
//!
//! Invariant: the snapshot's position is the branch itself (the innermost frame's `pc` set
//! back to its `Exit` instruction), with the condition's register a constant in each case,
//! so a case (or a fallback's continuation, which starts at the block's exit) takes the
//! side the value says.

use super::promote::Promoted;
use super::{Compiler, Step, Val};
use crate::state::{JitState, RedBox};
use rpy_ir::ir::{Aux, Block, Const, Prebuilt, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;

impl<'a> Compiler<'a> {
    /// The side a cold branch of `block` on `cond` bets on (see the module header), or
    /// `None` when the branch is an ordinary one.
    pub(super) fn cold_bet(
        &self,
        st: &JitState,
        block: Block,
        cond: Value,
    ) -> Option<(Const, Option<Var>)> {
        if !self.budgets.cold_guards {
            return None;
        }
        let Value::Var(c) = cond else { return None };
        if !matches!(self.get(st, cond), Val::Red(RedBox::Var(_))) {
            return None;
        }
        let g = self.graph_of(st);
        let ops = &g.blocks[block].ops;
        let op = ops.iter().map(|o| &g.ops[*o]).find(|o| o.result == Some(c))?;
        match op.opcode {
            Opcode::IntAddOvf
            | Opcode::IntSubOvf
            | Opcode::IntMulOvf
            | Opcode::IntNegOvf
            | Opcode::IntLshiftOvf => Some((Const::Bool(false), None)),
            Opcode::PtrNonNull => {
                let Value::Var(x) = op.args[0] else { return None };
                let read = ops.iter().map(|o| &g.ops[*o]).find(|o| o.result == Some(x))?;
                self.is_exception_read(read.opcode, &read.aux, &read.args)
                    .then_some((Const::Bool(false), Some(x)))
            }
            _ => None,
        }
    }

    /// Whether an op reads the field `current` of the program's exception state.
    fn is_exception_read(&self, opcode: Opcode, aux: &Aux, args: &[Value]) -> bool {
        let Some(state) = self.program.exc_state else { return false };
        if opcode != Opcode::GetField || args.first() != Some(&Value::Const(Const::Prebuilt(state)))
        {
            return false;
        }
        let Aux::Field(t, field) = aux else { return false };
        let Prebuilt::Struct(pt, _) = &self.program.prebuilt[state] else { return false };
        t == pt && self.program.types.struct_def(*t).field_index("current") == Some(*field)
    }

    /// Ends the state at a guard on the cold branch `cond` (a register of the innermost
    /// frame, holding the residual variable `x`): a flexswitch betting on `bet`, positioned
    /// at the branch (see the module header).
    pub(super) fn cold_guard(
        &mut self,
        st: &mut JitState,
        cur: Block,
        cond: Value,
        (bet, null): (Const, Option<Var>),
        span: Span,
    ) -> Step<()> {
        let Value::Var(c) = cond else { unreachable!("a cold branch tests a register") };
        let Val::Red(RedBox::Var(x)) = self.get(st, cond) else {
            unreachable!("a cold branch tests a residual variable")
        };
        // Back to the branch's `Exit` instruction: each case runs it with `c` known.
        st.top_mut().pc -= 1;
        let promoted = Promoted::Cold { cond: c, null };
        self.promote_betting(st, cur, Value::Var(x), promoted, span, Some(bet))
    }
}
