//! The IR verifier: checks that a program is well formed, reporting every problem as a value.
//!
//! What it checks, per graph: the entry block exists and its parameters have the graph's
//! parameter types; blocks list only existing ops and no op is in two blocks (ops in no block
//! are allowed: passes leave them behind); every var used is defined exactly once (block
//! parameter or op result) by a definition that dominates the use (exit arguments are uses at
//! the end of their block; unreachable blocks are type-checked but not dominance-checked);
//! exits name existing blocks with as many arguments as they have parameters, of assignable
//! types; branch conditions are bools, switch values ints or chars with distinct cases,
//! returned values match the graph's result type; ops have the operand and result types the
//! op table ([`crate::ops`]) and their aux data say, and a result exactly when they produce a
//! non-void value; an `elidable` graph returns a value and is not also `dont_look_inside`.
//! Per program: graph names are unique, struct parents are consistent, and
//! prebuilt objects match their types.
//!
//! The verifier never panics, even on dangling indices: every index is bounds-checked first.
//! Each error names its graph, the entity (`block3`, `op7`, `v5`, `pb2`) and, where there is
//! one, the offending line in the text form ([`crate::text`]).

use crate::flow::{Dominators, Flow};
use crate::ir::{Block, Const, Exit, Graph, GraphIdx, OpIdx, Prebuilt, Program, Target, Value};
use crate::text::{GraphPrinter, ProgramView};
use crate::types::{HeapType, Ty};
use cranelift_entity::EntityRef;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One verifier finding: where it is, what is wrong, and the offending line of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// The graph's name (`None` for program-level errors: types and prebuilt objects).
    pub graph: Option<String>,
    /// The entity at fault: `block3`, `op7`, `v5`, `pb2`, a struct name...
    pub entity: String,
    /// What is wrong.
    pub message: String,
    /// The printed op, exit, block header or prebuilt object at fault, if any.
    pub context: Option<String>,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(g) = &self.graph {
            write!(f, "graph {g}: ")?;
        }
        write!(f, "{}: {}", self.entity, self.message)?;
        if let Some(c) = &self.context {
            write!(f, "\n    {c}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

/// Verifies every graph, the type table and the prebuilt objects of `program`.
pub fn verify_program(program: &Program) -> Result<(), Vec<VerifyError>> {
    let mut errors = check_program(program);
    for g in program.graphs.keys() {
        if let Err(e) = verify_graph(program, g) {
            errors.extend(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Verifies one graph of `program`.
pub fn verify_graph(program: &Program, graph: GraphIdx) -> Result<(), Vec<VerifyError>> {
    let Some(g) = program.graphs.get(graph) else {
        let message = "does not exist".to_string();
        return Err(vec![VerifyError {
            graph: None,
            entity: graph.to_string(),
            message,
            context: None,
        }]);
    };
    let mut v = Verifier {
        printer: GraphPrinter::new(program, g),
        graph: g,
        errors: Vec::new(),
        defined: Vec::new(),
    };
    v.run();
    if v.errors.is_empty() {
        Ok(())
    } else {
        Err(v.errors)
    }
}

/// Program-level checks: graph names, struct definitions, prebuilt objects.
fn check_program(program: &Program) -> Vec<VerifyError> {
    let view = ProgramView::new(program);
    let mut errors = Vec::new();
    let mut err = |entity: String, message: String, context: Option<String>| {
        errors.push(VerifyError { graph: None, entity, message, context });
    };
    let mut names: HashMap<&str, GraphIdx> = HashMap::new();
    for (g, graph) in program.graphs.iter() {
        if let Some(first) = names.insert(&graph.name, g) {
            err(
                g.to_string(),
                format!("graph name `{}` is also used by {first}", graph.name),
                None,
            );
        }
    }
    for (t, ht) in program.types.heap_types() {
        let HeapType::Struct(s) = ht else { continue };
        for f in &s.fields {
            if !view.ty_exists(f.ty) {
                err(
                    s.name.clone(),
                    format!("field `{}` has a type that does not exist", f.name),
                    None,
                );
            }
        }
        let inherited = match s.parent {
            None => Some(&[][..]),
            Some(p) if p == t => None,
            Some(p) => view.struct_def(p).map(|d| &d.fields[..]),
        };
        if inherited != s.fields.get(..s.own_start) {
            err(
                s.name.clone(),
                "parent is not a struct, or its fields are not a prefix".into(),
                None,
            );
        }
    }
    for (t, def) in program.types.virtualizables() {
        if let Err(m) = crate::virtualizable::check_def(&program.types, t, def) {
            let name = view.struct_def(t).map_or_else(|| t.to_string(), |d| d.name.clone());
            err(name, format!("bad virtualizable: {m}"), None);
        }
    }
    for (p, obj) in program.prebuilt.iter() {
        let context = || Some(crate::text::prebuilt_line(&view, p));
        let (expected, consts): (Vec<(String, Ty)>, &[Const]) = match obj {
            Prebuilt::Str(_) => continue,
            Prebuilt::Struct(t, consts) => match view.struct_def(*t) {
                Some(d) => (
                    d.fields.iter().map(|f| (format!("field `{}`", f.name), f.ty)).collect(),
                    consts,
                ),
                None => {
                    err(p.to_string(), "prebuilt struct of a non-struct type".into(), context());
                    continue;
                }
            },
            Prebuilt::Array(t, items) => match view.array_def(*t) {
                Some(a) => {
                    ((0..items.len()).map(|i| (format!("item {i}"), a.elem)).collect(), items)
                }
                None => {
                    err(p.to_string(), "prebuilt array of a non-array type".into(), context());
                    continue;
                }
            },
        };
        if expected.len() != consts.len() {
            let message = format!(
                "the type has {} fields, the object gives {}",
                expected.len(),
                consts.len()
            );
            err(p.to_string(), message, context());
        }
        for ((what, ty), c) in expected.iter().zip(consts) {
            match view.const_ty(*c) {
                None => err(
                    p.to_string(),
                    format!("{what} refers to something that does not exist"),
                    context(),
                ),
                Some(ct) if !view.assignable(ct, *ty) => {
                    let message =
                        format!("{what} must be {}, found {}", view.ty_name(*ty), view.ty_name(ct));
                    err(p.to_string(), message, context());
                }
                Some(_) => {}
            }
        }
    }
    errors
}

/// Where a var is defined.
#[derive(Clone, Copy)]
enum Def {
    Param(Block),
    /// The op at this position in the block.
    Op(Block, usize),
}

/// What line of text an error is about.
#[derive(Clone, Copy)]
enum Ctx {
    None,
    Header(Block),
    Op(OpIdx),
    Exit(Block),
}

struct Verifier<'a> {
    printer: GraphPrinter<'a>,
    graph: &'a Graph,
    errors: Vec<VerifyError>,
    /// Per var: whether something defines it (the type of an undefined var means nothing).
    defined: Vec<bool>,
}

impl Verifier<'_> {
    fn err(&mut self, entity: impl fmt::Display, ctx: Ctx, message: impl Into<String>) {
        let context = match ctx {
            Ctx::None => None,
            Ctx::Header(b) => Some(self.printer.block_header(b)),
            Ctx::Op(op) => Some(self.printer.op(op)),
            Ctx::Exit(b) => Some(self.printer.exit(b)),
        };
        self.errors.push(VerifyError {
            graph: Some(self.graph.name.clone()),
            entity: entity.to_string(),
            message: message.into(),
            context,
        });
    }

    fn ty_name(&self, ty: Ty) -> String {
        self.printer.view().ty_name(ty)
    }

    fn run(&mut self) {
        let g = self.graph;
        self.check_entry();
        if g.flags.elidable && g.ret == Ty::Void {
            self.err(&g.name, Ctx::None, "an elidable graph must return a value");
        }
        if g.flags.elidable && g.flags.dont_look_inside {
            self.err(&g.name, Ctx::None, "a graph cannot be both elidable and dont_look_inside");
        }
        if g.flags.always_inline && g.flags.dont_inline {
            self.err(&g.name, Ctx::None, "a graph cannot be both always_inline and dont_inline");
        }
        for (v, data) in g.vars.iter() {
            if !self.printer.view().ty_exists(data.ty) {
                self.err(v, Ctx::None, "its type does not exist");
            }
        }
        for (b, data) in g.blocks.iter() {
            for &p in &data.params {
                if g.vars.get(p).is_some_and(|d| d.ty == Ty::Void) {
                    self.err(b, Ctx::Header(b), format!("parameter {p} has type void"));
                }
            }
        }
        let placed = self.place_ops();
        let defs = self.definitions(&placed);
        self.defined = defs.iter().map(Option::is_some).collect();
        let dom = Dominators::new(&Flow::new(g));
        for (b, data) in g.blocks.iter() {
            for (i, &op) in data.ops.iter().enumerate() {
                let Some(op_data) = g.ops.get(op) else {
                    continue;
                };
                for a in &op_data.args {
                    self.check_use(*a, b, i, Ctx::Op(op), &defs, &dom);
                }
                if placed[op.index()] == Some(b) {
                    self.check_op(op);
                }
            }
            for v in exit_values(&data.exit) {
                self.check_use(v, b, data.ops.len(), Ctx::Exit(b), &defs, &dom);
            }
            self.check_exit(b);
        }
    }

    fn check_entry(&mut self) {
        let g = self.graph;
        let Some(entry) = g.blocks.get(g.entry) else {
            self.err(g.entry, Ctx::None, "the entry block does not exist");
            return;
        };
        if entry.params.len() != g.params.len() {
            let message = format!(
                "the entry block has {} parameter(s), the graph has {}",
                entry.params.len(),
                g.params.len()
            );
            self.err(g.entry, Ctx::Header(g.entry), message);
        }
        for (v, ty) in entry.params.iter().zip(&g.params) {
            if let Some(d) = g.vars.get(*v) {
                if d.ty != *ty {
                    let message = format!(
                        "entry parameter {v} has type {}, the graph says {}",
                        self.ty_name(d.ty),
                        self.ty_name(*ty)
                    );
                    self.err(g.entry, Ctx::Header(g.entry), message);
                }
            }
        }
    }

    /// The block of each op (by op index); reports missing ops and ops in two places.
    fn place_ops(&mut self) -> Vec<Option<Block>> {
        let mut placed = vec![None; self.graph.ops.len()];
        for (b, data) in self.graph.blocks.iter() {
            for &op in &data.ops {
                match placed.get_mut(op.index()) {
                    None => self.err(b, Ctx::None, format!("{op} does not exist")),
                    Some(Some(other)) => {
                        let message = format!("{op} is listed twice (also in {other})");
                        self.err(op, Ctx::Op(op), message);
                    }
                    Some(slot) => *slot = Some(b),
                }
            }
        }
        placed
    }

    /// The definition of each var; reports dangling and doubly defined vars.
    fn definitions(&mut self, placed: &[Option<Block>]) -> Vec<Option<Def>> {
        let g = self.graph;
        let mut defs: Vec<Option<Def>> = vec![None; g.vars.len()];
        for (b, data) in g.blocks.iter() {
            let params = data.params.iter().map(|&p| (p, Def::Param(b), Ctx::Header(b)));
            let results = data.ops.iter().enumerate().filter_map(|(i, &op)| {
                let r = g.ops.get(op)?.result?;
                (placed[op.index()] == Some(b)).then_some((r, Def::Op(b, i), Ctx::Op(op)))
            });
            for (v, def, ctx) in params.chain(results).collect::<Vec<_>>() {
                match defs.get_mut(v.index()) {
                    None => self.err(v, ctx, "does not exist"),
                    Some(Some(_)) => self.err(v, ctx, "defined twice"),
                    Some(slot) => *slot = Some(def),
                }
            }
        }
        defs
    }

    fn check_use(
        &mut self,
        v: Value,
        b: Block,
        pos: usize,
        ctx: Ctx,
        defs: &[Option<Def>],
        dom: &Dominators,
    ) {
        let Value::Var(v) = v else { return };
        let def_block = match defs.get(v.index()) {
            None => return self.err(b, ctx, format!("{v} does not exist")),
            Some(None) => return self.err(b, ctx, format!("{v} is used but never defined")),
            Some(Some(Def::Param(d))) => *d,
            Some(Some(Def::Op(d, i))) if *d == b && *i >= pos => {
                return self.err(b, ctx, format!("{v} is used before its definition"));
            }
            Some(Some(Def::Op(d, _))) => *d,
        };
        if def_block != b && dom.is_reachable(b) && !dom.dominates(def_block, b) {
            let message = format!("use of {v} is not dominated by its definition in {def_block}");
            self.err(b, ctx, message);
        }
    }

    fn value_ty(&mut self, v: Value, ctx: Ctx, entity: impl fmt::Display) -> Option<Ty> {
        if let Value::Var(var) = v {
            if !self.defined.get(var.index()).copied().unwrap_or(false) {
                return None;
            }
        }
        let ty = self.printer.view().value_ty(self.graph, v);
        if ty.is_none() && matches!(v, Value::Const(_)) {
            self.err(entity, ctx, "a constant refers to something that does not exist");
        }
        ty
    }

    fn check_target(&mut self, b: Block, t: &Target) {
        let Some(target) = self.graph.blocks.get(t.block) else {
            return self.err(b, Ctx::Exit(b), format!("target {} does not exist", t.block));
        };
        if target.params.len() != t.args.len() {
            let message = format!(
                "target {} takes {} argument(s), got {}",
                t.block,
                target.params.len(),
                t.args.len()
            );
            return self.err(b, Ctx::Exit(b), message);
        }
        for (i, (a, p)) in t.args.iter().zip(&target.params).enumerate() {
            let (Some(at), Some(pt)) =
                (self.value_ty(*a, Ctx::Exit(b), b), self.graph.vars.get(*p).map(|d| d.ty))
            else {
                continue;
            };
            if !self.printer.view().assignable(at, pt) {
                let message = format!(
                    "argument {} to {} must be {}, found {}",
                    i + 1,
                    t.block,
                    self.ty_name(pt),
                    self.ty_name(at)
                );
                self.err(b, Ctx::Exit(b), message);
            }
        }
    }

    fn check_exit(&mut self, b: Block) {
        let g = self.graph;
        let exit = &g.blocks[b].exit;
        for t in exit.targets() {
            self.check_target(b, t);
        }
        let ctx = Ctx::Exit(b);
        match exit {
            Exit::Goto(_) => {}
            Exit::Branch { cond, .. } => match self.value_ty(*cond, ctx, b) {
                Some(Ty::Bool) | None => {}
                Some(t) => self.err(
                    b,
                    ctx,
                    format!("branch condition must be bool, found {}", self.ty_name(t)),
                ),
            },
            Exit::Switch { value, cases, .. } => {
                let ty = self.value_ty(*value, ctx, b);
                if !matches!(ty, Some(Ty::Int | Ty::Char) | None) {
                    let found = self.ty_name(ty.unwrap_or(Ty::Void));
                    self.err(b, ctx, format!("switch value must be int or char, found {found}"));
                }
                let mut seen = HashSet::new();
                for (c, _) in cases {
                    if !seen.insert(*c) {
                        self.err(b, ctx, format!("duplicate switch case {c}"));
                    }
                    let scalar = u32::try_from(*c).ok().and_then(char::from_u32);
                    if ty == Some(Ty::Char) && scalar.is_none() {
                        self.err(b, ctx, format!("switch case {c} is not a char"));
                    }
                }
            }
            Exit::Return(v) => match (g.ret, v) {
                (Ty::Void, None) => {}
                (Ty::Void, Some(_)) => self.err(b, ctx, "void graph returns a value"),
                (ret, None) => self.err(
                    b,
                    ctx,
                    format!("return without a value; the graph returns {}", self.ty_name(ret)),
                ),
                (ret, Some(v)) => match self.value_ty(*v, ctx, b) {
                    Some(t) if !self.printer.view().assignable(t, ret) => {
                        let message = format!(
                            "return value must be {}, found {}",
                            self.ty_name(ret),
                            self.ty_name(t)
                        );
                        self.err(b, ctx, message);
                    }
                    _ => {}
                },
            },
        }
    }
}

/// The values an exit uses, in order.
fn exit_values(exit: &Exit) -> Vec<Value> {
    let mut out = match exit {
        Exit::Branch { cond: v, .. } | Exit::Switch { value: v, .. } | Exit::Return(Some(v)) => {
            vec![*v]
        }
        Exit::Goto(_) | Exit::Return(None) => Vec::new(),
    };
    for t in exit.targets() {
        out.extend(&t.args);
    }
    out
}

mod ops;
#[cfg(test)]
mod tests;
