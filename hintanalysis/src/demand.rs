//! Checking demands: every `concrete` hint's value must be green.
//!
//! After a forward analysis, each `hint(v, concrete=True)` whose `v` is red is traced back
//! through its dependencies. Red only because of a rule that a demand may lift — a join
//! parameter (the JIT may unroll a loop over it, or keep paths apart) or a parameter of a followed graph (every caller must
//! then pass it green) — the dependency is recorded as a new demand and the analysis runs again.
//! Red for a reason no demand lifts — a read of a mutable field, an allocation, a residual
//! call, a `forget` hint, a red portal argument — it is an error naming the hint's source line
//! and the dependency's. Never a silent under-specialisation.

use crate::analyse::{Analysis, CallKind, Demands, SpecIdx};
use cranelift_entity::SecondaryMap;
use rpy_ir::ir::{Aux, Block, Graph, GraphIdx, OpIdx, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::{Diagnostic, Span};
use rpy_ir::types::HeapType;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Where a variable is defined.
#[derive(Clone, Copy)]
enum Def {
    Param(Block, usize),
    Op(OpIdx),
}

/// Where each variable of a graph is defined and what each block parameter receives,
/// computed once per graph (tracing asks these questions over and over).
struct GraphIndex {
    defs: SecondaryMap<Var, Option<Def>>,
    /// For each block, the argument lists of the edges into it.
    incoming: HashMap<Block, Vec<Vec<Value>>>,
}

impl GraphIndex {
    fn new(g: &Graph) -> GraphIndex {
        let mut defs = SecondaryMap::new();
        let mut incoming: HashMap<Block, Vec<Vec<Value>>> = HashMap::default();
        for (b, data) in g.blocks.iter() {
            for (i, p) in data.params.iter().enumerate() {
                defs[*p] = Some(Def::Param(b, i));
            }
            for &op in &data.ops {
                if let Some(r) = g.ops[op].result {
                    defs[r] = Some(Def::Op(op));
                }
            }
            for t in data.exit.targets() {
                incoming.entry(t.block).or_default().push(t.args.clone());
            }
        }
        GraphIndex { defs, incoming }
    }

    /// The values passed to parameter `i` of `block` by its predecessors.
    fn incoming(&self, block: Block, i: usize) -> Vec<Value> {
        self.incoming.get(&block).map_or(Vec::new(), |edges| edges.iter().map(|a| a[i]).collect())
    }
}

struct Tracer<'a, 'p> {
    a: &'a Analysis<'p>,
    index: HashMap<GraphIdx, GraphIndex>,
    demands: &'a Demands,
    new: Demands,
    seen: HashSet<(SpecIdx, Var)>,
    hint: Span,
}

impl Tracer<'_, '_> {
    fn error(&self, dep: Span, what: String) -> Diagnostic {
        Diagnostic::new(
            self.hint,
            format!("this value cannot be green as 'concrete' requires: it depends on {what}"),
        )
        .with_note(dep, format!("{what} is here"))
    }

    fn trace(&mut self, s: SpecIdx, v: Value) -> Result<(), Diagnostic> {
        let Value::Var(x) = v else { return Ok(()) };
        let spec = &self.a.specs[s];
        if spec.value(v).is_green() || !self.seen.insert((s, x)) {
            return Ok(());
        }
        let graph = spec.graph;
        let g = &self.a.program.graphs[graph];
        let ix = &self.index[&graph];
        match ix.defs[x] {
            None => Ok(()),
            Some(Def::Param(b, i)) if b == g.entry => {
                if s == self.a.portal {
                    let name = g.vars[x].name.clone().unwrap_or_else(|| format!("#{i}"));
                    return Err(self.error(
                        g.span,
                        format!(
                            "argument '{name}' of the portal '{}', which is not among its greens",
                            g.name
                        ),
                    ));
                }
                if !self.demands.green_params.contains_key(&(graph, i)) {
                    self.new.green_params.insert((graph, i), self.hint);
                }
                Ok(())
            }
            Some(Def::Param(b, i)) => {
                if spec.joins.contains(&b) && !self.demands.join_params.contains(&(graph, x)) {
                    self.new.join_params.insert((graph, x));
                }
                for arg in ix.incoming(b, i) {
                    self.trace(s, arg)?;
                }
                Ok(())
            }
            Some(Def::Op(op)) => self.trace_op(s, graph, op),
        }
    }

    fn trace_op(&mut self, s: SpecIdx, graph: GraphIdx, op: OpIdx) -> Result<(), Diagnostic> {
        let program = self.a.program;
        let g = &program.graphs[graph];
        let data = &g.ops[op];
        let span = data.span;
        let args = data.args.clone();
        match (data.opcode, &data.aux) {
            (Opcode::Hint, Aux::Hint(f)) if f.forget || f.variable => {
                let which = if f.forget { "forget" } else { "variable" };
                Err(self.error(span, format!("a '{which}' hint")))
            }
            (Opcode::GetField, Aux::Field(st, idx)) => {
                let def = program.types.struct_def(*st);
                if program.types.field_is_immutable(*st, *idx) || self.could_be_frozen(s, args[0]) {
                    return self.trace(s, args[0]);
                }
                let field = &def.fields[*idx as usize].name;
                Err(self.error(span, format!("a read of the mutable field '{}.{field}'", def.name)))
            }
            (Opcode::GetArrayItem, Aux::Array(at)) => {
                let immutable =
                    matches!(program.types.heap(*at), HeapType::Array(a) if a.immutable);
                if immutable || self.could_be_frozen(s, args[0]) {
                    self.trace(s, args[0])?;
                    return self.trace(s, args[1]);
                }
                let ty = program.types.display(rpy_ir::types::Ty::Ref(*at)).to_string();
                Err(self.error(span, format!("a read of an item of a mutable {ty}")))
            }
            (Opcode::Malloc | Opcode::MallocArray, _) => {
                Err(self.error(span, "a newly allocated object".into()))
            }
            (Opcode::CallIndirect, _) => {
                Err(self.error(span, "the result of a call through a function pointer".into()))
            }
            (Opcode::CallExtern, Aux::Extern(name)) => {
                if rpy_ir::externs::lookup(name).is_some_and(|e| e.pure) {
                    return self.trace_all(s, &args);
                }
                Err(self.error(span, format!("the result of '{name}', an extern with effects")))
            }
            (Opcode::Call, Aux::Graph(callee)) => {
                let name = &program.graphs[*callee].name;
                match self.a.specs[s].calls.get(&op) {
                    // The demand follows the call: the callee's returned values must be green,
                    // which may fix joins inside it or ask its callers for green arguments.
                    Some(CallKind::Follow(c)) => {
                        let c = *c;
                        let callee_graph = &program.graphs[self.a.specs[c].graph];
                        let returned: Vec<Value> = callee_graph
                            .blocks
                            .iter()
                            .filter(|(b, _)| self.a.specs[c].reached.contains(*b))
                            .filter_map(|(_, d)| match d.exit {
                                rpy_ir::ir::Exit::Return(Some(v)) => Some(v),
                                _ => None,
                            })
                            .collect();
                        let mut distinct = returned.clone();
                        distinct.dedup();
                        if distinct.len() > 1 && !self.demands.yellow.contains(callee) {
                            self.new.yellow.insert(*callee);
                        }
                        for v in returned {
                            self.trace(c, v)?;
                        }
                        // Parameters the callee needs green are the call's arguments.
                        let needed: Vec<usize> = (0..args.len())
                            .filter(|i| {
                                self.new.green_params.contains_key(&(*callee, *i))
                                    || self.demands.green_params.contains_key(&(*callee, *i))
                            })
                            .collect();
                        for i in needed {
                            self.trace(s, args[i])?;
                        }
                        Ok(())
                    }
                    // An elidable call's result is green once its arguments are, if the
                    // compile-time run can hand it over.
                    Some(CallKind::Elidable) if elidable_hands_over(program, *callee) => {
                        self.trace_all(s, &args)
                    }
                    Some(CallKind::Elidable) => Err(self.error(
                        span,
                        format!("the result of '{name}', an elidable call returning an object"),
                    )),
                    _ if program.graphs[*callee].flags.dont_look_inside => Err(self
                        .error(span, format!("the result of '{name}', a @dont_look_inside call"))),
                    _ => Err(self.error(
                        span,
                        format!("the result of '{name}', a residual (recursive) call"),
                    )),
                }
            }
            (Opcode::TypeOf | Opcode::InstanceOf, _) => self.trace(s, args[0]),
            _ => self.trace_all(s, &args),
        }
    }

    fn trace_all(&mut self, s: SpecIdx, args: &[Value]) -> Result<(), Diagnostic> {
        for a in args {
            self.trace(s, *a)?;
        }
        Ok(())
    }

    /// Whether a pointer comes from a `deepfreeze` hint (possibly through reads, casts, joins
    /// and frozen arguments), so that it is frozen once green.
    fn could_be_frozen(&self, s: SpecIdx, v: Value) -> bool {
        let mut seen = HashSet::default();
        self.frozen_origin(s, v, &mut seen)
    }

    fn frozen_origin(&self, s: SpecIdx, v: Value, seen: &mut HashSet<Var>) -> bool {
        let Value::Var(x) = v else { return false };
        let spec = &self.a.specs[s];
        if spec.value(v).frozen {
            return true;
        }
        if !seen.insert(x) {
            return true;
        }
        let g = &self.a.program.graphs[spec.graph];
        let ix = &self.index[&spec.graph];
        match ix.defs[x] {
            Some(Def::Op(op)) => match (&g.ops[op].opcode, &g.ops[op].aux) {
                (Opcode::Hint, Aux::Hint(f)) => {
                    f.deepfreeze || self.frozen_origin(s, g.ops[op].args[0], seen)
                }
                (Opcode::GetField | Opcode::GetArrayItem | Opcode::Cast | Opcode::SameAs, _) => {
                    self.frozen_origin(s, g.ops[op].args[0], seen)
                }
                _ => false,
            },
            Some(Def::Param(b, i)) if b != g.entry => {
                ix.incoming(b, i).into_iter().all(|a| self.frozen_origin(s, a, seen))
            }
            _ => false,
        }
    }
}

/// Checks every `concrete` hint and every green-parameter demand; returns the new demands
/// needed (empty when everything holds), or the first impossible one as an error.
pub fn check(a: &Analysis, demands: &Demands) -> Result<Demands, Diagnostic> {
    let mut tracer = Tracer {
        a,
        index: a
            .specs
            .values()
            .map(|sp| (sp.graph, GraphIndex::new(&a.program.graphs[sp.graph])))
            .collect(),
        demands,
        new: Demands::default(),
        seen: HashSet::default(),
        hint: Span::UNKNOWN,
    };
    for (s, spec) in a.specs.iter() {
        let g = &a.program.graphs[spec.graph];
        for b in g.blocks.keys().filter(|b| spec.reached.contains(*b)) {
            for &op in &g.blocks[b].ops {
                let data = &g.ops[op];
                match (&data.opcode, &data.aux) {
                    (Opcode::Hint, Aux::Hint(f))
                        if f.concrete && !spec.value(data.args[0]).is_green() =>
                    {
                        tracer.hint = data.span;
                        tracer.trace(s, data.args[0])?;
                    }
                    (Opcode::Call, Aux::Graph(callee))
                        if matches!(spec.calls.get(&op), Some(CallKind::Follow(_))) =>
                    {
                        for (i, arg) in data.args.iter().enumerate() {
                            if let Some(hint) = demands.green_params.get(&(*callee, i)) {
                                if !spec.value(*arg).is_green() {
                                    tracer.hint = *hint;
                                    tracer.trace(s, *arg)?;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(tracer.new)
}

/// Whether a compile-time run of elidable `callee` can hand its result over as a constant
/// (a scalar or a function pointer: see `CallKind::Elidable`).
fn elidable_hands_over(program: &rpy_ir::ir::Program, callee: rpy_ir::ir::GraphIdx) -> bool {
    use rpy_ir::types::Ty;
    matches!(program.graphs[callee].ret, Ty::Int | Ty::Float | Ty::Bool | Ty::Char | Ty::Func(_))
}
