//! Compiling a graph again in place: a promoted value met at a flexswitch recorded and the
//! owner recompiled with the values met inline (PyPy's switch rewritten on promotion), within
//! the inline-case and recompilation budgets and the payoff model.

use super::{CompileReport, FlexSwitch, JitDriver};
use crate::backend::Backend;
use crate::rainbow::{Compiled, Compiler, GiveUp, Snapshot};
use rpy_ir::ir::Const;

impl<B: Backend> JitDriver<'_, B> {
    /// Records a promoted value met at a site and compiles the graph holding the flexswitch
    /// again with every value met there inline (PyPy's switch "rewritten on promotion"): a loop
    /// through the promotion then closes inside that graph instead of going through the JIT
    /// and a case graph at every turn. Bounded by [`crate::Budgets::max_inline_cases`] values per site;
    /// past it, or if the recompilation gives up, the current code stays. Put off until the
    /// owner is hot if the backend asks ([`Backend::inlines_when_hot`]).
    pub(super) fn inline_case(&self, snapshot: &Snapshot, value: Const, owner: &B::Code) {
        {
            let mut known = self.engine.known.borrow_mut();
            let values = known.entry(snapshot.site.clone()).or_default();
            // Known already (met through another graph's switch at the same site): the owner
            // missed it, so it still needs the recompilation.
            if !values.contains(&value) {
                if values.len() >= self.config.budgets.max_inline_cases {
                    return;
                }
                values.push(value);
            }
        }
        if self.backend.inlines_when_hot() {
            self.state.borrow_mut().stale.insert(self.backend.graph_of(owner));
            return;
        }
        let graph = self.backend.graph_of(owner);
        if !self.state.borrow_mut().work.may_recompile(graph, &self.config.budgets) {
            // The cases stay reachable through the switch's hook.
            return;
        }
        self.inline_cases(owner);
    }

    /// Compiles `owner`'s graph again with every value met at its promotion sites inline.
    pub(super) fn inline_cases(&self, owner: &B::Code) -> bool {
        self.compile_again(owner, "again, with the cases met inline")
    }

    /// Compiles `owner`'s graph again from its source (with every value met at its promotion
    /// sites inline), replacing its code in place. Whether it was replaced. Deferred by the
    /// payoff model, the graph stays stale (compiled again when asked later).
    pub(super) fn compile_again(&self, owner: &B::Code, why: &str) -> bool {
        let graph = self.backend.graph_of(owner);
        if self.program_budget_spent() {
            return false;
        }
        if self.defer("a recompilation", &graph) {
            self.state.borrow_mut().stale.insert(graph);
            return false;
        }
        let Some((source, name)) = self.state.borrow().sources.get(&graph).cloned() else {
            return false;
        };
        let install = |c: Compiled| self.install_entry(c);
        let shared = self.engine.lend(&install);
        let result =
            self.engine_for(shared).and_then(|engine| Compiler::recompile(engine, &source, &name));
        let what = format!("{name} {why}");
        let Ok(compiled) = result else {
            if let Err(g) = result {
                self.log_give_up(&what, &g);
            }
            return false;
        };
        let (stats, snapshots) = (compiled.stats, compiled.snapshots);
        // An entry graph compiled again may now close a loop at its key, or no longer.
        self.engine.entries.borrow_mut().set_loops(graph, compiled.loops_at_start);
        if self.wants("residual") {
            let mut p = (*self.backend.program()).clone();
            p.graphs[graph] = compiled.graph.clone();
            eprint!("{}", rpy_ir::text::print_graph(&p, graph));
        }
        if let Err(e) = self.backend.replace(owner, compiled.graph) {
            self.log_give_up(&what, &GiveUp::Unsupported(format!("backend: {e}")));
            return false;
        }
        let mut st = self.state.borrow_mut();
        match compiled.token {
            Some(t) => st.tokens.insert(graph, (t, owner.clone())),
            None => st.tokens.remove(&graph),
        };
        let n = snapshots.len();
        for s in snapshots {
            st.switches.insert(s.id, FlexSwitch::new(s, owner.clone()));
        }
        if self.wants("summary") {
            eprintln!(
                "jit: {what}: residual ops {}, virtuals forced {}, versions {}, flexswitches {n}",
                stats.residual_ops, stats.virtuals_forced, stats.versions
            );
        }
        st.work.add_ops(stats.residual_ops);
        st.reports.push(CompileReport { what, stats, flexswitches: n, gave_up: None, micros: 0 });
        true
    }
}
