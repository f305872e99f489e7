//! Joining loop entries: where a compilation stops copying the interpreted program and
//! continues (a tail call) in an entry graph compiled before, so that code reached from many
//! places is compiled once rather than once per place.
//!
//! Vocabulary: an entry graph *loops* when one of its versions at its own merge key is on a
//! cycle of the graph — the code from the key comes back to it without leaving the graph
//! ([`Compiled::loops_at_start`], kept in the [`EntryTable`]). Such an entry is a
//! *loop entry*; continuing in one at its key is *joining* it (PyPy's bridge jumping to the
//! loop's label).
//!
//! The rule: at the global merge point, a compilation that is not a flexswitch case (a case
//! always continues in an entry graph at its first global merge point: `Compiler::enter`),
//! at a key other than its own first one and that it has no versions for yet, joins a loop
//! entry at that key that accepts its state without forcing anything; otherwise it goes on
//! as before (a version of its own, or a split: see `split`).
//!
//! Why: an entry graph starting anywhere in a loop body (the case of a guard that failed
//! there, continued at the next instruction) used to compile the whole loop again, from its
//! key round to its key: a loop with `n` guards that fail in turn (a float loop whose
//! operations bet on ints) made `n` whole copies of it, each one lap from the last. Joining,
//! the entry at a guard's key compiles the rest of the lap only, up to the loop's head, and
//! the loop runs on in the graph that has it. Measured with everything hot compiled
//! (`RPY_JIT_PAYOFF=off`, 7 December 2026; `RPY_JIT_JOINS=0` for the figures before):
//! mandelbrot 100: 43 compilations, 47 300 residual ops, 4.9 s of CPU → 29, 13 700, 2.4 s;
//! nbody 20 000: 82, 205 000, 24 s → 74, 171 000, 20 s; richards 1 `--jit-hot 100`: 614,
//! 131 700, 26.5 s → 609, 116 100, 18.0 s; spectral_norm 100 unchanged (52, 10 100, 2.2 s).
//!
//! Not yet: the entries made for a loop's failed guards still each compile the rest of the
//! lap, and what follows it up to the loop entry's key (an inner loop's exit through its
//! outer loops): a loop entry can only be joined at its own key, and there is one only where
//! a case first reached a global merge point. Entering a loop's graph at any key it has a
//! version for (several entry points per graph) would cut each to the code before the
//! loop's head.
//!
//! Invariants:
//! - a loop that closes in one graph still closes in one graph: a compilation joins only at
//!   a key it has not met (so never cuts a loop it is compiling: the key of a loop of its
//!   own has versions by the time the loop comes back to it), and only an entry in which the
//!   same key heads a closed loop, so the code run from the join goes round that loop inside
//!   the joined graph;
//! - joining changes where code runs, never what it computes: the entry accepts the state as
//!   a merge point's version would (its constants equal, its virtual objects virtual in the
//!   state, nothing forced), and the heap is made up to date first (entry graphs start from
//!   the interpreter's heap);
//! - an entry that does not loop (its code leaves the key's loop through a flexswitch, a
//!   split or a return) is never joined this way: compiling on may still close the loop
//!   here.
//!
//! [`Compiled::loops_at_start`]: super::Compiled::loops_at_start
//! [`EntryTable`]: super::EntryTable

use super::merge_point::MergeKey;
use super::{Compiler, Kind, Step};
use crate::merge::Frozen;
use crate::state::JitState;
use rpy_ir::ir::{Block, Graph};

/// An entry graph's own merge key.
#[derive(Default)]
pub(super) struct Start {
    /// The key of an entry graph's first version (`None` before it, and in other kinds).
    key: Option<MergeKey>,
}

impl<'a> Compiler<'a> {
    /// Notes a new version at `key`: an entry graph's first is at its own key.
    pub(super) fn note_version(&mut self, key: &MergeKey) {
        if self.kind == Kind::Entry && self.stats.versions == 0 {
            self.start.key = Some(key.clone());
        }
    }

    /// Whether a version at the entry graph's own key is on a cycle of the residual graph
    /// (before it is simplified: versions are still the blocks they were made as).
    pub(super) fn loops_at_start(&self) -> bool {
        let Some(key) = &self.start.key else { return false };
        let Some(versions) = self.versions.get(key) else { return false };
        versions.iter().any(|v| on_cycle(&self.out, v.block))
    }

    /// At a global merge point (the innermost frame the portal's) of a compilation that is
    /// not a case, at a key it has no versions for: continues in a loop entry at `key` that
    /// accepts the state unforced (see the module header). `true`: the state is done.
    pub(super) fn join_loop_entry(
        &mut self,
        st: &mut JitState,
        cur: Block,
        key: &MergeKey,
        reds: &Frozen,
    ) -> Step<bool> {
        let Some((table, _)) = self.shared.entries else { return Ok(false) };
        if !self.budgets.join_loop_entries {
            return Ok(false);
        }
        let max = self.budgets.max_versions;
        if table.borrow().accepting(st, key, &reds.boxes, max, true).is_none() {
            return Ok(false);
        }
        // Entry graphs start from the interpreter's heap. (Emitting the delayed stores can
        // force a virtual object the entry wanted virtual: then there is no join, and the
        // compilation goes on from the state, its heap made up to date.)
        self.forget_heap(st, cur)?;
        let Some((shape, graph)) = table.borrow().accepting(st, key, &reds.boxes, max, true) else {
            return Ok(false);
        };
        self.stats.joins += 1;
        self.tail_call_entry(st, cur, &shape, graph, reds)?;
        Ok(true)
    }
}

/// Whether block `b` of `g` reaches itself.
fn on_cycle(g: &Graph, b: Block) -> bool {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stack: Vec<Block> = g.blocks[b].exit.targets().iter().map(|t| t.block).collect();
    while let Some(x) = stack.pop() {
        if x == b {
            return true;
        }
        if seen.insert(x) {
            stack.extend(g.blocks[x].exit.targets().iter().map(|t| t.block));
        }
    }
    false
}
