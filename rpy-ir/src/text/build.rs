//! Resolution of the syntax tree into a [`Program`]: names to indices, types interned in text
//! order, entities recreated at exactly their printed indices, result types inferred.
//!
//! Order of work: struct names and `type` declarations in text order (so every heap type and
//! signature gets the index it had when printed); struct fields, parents first; graph
//! signatures; prebuilt objects; graph bodies.

use super::parse::{
    AuxAst, BlockAst, ConstAst, ExitAst, FieldRef, GraphAst, Item, OpAst, Pos, PrebuiltAst,
    PrebuiltBody, StructAst, TargetAst, TypeAst, ValueAst,
};
use super::view::{Inferred, ProgramView};
use super::TextError;
use crate::ir::{
    Aux, Block, BlockData, Const, Exit, Graph, GraphIdx, OpData, OpIdx, Prebuilt, PrebuiltIdx,
    Program, Target, Value, Var, VarData,
};
use crate::span::Span;
use crate::types::{Field, HeapTypeIdx, Ty, TypeTable};
use cranelift_entity::{EntityRef, PrimaryMap};
use std::collections::HashMap;

struct Builder {
    program: Program,
    file: u32,
    graph_ids: HashMap<String, GraphIdx>,
    n_prebuilt: usize,
}

/// Builds the program described by `items`; `text` becomes its only source file, so spans
/// point at lines of the IR text.
pub(super) fn build(items: Vec<Item>, text: &str) -> Result<Program, TextError> {
    let mut program = Program::default();
    let file = program.sources.add("<ir>", text);
    let mut b = Builder { program, file, graph_ids: HashMap::new(), n_prebuilt: 0 };
    let (mut structs, mut prebuilts, mut graphs) = (Vec::new(), Vec::new(), Vec::new());
    let mut exc_state = None;
    for item in items {
        match item {
            Item::Struct(s) => {
                let Some(idx) = b.program.types.declare_struct(&s.name, s.immutable) else {
                    return Err(s.pos.err(format!("struct `{}` is declared twice", s.name)));
                };
                structs.push((idx, s));
            }
            Item::Type(t) => {
                b.ty(&t)?;
            }
            Item::Prebuilt(p) => prebuilts.push(p),
            Item::Graph(g) => graphs.push(g),
            Item::ExcState(p, pos) => exc_state = Some((p, pos)),
        }
    }
    b.struct_fields(&structs)?;
    let mut ids = Vec::new();
    for g in &graphs {
        ids.push(b.graph_header(g)?);
    }
    b.prebuilts(prebuilts)?;
    if let Some((p, pos)) = exc_state {
        let idx = PrebuiltIdx::from_u32(p);
        match b.program.prebuilt.get(idx) {
            Some(Prebuilt::Struct(t, _))
                if b.program.types.as_struct(*t).is_some_and(|d| d.fields.len() == 1) =>
            {
                b.program.exc_state = Some(idx)
            }
            _ => return Err(pos.err(format!("exception_state pb{p}: not a one-field struct"))),
        }
    }
    for (g, idx) in graphs.iter().zip(ids) {
        b.graph_body(g, idx)?;
    }
    Ok(b.program)
}

/// Var types collected while building a graph body: the type and where it was defined.
type VarTypes = Vec<Option<(Ty, Pos)>>;

impl Builder {
    fn span(&self, pos: Pos) -> Span {
        Span::new(self.file, pos.line, pos.col)
    }

    fn ty(&mut self, t: &TypeAst) -> Result<Ty, TextError> {
        Ok(match t {
            TypeAst::Int => Ty::Int,
            TypeAst::Float => Ty::Float,
            TypeAst::Bool => Ty::Bool,
            TypeAst::Char => Ty::Char,
            TypeAst::Void => Ty::Void,
            TypeAst::Str => Ty::Ref(TypeTable::STR),
            TypeAst::Array(elem, frozen) => {
                let elem = self.ty(elem)?;
                Ty::Ref(self.program.types.array(elem, *frozen))
            }
            TypeAst::Fn(params, ret) => {
                let params = params.iter().map(|p| self.ty(p)).collect::<Result<Vec<_>, _>>()?;
                let ret = self.ty(ret)?;
                Ty::Func(self.program.types.sig(params, ret))
            }
            TypeAst::Named(name, pos) => match self.program.types.struct_by_name(name) {
                Some(s) => Ty::Ref(s),
                None => return Err(pos.err(format!("unknown type `{name}`"))),
            },
        })
    }

    /// A type that must be a struct or array.
    fn heap_ty(&mut self, t: &TypeAst, pos: Pos) -> Result<HeapTypeIdx, TextError> {
        match self.ty(t)? {
            Ty::Ref(h) => Ok(h),
            _ => Err(pos.err("expected a struct or array type")),
        }
    }

    /// Marks struct `t` (its fields set) virtualizable with the fields `names`; the verifier
    /// checks the rest ([`crate::virtualizable::check_def`]).
    fn virtualizable(
        &mut self,
        t: HeapTypeIdx,
        names: &[(String, bool, super::parse::Pos)],
    ) -> Result<(), TextError> {
        use crate::virtualizable::{VirtualizableDef, VirtualizedField};
        let mut fields = Vec::new();
        for (name, items, pos) in names {
            let Some(index) = self.program.types.struct_def(t).field_index(name) else {
                return Err(pos.err(format!("no field `{name}` to virtualize")));
            };
            fields.push(VirtualizedField { index, items: *items });
        }
        self.program.types.set_virtualizable(t, VirtualizableDef { fields });
        Ok(())
    }

    /// Sets every struct's parent and fields, parents before children (a parent's fields are
    /// copied into its children).
    fn struct_fields(&mut self, structs: &[(HeapTypeIdx, StructAst)]) -> Result<(), TextError> {
        let position: HashMap<HeapTypeIdx, usize> =
            structs.iter().enumerate().map(|(i, (idx, _))| (*idx, i)).collect();
        let mut done = vec![false; structs.len()];
        let mut remaining = structs.len();
        while remaining > 0 {
            let before = remaining;
            for (i, (idx, s)) in structs.iter().enumerate() {
                if done[i] {
                    continue;
                }
                let parent = match &s.parent {
                    None => None,
                    Some((name, pos)) => match self.program.types.struct_by_name(name) {
                        Some(p) => Some(p),
                        None => return Err(pos.err(format!("unknown struct `{name}`"))),
                    },
                };
                if parent.is_some_and(|p| !done[position[&p]]) {
                    continue;
                }
                let mut own = Vec::new();
                for (name, t) in &s.fields {
                    own.push(Field { name: name.clone(), ty: self.ty(t)? });
                }
                self.program.types.set_fields(*idx, parent, own);
                if let Some(names) = &s.virtualizable {
                    self.virtualizable(*idx, names)?;
                }
                let own_start = self.program.types.struct_def(*idx).own_start;
                for (i, (name, _)) in s.fields.iter().enumerate() {
                    if s.quasi.contains(name) {
                        self.program.types.set_quasi_immutable(*idx, (own_start + i) as u32);
                    }
                }
                done[i] = true;
                remaining -= 1;
            }
            if remaining == before {
                let (_, s) = &structs[done.iter().position(|d| !d).unwrap_or(0)];
                return Err(s.pos.err(format!("struct `{}` inherits from itself", s.name)));
            }
        }
        Ok(())
    }

    fn graph_header(&mut self, g: &GraphAst) -> Result<GraphIdx, TextError> {
        if self.graph_ids.contains_key(&g.name) {
            return Err(g.pos.err(format!("graph `{}` is defined twice", g.name)));
        }
        let params = g.params.iter().map(|p| self.ty(p)).collect::<Result<Vec<_>, _>>()?;
        let ret = self.ty(&g.ret)?;
        let graph = Graph {
            name: g.name.clone(),
            params,
            ret,
            entry: Block::new(g.entry.unwrap_or(0) as usize),
            blocks: PrimaryMap::new(),
            vars: PrimaryMap::new(),
            ops: PrimaryMap::new(),
            span: self.span(g.pos),
            tail_calls: g.tail_calls,
            flags: g.flags,
        };
        let idx = self.program.add_graph(graph);
        self.graph_ids.insert(g.name.clone(), idx);
        Ok(idx)
    }

    fn constant(&mut self, c: &ConstAst) -> Result<Const, TextError> {
        Ok(match c {
            ConstAst::Int(i) => Const::Int(*i),
            ConstAst::Float(bits) => Const::Float(*bits),
            ConstAst::Bool(b) => Const::Bool(*b),
            ConstAst::Char(c) => Const::Char(*c),
            ConstAst::Null(t, pos) => Const::Null(self.heap_ty(t, *pos)?),
            ConstAst::Ptr(addr, t, pos) => Const::Ptr(*addr, self.heap_ty(t, *pos)?),
            ConstAst::Prebuilt(i, _) if (*i as usize) < self.n_prebuilt => {
                Const::Prebuilt(PrebuiltIdx::new(*i as usize))
            }
            ConstAst::Prebuilt(i, pos) => return Err(pos.err(format!("pb{i} does not exist"))),
            ConstAst::Func(name, pos) => match self.graph_ids.get(name) {
                Some(g) => Const::Func(*g),
                None => return Err(pos.err(format!("unknown graph `{name}`"))),
            },
        })
    }

    fn prebuilts(&mut self, mut prebuilts: Vec<PrebuiltAst>) -> Result<(), TextError> {
        prebuilts.sort_by_key(|p| p.index);
        self.n_prebuilt = prebuilts.len();
        for (i, p) in prebuilts.iter().enumerate() {
            if p.index as usize != i {
                let message = if (p.index as usize) < i {
                    format!("pb{} is defined twice", p.index)
                } else {
                    format!("pb{i} is missing (prebuilt objects are numbered densely)")
                };
                return Err(p.pos.err(message));
            }
            let object = match &p.body {
                PrebuiltBody::Str(chars) => Prebuilt::Str(chars.clone()),
                PrebuiltBody::Array(t, items) => {
                    let t = self.heap_ty(t, p.pos)?;
                    let items = items.iter().map(|c| self.constant(c)).collect::<Result<_, _>>()?;
                    Prebuilt::Array(t, items)
                }
                PrebuiltBody::Struct(t, items) => {
                    let t = self.heap_ty(t, p.pos)?;
                    let mut consts = Vec::new();
                    for (i, (name, c)) in items.iter().enumerate() {
                        if let Some((name, pos)) = name {
                            let actual =
                                self.program.types.as_struct(t).and_then(|d| d.fields.get(i));
                            if actual.map(|f| &f.name) != Some(name) {
                                return Err(pos.err(format!("field {i} is not called `{name}`")));
                            }
                        }
                        consts.push(self.constant(c)?);
                    }
                    Prebuilt::Struct(t, consts)
                }
            };
            let idx = self.program.prebuilt.push(object);
            if let Some(name) = &p.name {
                self.program.prebuilt_names.insert(idx, name.clone());
            }
        }
        Ok(())
    }

    fn graph_body(&mut self, g: &GraphAst, idx: GraphIdx) -> Result<(), TextError> {
        let mut slots: Vec<Option<&BlockAst>> = Vec::new();
        for b in &g.blocks {
            let i = b.index as usize;
            if slots.len() <= i {
                slots.resize(i + 1, None);
            }
            if slots[i].replace(b).is_some() {
                return Err(b.pos.err(format!("block{i} is defined twice")));
            }
        }
        if let Some(missing) = slots.iter().position(Option::is_none) {
            return Err(g
                .pos
                .err(format!("block{missing} is missing (blocks are numbered densely)")));
        }
        let mut body = Body { vars: Vec::new(), ops: PrimaryMap::new(), untyped: Vec::new() };
        let mut blocks = PrimaryMap::new();
        for b in slots.into_iter().flatten() {
            let data = self.block(b, &mut body)?;
            blocks.push(data);
        }
        let types = self.infer(&body)?;
        let vars: PrimaryMap<Var, VarData> = types
            .into_iter()
            .map(|t| VarData { ty: t.map_or(Ty::Void, |(ty, _)| ty), name: None })
            .collect();
        let graph = &mut self.program.graphs[idx];
        graph.blocks = blocks;
        graph.ops = body.ops;
        graph.vars = vars;
        Ok(())
    }

    fn block(&mut self, b: &BlockAst, body: &mut Body) -> Result<BlockData, TextError> {
        let mut params = Vec::new();
        for (v, t) in &b.params {
            let ty = self.ty(t)?;
            params.push(body.define(*v, ty, b.pos)?);
        }
        let mut ops = Vec::new();
        for op in &b.ops {
            ops.push(self.op(op, body)?);
        }
        let exit = match &b.exit {
            ExitAst::Goto(t) => Exit::Goto(self.target(t, body)?),
            ExitAst::Branch(c, t, f) => Exit::Branch {
                cond: self.value(c, body)?,
                if_true: self.target(t, body)?,
                if_false: self.target(f, body)?,
            },
            ExitAst::Switch(v, cases, default) => Exit::Switch {
                value: self.value(v, body)?,
                cases: cases
                    .iter()
                    .map(|(c, t)| Ok((*c, self.target(t, body)?)))
                    .collect::<Result<_, TextError>>()?,
                default: self.target(default, body)?,
            },
            ExitAst::Return(v) => Exit::Return(match v {
                Some(v) => Some(self.value(v, body)?),
                None => None,
            }),
        };
        Ok(BlockData { params, ops, exit, span: self.span(b.pos) })
    }

    fn value(&mut self, v: &ValueAst, body: &mut Body) -> Result<Value, TextError> {
        Ok(match v {
            ValueAst::Var(n) => Value::Var(body.var(*n)),
            ValueAst::Const(c) => Value::Const(self.constant(c)?),
        })
    }

    fn target(&mut self, t: &TargetAst, body: &mut Body) -> Result<Target, TextError> {
        let args = t.args.iter().map(|a| self.value(a, body)).collect::<Result<_, _>>()?;
        Ok(Target { block: Block::new(t.block as usize), args })
    }

    fn op(&mut self, op: &OpAst, body: &mut Body) -> Result<OpIdx, TextError> {
        let aux = match &op.aux {
            AuxAst::None => Aux::None,
            AuxAst::Type(t) => Aux::Type(self.heap_ty(t, op.pos)?),
            AuxAst::Array(t) => Aux::Array(self.heap_ty(t, op.pos)?),
            AuxAst::Field(t, field, pos) => {
                let s = self.heap_ty(t, *pos)?;
                let i = match field {
                    FieldRef::Index(i) => *i,
                    FieldRef::Name(name) => {
                        let def = self.program.types.as_struct(s);
                        match def.and_then(|d| d.field_index(name)) {
                            Some(i) => i,
                            None => return Err(pos.err(format!("no field `{name}` in this type"))),
                        }
                    }
                };
                Aux::Field(s, i)
            }
            AuxAst::Graph(name, pos) => match self.graph_ids.get(name) {
                Some(g) => Aux::Graph(*g),
                None => return Err(pos.err(format!("unknown graph `{name}`"))),
            },
            AuxAst::Sig(t, pos) => match self.ty(t)? {
                Ty::Func(s) => Aux::Sig(s),
                _ => return Err(pos.err("expected a function type")),
            },
            AuxAst::Extern(name) => Aux::Extern(name.clone()),
            AuxAst::Hint(flags) => Aux::Hint(*flags),
            AuxAst::Hook(id) => Aux::Hook(*id),
        };
        let args = op.args.iter().map(|a| self.value(a, body)).collect::<Result<_, _>>()?;
        let result = match &op.result {
            None => None,
            Some((v, Some(t))) => {
                let ty = self.ty(t)?;
                Some(body.define(*v, ty, op.pos)?)
            }
            Some((v, None)) => Some(body.var(*v)),
        };
        let data = OpData { opcode: op.opcode, args, result, aux, span: self.span(op.pos) };
        let idx = body.ops.push(data);
        if matches!(op.result, Some((_, None))) {
            body.untyped.push((idx, op.pos));
        }
        Ok(idx)
    }

    /// Types the results written without a type, by the same inference the printer uses to
    /// decide when it may omit them.
    fn infer(&self, body: &Body) -> Result<VarTypes, TextError> {
        let view = ProgramView::new(&self.program);
        let mut types = body.vars.clone();
        let mut pending = Vec::new();
        for &(idx, pos) in &body.untyped {
            let op = &body.ops[idx];
            let Some(r) = op.result else { continue };
            let ty = match view.infer_result(op) {
                Inferred::Fixed(Ty::Void) => {
                    return Err(pos.err(format!("`{}` has no result", op.opcode)));
                }
                Inferred::Fixed(t) => t,
                Inferred::SameAs(Value::Const(c)) => match view.const_ty(c) {
                    Some(t) => t,
                    None => {
                        return Err(pos.err("cannot infer the result type; write `vN: T = ...`"))
                    }
                },
                Inferred::SameAs(Value::Var(u)) => {
                    pending.push((r, u, pos));
                    continue;
                }
                Inferred::Unknown => {
                    return Err(pos.err("cannot infer the result type; write `vN: T = ...`"));
                }
            };
            set_type(&mut types, r, ty, pos)?;
        }
        loop {
            let before = pending.len();
            let mut still = Vec::new();
            for (r, u, pos) in pending {
                match types.get(u.index()).copied().flatten() {
                    Some((ty, _)) => set_type(&mut types, r, ty, pos)?,
                    None => still.push((r, u, pos)),
                }
            }
            pending = still;
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
        if let Some((r, u, pos)) = pending.first() {
            return Err(pos.err(format!(
                "cannot infer the type of {r}: {u} has no known type; write `{r}: T = ...`"
            )));
        }
        Ok(types)
    }
}

/// A graph body under construction.
struct Body {
    /// Every var index mentioned so far, with its type once defined.
    vars: VarTypes,
    ops: PrimaryMap<OpIdx, OpData>,
    /// Ops whose result type is to be inferred.
    untyped: Vec<(OpIdx, Pos)>,
}

impl Body {
    /// The var numbered `n`, creating every index up to it.
    fn var(&mut self, n: u32) -> Var {
        if self.vars.len() <= n as usize {
            self.vars.resize(n as usize + 1, None);
        }
        Var::new(n as usize)
    }

    fn define(&mut self, n: u32, ty: Ty, pos: Pos) -> Result<Var, TextError> {
        let v = self.var(n);
        set_type(&mut self.vars, v, ty, pos)?;
        Ok(v)
    }
}

/// Records `v`'s type; a second definition must agree on it.
fn set_type(types: &mut VarTypes, v: Var, ty: Ty, pos: Pos) -> Result<(), TextError> {
    match types.get(v.index()).copied().flatten() {
        Some((old, _)) if old != ty => {
            Err(pos.err(format!("{v} is defined again with another type")))
        }
        _ => {
            if types.len() <= v.index() {
                types.resize(v.index() + 1, None);
            }
            types[v.index()] = Some((ty, pos));
            Ok(())
        }
    }
}
