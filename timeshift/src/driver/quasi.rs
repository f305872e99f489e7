//! The driver's side of quasi-immutable fields: what the engine asks of it
//! ([`CompileServices`]: continuations for the validity tests' way out, prebuilt objects'
//! addresses), and keeping invalid code from being entered.
//!
//! Every compiled graph relying on a quasi-immutable field has its token in the driver's
//! state. Portal keys and merge-point keys whose code became invalid are forgotten and count
//! again: they are compiled again when hot. Flexswitch cases and entry graphs, which other
//! compiled code reaches without asking the driver, are compiled again in place (their
//! entry test sends them to the interpreter until then), each a bounded number of times.

use super::{Entry, JitDriver, MergeEntry};
use crate::backend::Backend;
use crate::jitcode::JitCodeIdx;
use crate::rainbow::{CompileServices, GiveUp, Source};
use rpy_ir::ir::{Const, GraphIdx, Var};

impl<B: Backend> JitDriver<'_, B> {
    /// Whether compiled code may be entered: it relies on no quasi-immutable field written
    /// since it was compiled.
    pub(super) fn still_valid(&self, code: &B::Code) -> bool {
        let graph = self.backend.graph_of(code);
        let token = self.state.borrow().tokens.get(&graph).map(|t| t.0);
        token.is_none_or(rpy_ir::runtime::quasi::is_valid)
    }

    /// After writes to quasi-immutable fields: compiles again, in place, the flexswitch cases
    /// and entry graphs that relied on them (other compiled code reaches them without asking
    /// the driver; until then their entry test sends it to the interpreter), each at most
    /// [`crate::Budgets::max_recompiles`] times. Portal keys and merge points are compiled
    /// again when hot ([`JitDriver::drop_invalid`]).
    pub(super) fn refresh_invalidated(&self) {
        let now = rpy_ir::runtime::quasi::invalidations();
        let invalid: Vec<(GraphIdx, B::Code)> = {
            let mut st = self.state.borrow_mut();
            if st.invalidations_seen == now {
                return;
            }
            st.invalidations_seen = now;
            st.tokens
                .iter()
                .filter(|(_, (t, _))| !rpy_ir::runtime::quasi::is_valid(*t))
                .map(|(g, (_, c))| (*g, c.clone()))
                .collect()
        };
        for (graph, code) in invalid {
            let again = {
                let mut st = self.state.borrow_mut();
                // Code the driver enters itself (a hot merge point's) is compiled again when
                // hot, like a portal key's.
                let merge_entry = st.merges.values().any(
                    |e| matches!(e, MergeEntry::Compiled(c) if self.backend.graph_of(c) == graph),
                );
                let in_place = !merge_entry
                    && matches!(
                        st.sources.get(&graph),
                        Some((Source::Case(..) | Source::Entry(..), _))
                    );
                let n = st.requickened.entry(graph).or_insert(0);
                *n += 1;
                in_place && *n <= self.config.budgets.max_recompiles
            };
            if again {
                self.compile_again(&code, "again: a quasi-immutable field it relied on changed");
            }
        }
    }

    /// Forgets the compiled code of portal key `key` if a quasi-immutable field it relied on
    /// was written: the key counts its calls again and is compiled again when hot.
    pub(super) fn drop_invalid(&self, key: &[Option<Const>]) {
        let code = match self.state.borrow().cache.get(key) {
            Some(Entry::Compiled(code)) => code.clone(),
            _ => return,
        };
        if !self.still_valid(&code) {
            let mut st = self.state.borrow_mut();
            st.cache.remove(key);
            st.portal_calls.insert(key.to_vec(), 0);
        }
    }
}

impl<B: Backend> CompileServices for JitDriver<'_, B> {
    fn continuation(&self, code: JitCodeIdx, pc: usize) -> Result<(GraphIdx, Vec<Var>), GiveUp> {
        JitDriver::continuation(self, code, pc)
    }

    fn prebuilt_address(&self, p: rpy_ir::ir::PrebuiltIdx) -> Option<u64> {
        self.backend.prebuilt_address(p)
    }

    fn merge_point(&self) -> Option<&crate::tiering::MergePoint> {
        self.merge_point.as_ref()
    }

    fn compiled_at_merge_point(&self, greens: &[Const]) -> Option<GraphIdx> {
        let code = match self.state.try_borrow().ok()?.merges.get(greens)? {
            MergeEntry::Compiled(code) => code.clone(),
            _ => return None,
        };
        self.still_valid(&code).then(|| self.backend.graph_of(&code))
    }

    fn keep_alive(&self, addr: u64) -> bool {
        let Ok(mut st) = self.state.try_borrow_mut() else { return false };
        if st.kept.insert(addr) {
            st.roots.push(addr);
        }
        true
    }
}
