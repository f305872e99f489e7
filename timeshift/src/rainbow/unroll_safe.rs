//! Loops of `@unroll_safe` graphs ([`rpy_ir::ir::FuncFlags::unroll_safe`]) unrolled while
//! their red state is constant.
//!
//! Elsewhere a merge key is the code positions and the green registers, and a red constant
//! that differs between two visits of a loop header becomes a variable (the second visit's
//! version is generalised against the first, [`crate::merge::generalise`]): a loop whose
//! counter is red but constant (the probe of a frozen dict, `dict_find`'s `i`) is peeled
//! once and then left in the residual code. At a merge point of an unroll-safe graph the
//! key also holds the constants of the innermost frame's live red registers (a red one that
//! is not a constant counts as "not a constant"), so each iteration on new constants gets a
//! version of its own, generalised against nothing, and its branches on constants fold: the
//! loop unrolls until it ends at compile time, or until its state repeats (a version with
//! the same constants exists: the jump to it closes a residual loop).
//!
//! Budget: [`super::Budgets::max_unroll_safe`] such keys per merge point under the same
//! callers (the context of [`Compiler::count_unrolled`]); past it the merge point is keyed as
//! elsewhere and merges as today (the counter becomes a variable; the compilation never gives
//! up for it). A state with no red constant there is keyed as elsewhere too, spending
//! nothing.

use super::merge_point::MergeKey;
use super::Compiler;
use crate::merge::Frozen;
use crate::state::{JitState, RedBox};
use rpy_ir::ir::{Const, Var};
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

impl<'a> Compiler<'a> {
    /// The merge key of a state at a merge point whose usual key is `key` and whose red
    /// positions and boxes are `positions` and `reds`: `key` itself unless the innermost
    /// frame's graph is unroll-safe, one of its live red registers holds a constant and the
    /// budget allows; then `key` extended with those registers' constants.
    pub(super) fn unroll_safe_key(
        &mut self,
        st: &JitState,
        key: MergeKey,
        positions: &[(usize, Var)],
        reds: &Frozen,
    ) -> MergeKey {
        let top = st.frames.len() - 1;
        let code = &self.codes.codes[st.top().code];
        if !self.program.graphs[code.graph].flags.unroll_safe {
            return key;
        }
        let consts: Vec<Option<Const>> = positions
            .iter()
            .zip(&reds.boxes)
            .filter(|((fi, _), _)| *fi == top)
            .map(|(_, b)| match b.map(|b| st.resolve(b)) {
                Some(RedBox::Const(c)) => Some(c),
                _ => None,
            })
            .collect();
        if consts.iter().all(Option::is_none) {
            return key;
        }
        let extended = key.with_reds(consts);
        if self.versions.contains_key(&extended) {
            return extended;
        }
        let n = self.unrolled_safe.entry(loop_context(st)).or_default();
        if *n >= self.budgets.max_unroll_safe {
            return key;
        }
        *n += 1;
        extended
    }
}

/// The merge point the innermost frame is at under its callers: their code positions and
/// greens, and its own code position (a loop is one merge point met again in one context).
pub(super) fn loop_context(st: &JitState) -> u64 {
    let mut h = FxHasher::default();
    let (top, callers) = st.frames.split_last().expect("a merge point is in a frame");
    for c in callers {
        (c.code, c.pc, &c.greens).hash(&mut h);
    }
    (top.code, top.pc).hash(&mut h);
    h.finish()
}
