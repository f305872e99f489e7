//! The program the backend compiles from: residual graphs added and replaced (verified
//! first), the flexswitches their `jit_hook`s stand for, cases waiting for code.

use super::{Hooked, Inner, Jit};
use rpy_ir::ir::{Aux, Graph, GraphIdx, Program};
use rpy_ir::ops::Opcode;
use rpy_ir::types::Sig;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use timeshift::backend::SwitchCase;
use timeshift::BackendError;

impl Jit {
    /// Adds a residual graph; it gets code at the next flush.
    pub(super) fn compile(&self, graph: Graph) -> Result<GraphIdx, BackendError> {
        let g = self.update_program(|p| p.add_graph(graph))?;
        self.inner.borrow_mut().pending.graphs.push(g);
        Ok(g)
    }

    /// Installs `case` for `value` at flexswitch `hook` once the case has code.
    pub(super) fn add_case(&self, case: SwitchCase<'_, GraphIdx>) -> Result<(), BackendError> {
        let SwitchCase { hook, value, code: case, .. } = case;
        let mut inner = self.inner.borrow_mut();
        if !inner.switches.contains_key(&hook) {
            // The owner may be waiting for its compilation (a case predicted before it ran).
            let program = Rc::clone(&inner.program);
            for g in inner.pending.graphs.clone() {
                self.create_switches(&mut inner, &program.graphs[g])?;
            }
        }
        if !inner.switches.contains_key(&hook) {
            return Err(BackendError::NoSwitch { hook, graph: None });
        }
        // Installed once the case has code (the next flush).
        inner.pending.cases.push((hook, value, *case));
        Ok(())
    }

    /// Replaces graph `code` by a new version (compiled now, or when hot: see the body).
    pub(super) fn replace(&self, code: &GraphIdx, graph: Graph) -> Result<(), BackendError> {
        let g = *code;
        let old = self.inner.borrow().program.graphs[g].clone();
        if let Err(e) = self.update_program(|p| {
            p.types.sig(graph.params.clone(), graph.ret);
            p.graphs[g] = graph;
            g
        }) {
            Rc::make_mut(&mut self.inner.borrow_mut().program).graphs[g] = old;
            return Err(e);
        }
        // The old version's code may still run (or fail): its failure sites move to a copy
        // of the old graph.
        let archived = self.update_program(|p| {
            let mut old = old;
            old.name = format!("{}.old{}", old.name, p.graphs.len());
            p.add_graph(old)
        })?;
        self.inner.borrow_mut().sites.move_graph(g, archived);
        let mut inner = self.inner.borrow_mut();
        // First-tier code already there stays until the graph is hot: the new version (a
        // flexswitch's owner with the cases met inline) computes what the old one does through
        // its switch, and only pays for its compilation where it runs long (the hot tier's
        // recompilation takes the graph as it is then).
        let has_code = inner.code.slots.get(&g).is_some_and(|s| s.load(Ordering::Acquire) != 0);
        let deferred = has_code && self.options.hot.is_some() && !inner.tiers.hot.contains(&g);
        if !deferred && !inner.pending.graphs.contains(&g) {
            inner.pending.graphs.push(g);
        }
        Ok(())
    }

    /// The program now (interpreter and residual graphs).
    pub(super) fn program(&self) -> Rc<Program> {
        Rc::clone(&self.inner.borrow().program)
    }

    /// Changes the program in place (cloned only if someone still holds a snapshot from
    /// [`Backend::program`]) and verifies graph `f` returns. A graph that fails verification
    /// stays in the program but is never compiled (a bug of the engine that made it).
    pub(super) fn update_program(
        &self,
        f: impl FnOnce(&mut Program) -> GraphIdx,
    ) -> Result<GraphIdx, BackendError> {
        let mut inner = self.inner.borrow_mut();
        let p = Rc::make_mut(&mut inner.program);
        let g = f(p);
        BackendError::check(&p.graphs[g].name, rpy_ir::verify::verify_graph(p, g))?;
        Ok(g)
    }

    /// Creates the flexswitches of `graph`'s `jit_hook`s that have none yet.
    pub(super) fn create_switches(
        &self,
        inner: &mut Inner,
        graph: &Graph,
    ) -> Result<(), BackendError> {
        for op in graph.ops.values() {
            let (Opcode::JitHook, Aux::Hook(n)) = (op.opcode, &op.aux) else { continue };
            if inner.switches.contains_key(n) {
                continue;
            }
            let program = Rc::clone(&inner.program);
            let ty = |v: &rpy_ir::ir::Value| graph.value_ty(*v, &program);
            let (value, live) = op.args.split_first().ok_or_else(|| BackendError::CodeGen {
                stage: "flexswitch sites".into(),
                message: format!("jit_hook #{n} of {} without a value", graph.name),
            })?;
            let sig = Sig { params: live.iter().map(ty).collect(), ret: graph.ret };
            let id = self.flex.create(sig, *n as u64);
            inner.switches.insert(*n, Hooked { id, value_ty: ty(value) });
        }
        Ok(())
    }
}
