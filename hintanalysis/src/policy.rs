//! What the analysis is told, and what it decides about calls.
//!
//! A [`Policy`] names the portal (the interpreter's dispatch function) and which of its
//! parameters are green (the green key: bytecode, pc, constant pool...). [`CallPolicy`] decides
//! which direct calls the JIT follows into (inlines) and which stay residual calls. A call back
//! into the portal is residual, and so is a call to a `@dont_look_inside` function, whatever
//! its arguments. Recursion is decided per call *edge*, on the strongly connected components
//! (SCCs) of the call graph: a call from a graph of a recursive component to a graph of the
//! *same* component is residual (following it on red arguments would never terminate at
//! compile time), a call *into* a component from outside it is followed. So the JIT enters a
//! recursive component once, at its door, and inside it every call that could come back around
//! is residual: the depth of following is bounded by the depth of the components' DAG. This
//! matters for an object space, which is one large component (a guest `__hash__` or `__eq__`
//! called while hashing, builtins reached through one function-pointer signature, `repr` of
//! containers...): its entry points (`binop`, `compare`, `is_true`) are followed from the
//! dispatch loop and their fast paths fold, their slow paths stay calls. Cycles are looked for
//! in the call graph without the edges into the portal and `@dont_look_inside` graphs: a cycle
//! that passes through a residual call is cut there.
//!
//! Calls through function pointers: the possible targets of a `call_indirect` of signature
//! `S` are the graphs of signature `S` whose address the program takes (a `Const::Func`
//! operand, exit argument or prebuilt field or item). The call graph has an edge to each of
//! them, so a cycle through a function pointer is recursive like any other; a call through a
//! green (constant) pointer is then treated, per target, as a direct call to it.
//!
//! Which graphs may write a quasi-immutable field ([`CallPolicy::may_write_quasi`]): those
//! calling the write hook, those calling them, and (conservatively) those making indirect
//! calls to any of them; a residual call to one is followed by the JIT's validity check.

use rpy_ir::ir::{Aux, Const, Exit, GraphIdx, Prebuilt, Program, Value};
use rpy_ir::ops::Opcode;
use rpy_ir::types::SigIdx;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

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

/// Which calls are residual rather than followed by the JIT, and where function pointers and
/// quasi-immutable writes may lead.
#[derive(Clone, Debug, Default)]
pub struct CallPolicy {
    /// Graphs every call to which is residual: the portal, `@dont_look_inside` graphs.
    always: HashSet<GraphIdx>,
    /// The recursive component of each graph in one (by graph index; `NOT_RECURSIVE` else).
    component: Vec<u32>,
    /// Graphs whose address is taken, by signature, in index order.
    targets: HashMap<SigIdx, Vec<GraphIdx>>,
    /// Graphs that may write a quasi-immutable field (directly or through calls).
    writes_quasi: HashSet<GraphIdx>,
}

impl CallPolicy {
    /// Calls to the portal and to `@dont_look_inside` functions are residual, and so are calls
    /// between two graphs of one recursive component of the call graph (not counting calls to
    /// graphs residual anyway).
    pub fn new(program: &Program, portal: GraphIdx) -> CallPolicy {
        let targets = address_taken(program);
        let callees: Vec<Vec<GraphIdx>> = program
            .graphs
            .values()
            .map(|g| {
                let mut out = Vec::new();
                for op in g.ops.values() {
                    match (&op.opcode, &op.aux) {
                        (Opcode::Call, Aux::Graph(c)) => out.push(*c),
                        (Opcode::CallIndirect, Aux::Sig(sig)) => {
                            out.extend(targets.get(sig).into_iter().flatten())
                        }
                        _ => {}
                    }
                }
                out
            })
            .collect();
        // Calls to the portal and to `@dont_look_inside` graphs are residual whatever the
        // call graph says, so a cycle through one of them is not a cycle the JIT would follow
        // around: their in-edges are cut before the cycles are looked for (an interpreter's
        // object space calling back into the portal for a guest method stays followable).
        let mut always: HashSet<GraphIdx> = HashSet::default();
        always.insert(portal);
        always.extend(program.graphs.iter().filter(|(_, g)| g.flags.dont_look_inside).map(|p| p.0));
        let component = recursive_components(&callees, &always);
        let writes_quasi = quasi_writers(program, &callees);
        CallPolicy { always, component, targets, writes_quasi }
    }

    /// Whether a call from `caller` to `callee` stays a residual call: `callee` is the portal
    /// or `@dont_look_inside`, or both are in one recursive component.
    pub fn is_residual(&self, caller: GraphIdx, callee: GraphIdx) -> bool {
        if self.always.contains(&callee) {
            return true;
        }
        let c = self.component_of(callee);
        c != NOT_RECURSIVE && c == self.component_of(caller)
    }

    fn component_of(&self, g: GraphIdx) -> u32 {
        self.component.get(g.as_u32() as usize).copied().unwrap_or(NOT_RECURSIVE)
    }

    /// The graphs a call through a function pointer of signature `sig` may reach.
    pub fn targets(&self, sig: SigIdx) -> &[GraphIdx] {
        self.targets.get(&sig).map_or(&[], Vec::as_slice)
    }

    /// Whether running `g` may write a quasi-immutable field.
    pub fn may_write_quasi(&self, g: GraphIdx) -> bool {
        self.writes_quasi.contains(&g)
    }
}

/// Graphs whose address the program takes, by signature.
fn address_taken(program: &Program) -> HashMap<SigIdx, Vec<GraphIdx>> {
    let mut taken: HashSet<GraphIdx> = HashSet::default();
    let mut note = |v: &Value| {
        if let Value::Const(Const::Func(g)) = v {
            taken.insert(*g);
        }
    };
    for g in program.graphs.values() {
        for b in g.blocks.values() {
            b.ops.iter().flat_map(|op| &g.ops[*op].args).for_each(&mut note);
            if let Exit::Return(Some(v)) = &b.exit {
                note(v);
            }
            b.exit.targets().iter().flat_map(|t| &t.args).for_each(&mut note);
        }
    }
    for p in program.prebuilt.values() {
        if let Prebuilt::Struct(_, cs) | Prebuilt::Array(_, cs) = p {
            cs.iter().for_each(|c| note(&Value::Const(*c)));
        }
    }
    let mut taken: Vec<GraphIdx> = taken.into_iter().collect();
    taken.sort();
    let mut by_sig: HashMap<SigIdx, Vec<GraphIdx>> = HashMap::default();
    for g in taken {
        by_sig.entry(program.graph_sig(g)).or_default().push(g);
    }
    by_sig
}

/// Graphs that may write a quasi-immutable field: those calling the write hook, and their
/// callers (direct and indirect), to a fixpoint.
fn quasi_writers(program: &Program, callees: &[Vec<GraphIdx>]) -> HashSet<GraphIdx> {
    let hook = rpy_ir::runtime::quasi::WRITE_HOOK;
    // Backwards from the graphs calling the hook, along reversed call edges (one visit per
    // edge: interpreters have hundreds of graphs and indirect calls with many targets).
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); callees.len()];
    for (i, cs) in callees.iter().enumerate() {
        for c in cs {
            callers[c.as_u32() as usize].push(i);
        }
    }
    let mut writes = vec![false; callees.len()];
    let mut work: Vec<usize> = program
        .graphs
        .iter()
        .filter(|(_, g)| g.ops.values().any(|op| matches!(&op.aux, Aux::Extern(n) if n == hook)))
        .map(|(i, _)| i.as_u32() as usize)
        .collect();
    for &g in &work {
        writes[g] = true;
    }
    while let Some(g) = work.pop() {
        for &caller in &callers[g] {
            if !writes[caller] {
                writes[caller] = true;
                work.push(caller);
            }
        }
    }
    (0..callees.len()).filter(|&i| writes[i]).map(|i| GraphIdx::from_u32(i as u32)).collect()
}

/// The component of a graph in no cycle.
const NOT_RECURSIVE: u32 = u32::MAX;

/// The recursive component of each graph (by index; [`NOT_RECURSIVE`] for a graph in no cycle)
/// once the edges into `always` (the portal, `@dont_look_inside` graphs) are cut.
fn recursive_components(callees: &[Vec<GraphIdx>], always: &HashSet<GraphIdx>) -> Vec<u32> {
    let followable: Vec<Vec<GraphIdx>> = callees
        .iter()
        .map(|cs| cs.iter().copied().filter(|c| !always.contains(c)).collect())
        .collect();
    let mut component = vec![NOT_RECURSIVE; callees.len()];
    for (i, scc) in recursive_graphs(&followable).into_iter().enumerate() {
        for g in scc {
            component[g.as_u32() as usize] = i as u32;
        }
    }
    component
}

/// The recursive components of the call graph: its strongly connected components of more than
/// one graph or with a self-call (Tarjan's, iteratively: interpreters have deep call graphs),
/// each sorted, in order of their smallest graph.
fn recursive_graphs(callees: &[Vec<GraphIdx>]) -> Vec<Vec<GraphIdx>> {
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
                    let mut scc: Vec<GraphIdx> =
                        scc.into_iter().map(|g| GraphIdx::from_u32(g as u32)).collect();
                    scc.sort();
                    out.push(scc);
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
        assert_eq!(recursive_graphs(&callees), vec![vec![g(1), g(2)], vec![g(3)]]);
    }

    #[test]
    fn cycles_through_residual_graphs_are_cut() {
        // The portal 0 calls 1 (an object space), which calls 2 (a helper) and back into the
        // portal, and 3 (@dont_look_inside) that calls 1 again; 4 -> 4 stays recursive.
        let callees = vec![vec![g(1)], vec![g(2), g(0), g(3)], vec![], vec![g(1)], vec![g(4)]];
        let always: HashSet<GraphIdx> = [g(0), g(3)].into_iter().collect();
        let component = recursive_components(&callees, &always);
        assert_eq!(component, vec![NOT_RECURSIVE, NOT_RECURSIVE, NOT_RECURSIVE, NOT_RECURSIVE, 0]);
    }

    #[test]
    fn a_component_is_entered_once_from_outside() {
        // 0 (outside) calls 1; 1 <-> 2 form a component; 2 calls 3 (outside, below).
        let callees = vec![vec![g(1)], vec![g(2)], vec![g(1), g(3)], vec![]];
        let policy = CallPolicy {
            always: HashSet::default(),
            component: recursive_components(&callees, &HashSet::default()),
            targets: HashMap::default(),
            writes_quasi: HashSet::default(),
        };
        assert!(!policy.is_residual(g(0), g(1)), "the door is followed");
        assert!(policy.is_residual(g(1), g(2)), "inside, around the cycle is residual");
        assert!(policy.is_residual(g(2), g(1)));
        assert!(!policy.is_residual(g(2), g(3)), "out of the component, below it, is followed");
    }
}
