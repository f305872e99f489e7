//! The forward analysis: colours of every variable of every specialisation reachable from the
//! portal, given the set of demands found so far ([`Demands`]).
//!
//! A specialisation is a graph together with the abstract values of its arguments; calls the
//! JIT follows ([`CallPolicy`]) are analysed polyvariantly, one specialisation per distinct
//! argument key. Inside a specialisation the analysis iterates to a fixpoint over the blocks in
//! reverse post-order. Rules (DESIGN.md §5):
//! - constants are green; a pure op on green operands is green; other ops are red;
//! - reads through a green pointer to an immutable struct or array, or through a green frozen
//!   pointer with green indexes, are green (and stay frozen), but for quasi-immutable fields
//!   (red: the JIT folds them while recording the dependency); `arraylen` of a green array is
//!   green (lengths never change);
//! - `instanceof`/`typeof` of a pointer whose class is known are green;
//! - hints: `promote` and `likely` give green; `promote_class` makes the class known; `deepfreeze` freezes
//!   a green pointer; `forget`/`variable` give red; `concrete` passes the value through (its
//!   demand is checked afterwards, see [`crate::demand`]);
//! - a followed call's result has the colour of the callee specialisation's return; residual
//!   calls, indirect calls through red pointers and impure externs give red; pure externs on
//!   green operands green; an `@elidable` call on green arguments returning a scalar or a
//!   function pointer is green (the JIT runs it at compile time), else red; a call through a
//!   green function pointer is, for each possible target ([`CallPolicy::targets`]), the
//!   direct call to it, its result the join of theirs;
//! - a parameter of a block with one incoming edge, or to which every edge passes the same
//!   value, has that value's colour; a parameter of a real join (a loop header, or the meeting
//!   point of two paths) is red unless a demand fixed it green. Red is the safe default, as in
//!   PyPy's hint-annotator: a red value that happens to be a compile-time constant is still
//!   folded by the JIT, but a green one becomes part of the state key, so a green loop variable
//!   would make the JIT unroll the loop, and green values differing after a red split would
//!   duplicate everything that follows. Only a `concrete` hint asks for that.

use crate::colour::Abs;
use crate::policy::{CallPolicy, Policy};
use cranelift_entity::{EntitySet, PrimaryMap, SecondaryMap};
use rpy_ir::externs;
use rpy_ir::flow::Flow;
use rpy_ir::ir::{Aux, Block, Exit, Graph, GraphIdx, OpIdx, Program, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::types::HeapType;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;

rpy_ir::entity! {
    /// A specialisation of a graph.
    SpecIdx, "spec"
}

/// How the JIT treats a direct call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// The JIT follows the call into this specialisation of the callee.
    Follow(SpecIdx),
    /// The call stays a call in the residual code.
    Residual,
    /// A call to an `@elidable` function: run at compile time when its arguments are
    /// constants, else one residual call per distinct argument list in a compilation. Its
    /// result is green when every argument is and the result is a scalar or a function
    /// pointer (what a compile-time run can hand over); red otherwise.
    Elidable,
    /// A `call_indirect` through a green function pointer: at compile time the pointer is a
    /// constant, and the call is treated as a direct call to it; what each possible target
    /// gets is in [`Spec::indirect`].
    Indirect,
}

/// One graph analysed for one argument key.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The graph.
    pub graph: GraphIdx,
    /// The abstract values of the arguments (the key).
    pub args: Vec<Abs>,
    /// The abstract value of every variable reached (`None`: in code not reached).
    pub vars: SecondaryMap<Var, Option<Abs>>,
    /// The abstract value returned: the returned value's if there is one, else (several
    /// values returned) red unless a demand made the graph yellow — PyPy's word for a graph
    /// whose green result the JIT keeps apart per return path. `None`: never returns a value.
    pub ret: Option<Abs>,
    /// What every direct call op does (and every indirect call through a green pointer:
    /// [`CallKind::Indirect`]).
    pub calls: HashMap<OpIdx, CallKind>,
    /// For each call through a green function pointer: what a call to each possible target
    /// does (never [`CallKind::Indirect`]).
    pub indirect: HashMap<OpIdx, Vec<(GraphIdx, CallKind)>>,
    /// Blocks that are targets of back edges ([`Flow::loop_headers`]).
    pub loop_headers: HashSet<Block>,
    /// Blocks where different values may meet: more than one incoming edge, and parameters
    /// not passed the same value by all of them.
    pub joins: HashSet<Block>,
    /// Blocks reached from the entry.
    pub reached: EntitySet<Block>,
}

impl Spec {
    /// The abstract value of an operand (constants are green; a prebuilt object is a green
    /// pointer whose contents are mutable unless its type is immutable).
    pub fn value(&self, v: Value) -> Abs {
        match v {
            Value::Const(_) => Abs::GREEN,
            Value::Var(x) => self.vars[x].unwrap_or(Abs::RED),
        }
    }

    /// Whether an op runs at compile time: it has a green result, and running it has no effect
    /// the residual code would need (a followed call with a green result may still have
    /// effects inside; those are the callee's red ops).
    pub fn is_green_op(&self, program: &Program, op: OpIdx) -> bool {
        let data = &program.graphs[self.graph].ops[op];
        match data.result {
            Some(r) => self.vars[r].is_some_and(Abs::is_green) && data.opcode != Opcode::Malloc,
            None => false,
        }
    }
}

/// What the checks of [`crate::demand`] have found must be green, beyond the forward rules.
#[derive(Clone, Debug, Default)]
pub struct Demands {
    /// Join parameters that must be green (the JIT unrolls loops over them, and keeps paths
    /// apart where they differ).
    pub join_params: HashSet<(GraphIdx, Var)>,
    /// Graph parameters every caller must pass green, with the source position of the hint
    /// that asks for it.
    pub green_params: HashMap<(GraphIdx, usize), rpy_ir::span::Span>,
    /// Graphs returning several values whose result must nevertheless be green.
    pub yellow: HashSet<GraphIdx>,
}

/// The result of the forward analysis for one set of demands.
pub struct Analysis<'p> {
    /// The program.
    pub program: &'p Program,
    /// The portal and its greens.
    pub policy: &'p Policy,
    /// Which calls are residual.
    pub calls: CallPolicy,
    /// Every specialisation reached from the portal.
    pub specs: PrimaryMap<SpecIdx, Spec>,
    /// The specialisation of the portal.
    pub portal: SpecIdx,
    /// The demands this analysis was run with.
    pub demands: Demands,
    by_key: HashMap<(GraphIdx, Vec<Abs>), SpecIdx>,
    /// The control flow of each graph analysed, computed once for all its specialisations.
    flows: HashMap<GraphIdx, Rc<Flow>>,
}

impl<'p> Analysis<'p> {
    /// Analyses every specialisation reachable from the portal.
    pub fn run(program: &'p Program, policy: &'p Policy, demands: Demands) -> Analysis<'p> {
        let mut a = Analysis {
            program,
            policy,
            calls: CallPolicy::new(program, policy.portal),
            specs: PrimaryMap::new(),
            portal: SpecIdx::from_u32(0),
            by_key: HashMap::default(),
            flows: HashMap::default(),
            demands,
        };
        let args = policy.greens.iter().map(|g| if *g { Abs::GREEN } else { Abs::RED }).collect();
        a.portal = a.spec(policy.portal, args);
        a
    }

    /// The control flow of `graph`, computed on first use.
    fn flow(&mut self, graph: GraphIdx) -> Rc<Flow> {
        let program = self.program;
        self.flows
            .entry(graph)
            .or_insert_with(|| Rc::new(Flow::new(&program.graphs[graph])))
            .clone()
    }

    /// The specialisation of `graph` for `args`, analysing it on first use.
    fn spec(&mut self, graph: GraphIdx, args: Vec<Abs>) -> SpecIdx {
        let key = (graph, args.clone());
        if let Some(&s) = self.by_key.get(&key) {
            return s;
        }
        let g = &self.program.graphs[graph];
        let flow = self.flow(graph);
        let spec = Spec {
            graph,
            args,
            vars: SecondaryMap::new(),
            ret: None,
            calls: HashMap::default(),
            indirect: HashMap::default(),
            loop_headers: flow.loop_headers().into_iter().collect(),
            joins: joins(g),
            reached: EntitySet::new(),
        };
        let s = self.specs.push(spec);
        self.by_key.insert(key, s);
        self.analyse(s);
        s
    }

    fn analyse(&mut self, s: SpecIdx) {
        let graph = self.specs[s].graph;
        let g = &self.program.graphs[graph];
        let flow = self.flow(graph);
        let order = flow.rpo();
        {
            let spec = &mut self.specs[s];
            for (v, a) in g.param_vars().iter().zip(spec.args.clone()) {
                spec.vars[*v] = Some(a);
            }
            spec.reached.insert(g.entry);
        }
        loop {
            let mut changed = false;
            for &b in order {
                if !self.specs[s].reached.contains(b) {
                    continue;
                }
                for &op in &g.blocks[b].ops {
                    let result = self.transfer(s, g, op);
                    if let (Some(r), Some(a)) = (g.ops[op].result, result) {
                        changed |= update(&mut self.specs[s].vars[r], a);
                    }
                }
                changed |= self.flow_exit(s, graph, g, b);
            }
            if !changed {
                break;
            }
        }
        let spec = &mut self.specs[s];
        let mut returned: Vec<Value> = Vec::new();
        for b in order.iter().filter(|b| spec.reached.contains(**b)) {
            if let Exit::Return(Some(v)) = g.blocks[*b].exit {
                if !returned.contains(&v) {
                    returned.push(v);
                }
            }
        }
        spec.ret = match returned.as_slice() {
            [] => None,
            [v] => Some(spec.value(*v)),
            _ if self.demands.yellow.contains(&graph) => {
                returned.iter().map(|v| spec.value(*v)).reduce(Abs::join)
            }
            _ => Some(Abs::RED),
        };
    }

    /// Propagates a block's exit to its targets' parameters and to the return value.
    fn flow_exit(&mut self, s: SpecIdx, graph: GraphIdx, g: &Graph, b: Block) -> bool {
        let spec = &mut self.specs[s];
        let mut changed = false;
        for t in g.blocks[b].exit.targets() {
            let join = spec.joins.contains(&t.block);
            for (p, arg) in g.blocks[t.block].params.iter().zip(&t.args) {
                let a = if join && !self.demands.join_params.contains(&(graph, *p)) {
                    Abs::RED
                } else {
                    spec.value(*arg)
                };
                changed |= update(&mut spec.vars[*p], a);
            }
            changed |= spec.reached.insert(t.block);
        }
        changed
    }

    /// The abstract result of one op.
    fn transfer(&mut self, s: SpecIdx, g: &Graph, op: OpIdx) -> Option<Abs> {
        let data = &g.ops[op];
        let spec = &self.specs[s];
        let arg = |i: usize| spec.value(data.args[i]);
        let types = &self.program.types;
        Some(match (data.opcode, &data.aux) {
            (Opcode::Hint, Aux::Hint(flags)) => {
                if flags.global_merge_point {
                    return None;
                }
                let mut a = arg(0);
                if flags.forget || flags.variable {
                    return Some(Abs::RED);
                }
                if flags.promote || flags.likely {
                    a = Abs::GREEN;
                }
                if flags.promote_class {
                    a.class_known = true;
                }
                if flags.deepfreeze && a.is_green() {
                    a.frozen = true;
                }
                a
            }
            (Opcode::GetField, Aux::Field(st, idx)) => {
                let p = arg(0);
                let immutable = types.field_is_immutable(*st, *idx);
                // A quasi-immutable field is never green, even deep-frozen: the JIT reads it
                // as a constant only while recording that its code relies on it.
                let quasi = types.field_is_quasi_immutable(*st, *idx);
                if p.is_green() && (immutable || p.frozen) && !quasi {
                    Abs { frozen: p.frozen, ..Abs::GREEN }
                } else {
                    Abs::RED
                }
            }
            (Opcode::GetArrayItem, Aux::Array(at)) => {
                let (p, i) = (arg(0), arg(1));
                let immutable = matches!(types.heap(*at), HeapType::Array(a) if a.immutable);
                if p.is_green() && i.is_green() && (immutable || p.frozen) {
                    Abs { frozen: p.frozen, ..Abs::GREEN }
                } else {
                    Abs::RED
                }
            }
            (Opcode::TypeOf | Opcode::InstanceOf, _) => {
                if arg(0).class_known {
                    Abs::GREEN
                } else {
                    Abs::RED
                }
            }
            (Opcode::Cast | Opcode::SameAs, _) => arg(0),
            (Opcode::Malloc | Opcode::MallocArray, _) => Abs::RED,
            (Opcode::Call, Aux::Graph(callee)) => {
                let args: Vec<Abs> = data.args.iter().map(|v| spec.value(*v)).collect();
                let (kind, abs) = self.direct_call(self.specs[s].graph, *callee, args);
                self.specs[s].calls.insert(op, kind);
                abs
            }
            (Opcode::CallIndirect, Aux::Sig(sig)) if arg(0).is_green() => {
                let args: Vec<Abs> = data.args[1..].iter().map(|v| spec.value(*v)).collect();
                let mut kinds = Vec::new();
                let mut abs: Option<Abs> = None;
                for &t in self.calls.targets(*sig).to_vec().iter() {
                    let (kind, a) = self.direct_call(self.specs[s].graph, t, args.clone());
                    kinds.push((t, kind));
                    abs = Some(abs.map_or(a, |x| x.join(a)));
                }
                self.specs[s].calls.insert(op, CallKind::Indirect);
                self.specs[s].indirect.insert(op, kinds);
                abs.unwrap_or(Abs::RED)
            }
            (Opcode::CallIndirect, _) => Abs::RED,
            (Opcode::CallExtern, Aux::Extern(name)) => {
                let pure = externs::lookup(name).is_some_and(|e| e.pure);
                if pure {
                    Abs::all_green(data.args.iter().map(|v| spec.value(*v)))
                } else {
                    Abs::RED
                }
            }
            (opcode, _) if opcode.is_pure() => {
                Abs::all_green(data.args.iter().map(|v| spec.value(*v)))
            }
            _ => return None,
        })
    }
}

impl Analysis<'_> {
    /// What a call from `caller` to `callee` with arguments `args` does, and its result.
    fn direct_call(
        &mut self,
        caller: GraphIdx,
        callee: GraphIdx,
        args: Vec<Abs>,
    ) -> (CallKind, Abs) {
        let g = &self.program.graphs[callee];
        if g.flags.elidable {
            let handed_over = matches!(
                g.ret,
                rpy_ir::types::Ty::Int
                    | rpy_ir::types::Ty::Float
                    | rpy_ir::types::Ty::Bool
                    | rpy_ir::types::Ty::Char
                    | rpy_ir::types::Ty::Func(_)
            );
            let green = handed_over && args.iter().all(|a| a.is_green());
            return (CallKind::Elidable, if green { Abs::GREEN } else { Abs::RED });
        }
        if self.calls.is_residual(caller, callee) {
            return (CallKind::Residual, Abs::RED);
        }
        let c = self.spec(callee, args);
        (CallKind::Follow(c), self.specs[c].ret.unwrap_or(Abs::RED))
    }
}

/// Joins `a` into `slot`; whether it changed.
fn update(slot: &mut Option<Abs>, a: Abs) -> bool {
    let new = match *slot {
        Some(old) => old.join(a),
        None => a,
    };
    let changed = *slot != Some(new);
    *slot = Some(new);
    changed
}

/// Blocks with parameters reached by several edges that do not all pass the same values.
pub fn joins(g: &Graph) -> HashSet<Block> {
    let mut incoming: HashMap<Block, Vec<&[Value]>> = HashMap::default();
    for data in g.blocks.values() {
        for t in data.exit.targets() {
            incoming.entry(t.block).or_default().push(&t.args);
        }
    }
    incoming
        .into_iter()
        .filter(|(_, args)| args.len() > 1 && args.iter().any(|a| *a != args[0]))
        .map(|(b, _)| b)
        .collect()
}
