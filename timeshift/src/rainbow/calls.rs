//! TODO

use super::merge_point::MergeKey;
use super::{Budgets, Compiled, Compiler, Install, Kind, Shared, Source, Step};
use crate::jitcode::JitCodes;
use crate::merge::{self, Shape};
use crate::state::{JitState, RedBox};
use rpy_ir::ir::{Aux, Block, Exit, Graph, GraphIdx, Program, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;
use std::collections::HashMap;

impl<'a> Compiler<'a> {
    /// In a flexswitch case at the global merge point: ends this graph with a tail call of the
    /// entry graph for this state, compiling and installing one if none accepts it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn enter(
        &mut self,
        st: &mut JitState,
        cur: Block,
        key: MergeKey,
        positions: &[(usize, Var)],
        boxes: &[Option<RedBox>],
        tys: &[Ty],
        table: &std::cell::RefCell<EntryTable>,
        install: Install<'a>,
    ) -> Step<()> {
        let found = table.borrow().map.get(&key).and_then(|vs| {
            let general = vs.len() >= self.budgets.max_versions;
            let accepting = |forcing: bool| {
                vs.iter().find(|(shape, _)| merge::matches(st, shape, boxes, forcing))
            };
            accepting(false)
                .or_else(|| if general { accepting(true) } else { None })
                .map(|(s, g)| (s.clone(), *g))
        });
        let (shape, graph) = match found {
            Some(f) => f,
            None => {
                let existing: Vec<Vec<Shape>> = table
                    .borrow()
                    .map
                    .get(&key)
                    .map_or(Vec::new(), |vs| vs.iter().map(|(s, _)| s.clone()).collect());
                let refs: Vec<&[Shape]> = existing.iter().map(|s| s.as_slice()).collect();
                let general = existing.len() >= self.budgets.max_versions;
                let shape =
                    merge::generalise(st, &self.program.types, boxes, tys, &refs, general, false);
                let compiled = self.compile_entry(st, positions, &shape)?;
                let graph = install(compiled)?;
                table.borrow_mut().map.entry(key).or_default().push((shape.clone(), graph));
                (shape, graph)
            }
        };
        let args = self.shape_args(st, cur, &shape, boxes);
        let ret = self.out.ret;
        let r = self.emit(cur, Opcode::Call, args, Aux::Graph(graph), ret, Span::UNKNOWN)?;
        self.out.blocks[cur].exit = Exit::Return(r.map(Value::Var));
        Ok(())
    }

    /// Compiles an entry graph: from this state at the global merge point, generalised to
    /// `shape`, as a graph taking the shape's variables.
    pub(super) fn compile_entry(
        &self,
        st: &JitState,
        positions: &[(usize, Var)],
        shape: &[Shape],
    ) -> Step<Compiled> {
        let portal = &self.program.graphs[self.codes.codes[self.codes.portal].graph];
        // Entry graphs are named after the flexswitch numbering, bumped so names stay unique.
        let n = self.shared.hooks.get();
        self.shared.hooks.set(n + 1);
        let name = format!("{}__entry{n}", portal.name);
        Compiler::entry(
            self.program,
            self.codes,
            st,
            positions,
            shape,
            self.budgets,
            &name,
            self.shared,
        )
    }

    /// Compiles an entry graph from a state at the global merge point (positioned after the
    /// merge instruction), generalised to `shape`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn entry(
        program: &'a Program,
        codes: &'a JitCodes,
        st: &JitState,
        positions: &[(usize, Var)],
        shape: &[Shape],
        budgets: Budgets,
        name: &str,
        shared: Shared<'a>,
    ) -> Step<Compiled> {
        let mut ptys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut ptys));
        let portal = &program.graphs[codes.codes[codes.portal].graph];
        let mut c = Compiler::new(
            program,
            codes,
            Graph::new(name, ptys, portal.ret, portal.span),
            budgets,
            shared,
            Kind::Entry,
        );
        c.source = Some(Source::Entry(Box::new(st.clone()), positions.to_vec(), shape.to_vec()));
        let entry = c.out.entry;
        let mut st = st.clone();
        let params = c.out.blocks[entry].params.clone();
        merge::rebuild_state(&mut st, positions, shape, params);
        // Start at the merge point itself: its first version is this state.
        st.top().pc -= 1;
        c.pending.push((st, entry));
        c.finish()
    }
}

/// Entry graphs at the global merge point: residual graphs starting at the top of the
/// dispatch loop in a given state, which flexswitch cases call (in tail position) to continue
/// in compiled code instead of compiling the rest of the program again.
#[derive(Default)]
pub struct EntryTable {
    map: HashMap<MergeKey, Vec<(Vec<Shape>, GraphIdx)>>,
}

impl EntryTable {
    /// Number of entry graphs.
    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
