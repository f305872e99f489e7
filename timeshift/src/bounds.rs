//! The compile work a run may spend, beyond each compilation's own [`Budgets`]: what each
//! promotion site has met (which values get a case of their own) and the residual ops of the
//! whole run. The JIT driver asks here before compiling a case, a key or a merge point, and
//! logs what is refused.
//!
//! Invariants: a value that has a case at its site keeps it (a graph compiled again has new
//! flexswitches for the same site); the memory of values met is bounded ([`SITE_MEMORY`]);
//! past [`Budgets::max_program_ops`] nothing new is compiled.

use crate::rainbow::{Budgets, SiteKey};
use rpy_ir::ir::GraphIdx;
use std::collections::{HashMap, HashSet};

/// Values without a case a promotion site remembers.
const SITE_MEMORY: usize = 4096;

/// Cases of one promotion site that give up before it takes no more.
pub const SITE_GIVE_UPS: usize = 2;

/// What one promotion site has met. A site gives its first
/// [`Budgets::max_unrepeated_cases`] values a case each at once; past them, only a value met
/// before (a value that repeats) gets one, up to [`Budgets::max_cases`]: values that never
/// repeat (a depth that grows, an object allocated every iteration) go on through the switch's
/// generic fallback instead of costing a compilation each. A site whose cases gave up
/// [`SITE_GIVE_UPS`] times takes no more.
#[derive(Default)]
struct SiteRecord {
    /// Values given a case (or a fallback of their own).
    cases: HashSet<i64>,
    /// Values met without a case, kept to tell a value that repeats (at most
    /// [`SITE_MEMORY`] of them).
    met: HashSet<i64>,
    /// Cases that gave up.
    gave_up: usize,
}

/// The compile work of one run (one JIT driver).
#[derive(Default)]
pub struct CompileWork {
    /// What each promotion site has met, over all its flexswitches.
    sites: HashMap<SiteKey, SiteRecord>,
    /// Residual ops compiled in this run (by the compilations that succeeded: one that gives
    /// up is bounded by its own budgets, and its key or site by the give-up rules).
    ops: usize,
    /// Whether [`CompileWork::spent`] has said so already.
    exhausted: bool,
    /// Times each graph was compiled again with its cases inline.
    recompiles: HashMap<GraphIdx, usize>,
}

/// Whether the run's compile budget is spent, and whether this is the first time it is said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spent {
    /// Not spent.
    No,
    /// Spent, first said now (the caller logs it).
    Now,
    /// Spent, said before.
    Yes,
}

impl CompileWork {
    /// Counts `ops` residual ops compiled.
    pub fn add_ops(&mut self, ops: usize) {
        self.ops += ops;
    }

    /// Residual ops compiled so far.
    pub fn ops(&self) -> usize {
        self.ops
    }

    /// Whether this run has compiled [`Budgets::max_program_ops`] residual ops: from then on
    /// no new key, merge point or case is compiled, nor a graph again with its cases inline.
    pub fn spent(&mut self, budgets: &Budgets) -> Spent {
        if self.ops < budgets.max_program_ops {
            Spent::No
        } else if std::mem::replace(&mut self.exhausted, true) {
            Spent::Yes
        } else {
            Spent::Now
        }
    }

    /// Whether value `key`, met at promotion site `site` with no case in the switch that met
    /// it, goes on through the switch's generic fallback instead of getting a case: the
    /// value has no case at this site (another switch of the site may have given it one) and
    /// either [`SITE_GIVE_UPS`] of the site's cases gave up, or it has
    /// [`Budgets::max_cases`] cases, or it has given its [`Budgets::max_unrepeated_cases`]
    /// values a case at first sight and has not met this one before. Remembers the value if
    /// `remember`.
    pub fn no_case(&mut self, site: &SiteKey, key: i64, remember: bool, budgets: &Budgets) -> bool {
        if !self.sites.contains_key(site) {
            self.sites.insert(site.clone(), SiteRecord::default());
        }
        let rec = self.sites.get_mut(site).expect("inserted above");
        if rec.cases.contains(&key) {
            return false;
        }
        let n = rec.cases.len();
        if rec.gave_up >= SITE_GIVE_UPS || n >= budgets.max_cases {
            return true;
        }
        if n < budgets.max_unrepeated_cases || rec.met.contains(&key) {
            return false;
        }
        if remember && rec.met.len() < SITE_MEMORY {
            rec.met.insert(key);
        }
        true
    }

    /// Whether `graph` may be compiled again with its cases inline (counting it): at most
    /// [`Budgets::max_recompiles`] times, since each time costs as much as the graph and its
    /// cases, which grow with every recompilation.
    pub fn may_recompile(&mut self, graph: GraphIdx, budgets: &Budgets) -> bool {
        let n = self.recompiles.entry(graph).or_default();
        *n += 1;
        *n <= budgets.max_recompiles
    }

    /// Records that value `key` got a case (or a fallback of its own) at `site`.
    pub fn case_made(&mut self, site: &SiteKey, key: i64) {
        let rec = self.sites.entry(site.clone()).or_default();
        rec.cases.insert(key);
        rec.met.remove(&key);
    }

    /// Counts a case of `site` that gave up; returns how many have.
    pub fn case_gave_up(&mut self, site: &SiteKey) -> usize {
        let rec = self.sites.entry(site.clone()).or_default();
        rec.gave_up += 1;
        rec.gave_up
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rpy_ir::ir::Var;

    fn site() -> SiteKey {
        (Vec::new(), Var::from_u32(0), Vec::new())
    }

    #[test]
    fn values_past_the_first_get_a_case_when_they_repeat() {
        let budgets = Budgets { max_unrepeated_cases: 2, max_cases: 4, ..Budgets::default() };
        let (mut w, s) = (CompileWork::default(), site());
        for k in [1, 2] {
            assert!(!w.no_case(&s, k, true, &budgets));
            w.case_made(&s, k);
        }
        // First sight past the free ones: no case, remembered; asked again without
        // remembering (a backend's first look), still none.
        assert!(w.no_case(&s, 3, false, &budgets));
        assert!(w.no_case(&s, 3, true, &budgets));
        assert!(!w.no_case(&s, 3, true, &budgets));
        w.case_made(&s, 3);
        // A value with a case keeps it, even at the site's limit or once it gave up.
        w.case_made(&s, 4);
        assert!(w.no_case(&s, 5, true, &budgets) && w.no_case(&s, 5, true, &budgets));
        assert!(!w.no_case(&s, 2, true, &budgets));
        assert_eq!((w.case_gave_up(&s), w.case_gave_up(&s)), (1, SITE_GIVE_UPS));
        assert!(!w.no_case(&s, 1, true, &budgets));
    }

    #[test]
    fn a_graph_is_compiled_again_a_bounded_number_of_times() {
        let budgets = Budgets { max_recompiles: 2, ..Budgets::default() };
        let (mut w, g) = (CompileWork::default(), GraphIdx::from_u32(3));
        let allowed: Vec<bool> = (0..4).map(|_| w.may_recompile(g, &budgets)).collect();
        assert_eq!(allowed, [true, true, false, false]);
        assert!(w.may_recompile(GraphIdx::from_u32(4), &budgets));
    }

    #[test]
    fn the_run_budget_is_said_spent_once_then_stays_spent() {
        let budgets = Budgets { max_program_ops: 10, ..Budgets::default() };
        let mut w = CompileWork::default();
        w.add_ops(9);
        assert_eq!(w.spent(&budgets), Spent::No);
        w.add_ops(1);
        assert_eq!((w.spent(&budgets), w.spent(&budgets)), (Spent::Now, Spent::Yes));
    }
}
