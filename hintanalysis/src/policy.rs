//! What the analysis is told, and what it decides about calls.
//!
//! A [`Policy`] names the portal (the interpreter's dispatch function) and which of its
//! parameters are green (the green key: bytecode, pc, constant pool...). [`CallPolicy`] decides
//! which direct calls the JIT follows into (inlines) and which stay residual calls: a call into
//! a recursive cycle of the call graph, or back into the portal, is residual, because following
//! it on red arguments would never terminate at compile time.

use rpy_ir::ir::{Aux, GraphIdx, Program};
use rpy_ir::ops::Opcode;
use std::collections::HashSet;

/// The portal and its green parameters.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The interpreter's main dispatch function.
    pub portal: GraphIdx,
    /// One flag per portal parameter: whether it is green.
    pub greens: Vec<bool>,
}

impl Policy {
    /// The policy for portal `portal` with the parameters named in `greens` green.
    pub fn new(program: &Program, portal: &str, greens: &[&str]) -> Result<Policy, String> {
        let g = program
            .graph_by_name(portal)
            .ok_or_else(|| format!("no function '{portal}' in the program"))?;
        let graph = &program.graphs[g];
        let names: Vec<Option<String>> =
            graph.param_vars().iter().map(|v| graph.vars[*v].name.clone()).collect();
        let mut flags = vec![false; names.len()];
        for name in greens {
            let i = names
                .iter()
                .position(|n| n.as_deref() == Some(*name))
                .ok_or_else(|| format!("the portal '{portal}' has no parameter '{name}'"))?;
            flags[i] = true;
        }
        Ok(Policy { portal: g, greens: flags })
    }
}

/// Which direct calls are residual rather than followed by the JIT.
#[derive(Clone, Debug, Default)]
pub struct CallPolicy {
    residual: HashSet<GraphIdx>,
}

impl CallPolicy {
    /// Graphs in a recursive cycle of the call graph, and the portal, are called residually.
    pub fn new(program: &Program, portal: GraphIdx) -> CallPolicy {
        let callees: Vec<Vec<GraphIdx>> = program
            .graphs
            .values()
            .map(|g| {
                g.ops
                    .values()
                    .filter_map(|op| match (&op.opcode, &op.aux) {
                        (Opcode::Call, Aux::Graph(c)) => Some(*c),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut residual: HashSet<GraphIdx> = recursive_graphs(&callees).into_iter().collect();
        residual.insert(portal);
        CallPolicy { residual }
    }

    /// Whether a call to `g` stays a residual call.
    pub fn is_residual(&self, g: GraphIdx) -> bool {
        self.residual.contains(&g)
    }
}

/// Graphs that can reach themselves in the call graph (Tarjan's strongly connected
/// components, iteratively: interpreters have deep call graphs).
fn recursive_graphs(callees: &[Vec<GraphIdx>]) -> Vec<GraphIdx> {
    let n = callees.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if let Some(w) = callees[v].get(*i).map(|g| g.as_u32() as usize) {
                *i += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut scc = Vec::new();
                loop {
                    let w = stack.pop().unwrap();
                    on_stack[w] = false;
                    scc.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = callees[v].iter().any(|g| g.as_u32() as usize == v);
                if scc.len() > 1 || self_loop {
                    out.extend(scc.into_iter().map(|g| GraphIdx::from_u32(g as u32)));
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(i: u32) -> GraphIdx {
        GraphIdx::from_u32(i)
    }

    #[test]
    fn finds_cycles_and_self_loops() {
        // 0 -> 1 -> 2 -> 1, 3 -> 3, 4 -> 0
        let callees = vec![vec![g(1)], vec![g(2)], vec![g(1)], vec![g(3)], vec![g(0)]];
        assert_eq!(recursive_graphs(&callees), vec![g(1), g(2), g(3)]);
    }
}
