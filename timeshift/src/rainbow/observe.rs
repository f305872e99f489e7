//! Observed values: what the run-time state an entry graph is compiled for holds, used to
//! choose the side a promotion bets on (PyPy's tracing JIT records the types it meets; a
//! partial evaluator guesses them, and a guess that is wrong at the loop's entry compiles
//! the rest of the loop again from every guard the guess failed).
//!
//! Vocabulary. An *observed* residual variable is one whose value in the state the
//! compilation starts from is known now: an entry graph's parameter compiled at a hot merge
//! point (the driver passes the live values it was called with), then the result of a read
//! op (`getfield`, `getarrayitem`, `cast`, `instanceof`, `typeof`, the null tests, see
//! [`rpy_ir::runtime::Heap::read_op`]) emitted on observed operands, read from memory now,
//! and a merge point's version parameter when the state that made the version passed it an
//! observed value (so a loop's body is predicted from its first iteration's values).
//!
//! Used today by the promotions that bet (`likely` hints: the side observed is compiled
//! inline rather than the side the hint names). Promoted classes and pointers are not
//! observed yet: an observed pointer's inline case would key residual code by an address,
//! and TLC's residual code (no `likely` hint) stays as it was.
//!
//! Invariant: an observation is a prediction, never a fact. It only decides which case of a
//! flexswitch is compiled inline at once (`Compiler::promote_betting`); every case is still
//! guarded by the switch, so a wrong or stale observation (memory changed since, or a read in
//! a loop body that runs later on other values) costs a flexswitch miss, never a wrong result.
//! Reads go through rpy-ir's checked heap access (`crate::heap::read`): an address that no
//! longer holds an object gives no observation.

use super::Compiler;
use rpy_ir::ir::{Aux, Block, Const, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::RtValue;
use rustc_hash::FxHashMap as HashMap;

/// The observed residual variables of one compilation, with their values.
#[derive(Clone, Default, Debug)]
pub(super) struct Observed {
    values: HashMap<Var, Const>,
}

impl<'a> Compiler<'a> {
    /// Observes the parameters of `block` to hold `values` (an entry graph's, in order);
    /// nothing if they do not correspond one to one.
    pub(super) fn observe_params(&mut self, block: Block, values: &[RtValue]) {
        let params = &self.out.blocks[block].params;
        if params.len() != values.len() {
            return;
        }
        for (p, v) in params.iter().zip(values) {
            if let Some(c) = v.to_const(self.out.vars[*p].ty) {
                self.observed.values.insert(*p, c);
            }
        }
    }

    /// At a jump passing `args` to the new block parameters `params` (a merge point's first
    /// version): each parameter is observed as its argument is.
    pub(super) fn observe_args(&mut self, args: &[Value], params: &[Var]) {
        if !self.observing() || args.len() != params.len() {
            return;
        }
        for (a, p) in args.iter().zip(params) {
            let c = match a {
                Value::Const(c) => Some(*c),
                Value::Var(v) => self.observed.values.get(v).copied(),
            };
            if let Some(c) = c {
                self.observed.values.insert(*p, c);
            }
        }
    }

    /// After emitting `opcode` on `args` with result `result`: observes the result when the
    /// op reads memory and every operand is a constant or observed.
    pub(super) fn observe_op(
        &mut self,
        opcode: Opcode,
        aux: &Aux,
        args: &[Value],
        result: Option<Var>,
    ) {
        let Some(r) = result else { return };
        if !matches!(
            opcode,
            Opcode::GetField
                | Opcode::GetArrayItem
                | Opcode::Cast
                | Opcode::InstanceOf
                | Opcode::TypeOf
                | Opcode::PtrNonNull
                | Opcode::PtrIsNull
                | Opcode::ArrayLen
        ) {
            return;
        }
        let consts: Option<Vec<Const>> = args
            .iter()
            .map(|a| match a {
                Value::Const(c) => Some(*c),
                Value::Var(v) => self.observed.values.get(v).copied(),
            })
            .collect();
        let Some(consts) = consts else { return };
        let (layout, types) = (self.folder.layout(), &self.program.types);
        if let Some(c) = crate::heap::read(layout, types, opcode, aux, &consts) {
            self.observed.values.insert(r, c);
        }
    }

    /// The observed value of a switched value, if any.
    pub(super) fn observed_value(&self, value: Value) -> Option<Const> {
        match value {
            Value::Var(v) => self.observed.values.get(&v).copied(),
            Value::Const(_) => None,
        }
    }

    /// Whether anything is observed (observing costs a clone of each emitted op's operands).
    pub(super) fn observing(&self) -> bool {
        !self.observed.values.is_empty()
    }
}
