//! Splitting large compilations at the global merge point, so that compile time (the
//! engine's and the backend's) grows linearly with the user's code rather than with the size
//! of one graph, and no compilation of long code gives up on the op budget.
//!
//! Vocabulary: a **split** ends a state at the global merge point, once the compilation has
//! done [`Budgets::split_ops`] residual ops' worth of work (the ops emitted, and a quarter
//! of the merge versions made), in a flexswitch on a constant (a `jit_hook`
//! whose only case is [`SPLIT_VALUE`], [`Promoted::Split`]): nothing more is compiled now.
//! When run, the hook misses, and the JIT compiles the case like any other — a case graph
//! that runs to the next global merge point and continues there in an entry graph
//! ([`Compiler::enter`]), which splits again when it is large in turn. That entry is a
//! **split entry**: its merge key is remembered ([`EntryTable`]'s `split` keys).
//!
//! Invariants:
//! - every graph stays under about [`Budgets::split_ops`] ops plus one instruction's worth
//!   (at the global merge point only, so never inside an instruction);
//! - a compilation that reaches the merge key of a split entry continues in it (a tail
//!   call) if it accepts the state, and otherwise splits there, whatever its size: code is
//!   cut where it was cut before, so a loop whose body is larger than
//!   [`Budgets::split_ops`] meets the same cuts on every lap; the case of a cut met again
//!   continues in an entry generalised against the one there (constants that differ become
//!   variables, as at any entry), and by the third lap the entries accept the state and the
//!   loop closes through them;
//! - the case of a split resumes *at* the merge instruction (the snapshot is after it, as
//!   every snapshot is after its hint, so a fallback continues the interpreter's block
//!   there), so the entry it continues in has the split's key;
//! - a compilation never cuts at its first merge point (where an entry graph starts), nor
//!   at a key it has versions for (a loop inside one graph closes there, as before);
//! - before any of this, at a key it has not met, a compilation continues in an entry graph
//!   that heads a loop there and accepts the state unforced, whatever its size (`joins`):
//!   the code from that key is compiled already, round a loop closed in that graph;
//! - a split's case is never compiled inline by a recompilation (a split site's known
//!   value is ignored), or the recompiled graph would grow back to the whole code;
//! - graphs under [`Budgets::split_ops`] ops never split and never meet split entries,
//!   so code of ordinary size is compiled as before.
//!
//! The split is lazy (a flexswitch) rather than an entry graph compiled on the spot: a
//! nested compilation would be in progress when a loop came back to it, with no graph yet
//! to continue in; lazily, the code before a cut is installed before the code after it is
//! compiled.
//!
//! [`Budgets::split_ops`]: super::Budgets::split_ops
//! [`EntryTable`]: super::EntryTable

use super::merge_point::MergeKey;
use super::{Compiler, Kind, Promoted, Step};
use crate::merge::Frozen;
use crate::state::JitState;
use rpy_ir::ir::{Block, Const, Value, Var};
use rpy_ir::span::Span;

/// The value a split's flexswitch switches on (its only case).
pub const SPLIT_VALUE: i64 = 0;

impl<'a> Compiler<'a> {
    /// At the global merge point of a compilation that is not a case: continues in a split
    /// entry that accepts the state, or splits once the graph is large. `Some(())`: the
    /// state is done; `None`: the merge point goes on as usual.
    pub(super) fn split_or_join(
        &mut self,
        st: &mut JitState,
        cur: Block,
        key: &MergeKey,
        positions: &[(usize, Var)],
        reds: &Frozen,
    ) -> Step<Option<()>> {
        if self.kind == Kind::Case || st.frames.len() != 1 || !self.is_global_merge(st) {
            return Ok(None);
        }
        let Some(entries) = self.shared.entries else { return Ok(None) };
        if self.stats.versions == 0 || self.versions.contains_key(key) {
            // Where this compilation starts (an entry graph's own key): nothing to cut yet;
            // a key met before in this compilation: its versions close the loop here.
            return Ok(None);
        }
        if self.join_loop_entry(st, cur, key, reds)? {
            return Ok(Some(()));
        }
        let (table, _) = entries;
        let at_split = table.borrow().is_split(key);
        if at_split && self.accepted_by_entry(st, key, reds) {
            // Entry graphs start from the interpreter's heap.
            self.forget_heap(st, cur)?;
            self.enter(st, cur, key.clone(), positions, reds, entries)?;
            return Ok(Some(()));
        }
        if !at_split && self.split_work() < self.budgets.split_ops {
            return Ok(None);
        }
        self.stats.splits += 1;
        let value = Value::Const(Const::Int(SPLIT_VALUE));
        self.promote(st, cur, value, Promoted::Split, Span::UNKNOWN)?;
        Ok(Some(()))
    }

    /// The work of this compilation so far, in residual ops: the ops emitted and a quarter of
    /// the merge versions made (code whose ops fold — a loop's first iteration on constants
    /// — still costs the engine a version at every merge point, some 7 per instruction of
    /// an interpreter like TLC's).
    fn split_work(&self) -> usize {
        self.stats.residual_ops + self.stats.versions / 4
    }

    /// Whether an entry graph at `key` accepts the state (as [`Compiler::enter`] would find).
    fn accepted_by_entry(&self, st: &JitState, key: &MergeKey, reds: &Frozen) -> bool {
        let Some((table, _)) = self.shared.entries else { return false };
        let accepting =
            table.borrow().accepting(st, key, &reds.boxes, self.budgets.max_versions, false);
        accepting.is_some()
    }
}
