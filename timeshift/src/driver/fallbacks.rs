//! The driver's fallbacks and continuations: the code a flexswitch falls back to for values
//! it has no case for, and the continuation graphs (the rest of an interpreter graph from one
//! position, compiled once per graph, position and resumability) that fallbacks end in.

use super::JitDriver;
use crate::backend::Backend;
use crate::fallback::{self, Position};
use crate::jitcode::JitCodeIdx;
use crate::rainbow::{Compiler, GiveUp, Shared, Snapshot};
use rpy_ir::ir::{Const, GraphIdx, Var};

impl<B: Backend> JitDriver<'_, B> {
    /// Compiles and installs the fallback of a flexswitch (see [`Compiler::fallback`]), for
    /// `value` or (`None`) for any value, logging `why`.
    pub(super) fn fallback(
        &self,
        snapshot: &Snapshot,
        value: Option<Const>,
        name: &str,
        why: &str,
    ) -> Result<B::Code, GiveUp> {
        // The portal frame's continuation asks at the merge point (`crate::resume`); an
        // inlined guest call's portal frame's is cut there too (`rainbow::portal_inline`).
        let portal = self.written_codes()?.portal;
        let conts = snapshot
            .state
            .frames
            .iter()
            .enumerate()
            .map(|(i, f)| self.continuation_at(f.code, f.pc, i == 0 || f.code == portal))
            .collect::<Result<Vec<_>, _>>()?;
        let shared = Shared { hooks: &self.engine.hooks, entries: None, known: None };
        let result = self
            .engine_for(shared)
            .and_then(|engine| Compiler::fallback(engine, snapshot, value, &conts, name));
        self.install(result, format!("{name} (fallback to the interpreter: {why})"))
    }

    /// The continuation of a JitCode's graph at instruction `pc`, compiled once (a quasi-
    /// immutable check's fallback, frame by frame). The portal's is cut at the merge point like
    /// a flexswitch fallback's (frame 0's, or an inlined guest call's: `rainbow::portal_inline`).
    /// (Uncut, each position where a check fails made its own copy of the whole interpreter
    /// loop: mini-Python's ~1 300 ops, a few hundred milliseconds of LLVM each, compiled with
    /// the first graph that needs it.)
    pub(super) fn continuation(
        &self,
        code: JitCodeIdx,
        pc: usize,
    ) -> Result<(GraphIdx, Vec<Var>), GiveUp> {
        let portal = self.written_codes()?.portal;
        self.continuation_at(code, pc, code == portal)
    }

    /// The continuation of a JitCode's graph at instruction `pc`, compiled once; resumable
    /// ([`crate::resume`]) if `outer` (the snapshot's portal frame) and the graph is the
    /// portal's with a global merge point.
    pub(super) fn continuation_at(
        &self,
        code: JitCodeIdx,
        pc: usize,
        outer: bool,
    ) -> Result<(GraphIdx, Vec<Var>), GiveUp> {
        let jc = &self.written_codes()?.codes[code];
        let g = &self.program().graphs[jc.graph];
        let at = fallback::position(jc, g, pc)
            .ok_or_else(|| GiveUp::Unsupported(format!("no graph position at {code}:{pc}")))?;
        self.continuation_in(jc.graph, at, outer)
    }

    /// The continuation of interpreter graph `graph` at `at`, compiled once; resumable as
    /// [`JitDriver::continuation_at`] says.
    pub(super) fn continuation_in(
        &self,
        graph: GraphIdx,
        at: Position,
        outer: bool,
    ) -> Result<(GraphIdx, Vec<Var>), GiveUp> {
        let g = &self.program().graphs[graph];
        let mp = self.merge_point.as_ref().filter(|mp| outer && mp.graph == graph);
        let cache_key = (graph, at, mp.is_some());
        if let Some((_, graph, inputs)) = self.state.borrow().continuations.get(&cache_key) {
            return Ok((*graph, inputs.clone()));
        }
        let (graph, inputs) = match mp {
            Some(mp) => self.portal_continuation(g, mp, at)?,
            None => {
                let name = format!("{}__cont_{}_{}", g.name, at.block, at.op);
                fallback::continuation(g, at, &name)
            }
        };
        // The shared continuation translated with the interpreter: called, not compiled.
        let translated = mp
            .filter(|mp| at == Position { block: mp.block, op: 0 })
            .and_then(|mp| self.translated_shared(mp, &inputs));
        if let Some(gi) = translated {
            let continuation = (None, gi, inputs.clone());
            self.state.borrow_mut().continuations.insert(cache_key, continuation);
            return Ok((gi, inputs));
        }
        if self.wants("residual") {
            let mut p = (*self.backend.program()).clone();
            let gi = p.add_graph(graph.clone());
            eprint!("{}", rpy_ir::text::print_graph(&p, gi));
        }
        let compiled = self
            .backend
            .compile(graph)
            .map_err(|e| GiveUp::Unsupported(format!("backend: {e}")))?;
        let gi = self.backend.graph_of(&compiled);
        let continuation = (Some(compiled), gi, inputs.clone());
        self.state.borrow_mut().continuations.insert(cache_key, continuation);
        Ok((gi, inputs))
    }
}
