//! The printer: programs and graphs to the text form described in [`super`].
//!
//! The printer never panics, even on malformed programs: dangling references print as
//! `<missing ...>` (such text does not parse back) and ops missing from the arena print as
//! comments. Everything else parses back to the same program.

use super::view::{char_lit, float_lit, write_name, write_str_lit, AuxKind, Inferred, ProgramView};
use crate::ir::{
    Aux, Block, Const, Exit, Graph, GraphIdx, OpIdx, Prebuilt, PrebuiltIdx, Program, Target, Value,
    Var,
};
use crate::types::{HeapType, HeapTypeIdx, SigIdx, Ty, TypeTable};
use cranelift_entity::EntityRef;
use std::fmt::Write;

/// Where printed text goes: plain text, or marked-up text (Graphviz labels) that decorates
/// variables.
pub(crate) trait Sink {
    /// Appends plain text.
    fn text(&mut self, s: &str);
    /// Appends a variable reference.
    fn var(&mut self, v: Var);
}

impl Sink for String {
    fn text(&mut self, s: &str) {
        self.push_str(s);
    }

    fn var(&mut self, v: Var) {
        let _ = write!(self, "{v}");
    }
}

/// Switches with more cases than this print one case per line.
const SWITCH_INLINE_CASES: usize = 4;
/// Structs with more own fields than this print one field per line.
const STRUCT_INLINE_FIELDS: usize = 3;

/// The whole program in the text form: type declarations, prebuilt objects, then graphs.
pub fn print_program(program: &Program) -> String {
    let view = ProgramView::new(program);
    let mut out = String::new();
    write_types(&view, &mut out);
    if !program.prebuilt.is_empty() {
        out.push('\n');
        for p in program.prebuilt.keys() {
            write_prebuilt(&view, &mut out, p);
        }
    }
    if let Some(p) = program.exc_state {
        let _ = writeln!(out, "exception_state {p}");
    }
    for g in program.graphs.values() {
        out.push('\n');
        out.push_str(&GraphPrinter::with_view(ProgramView::new(program), g).graph());
    }
    out
}

/// One graph of `program` in the text form (`graph name(...) -> ... { ... }`).
pub fn print_graph(program: &Program, graph: GraphIdx) -> String {
    GraphPrinter::new(program, &program.graphs[graph]).graph()
}

/// Prints the parts of one graph: the whole graph, or single block headers, ops and exits
/// (for diagnostics that show the offending line).
pub struct GraphPrinter<'a> {
    view: ProgramView<'a>,
    graph: &'a Graph,
    /// Per op index: whether its result is printed with an explicit type (`v3: int = ...`).
    explicit: Vec<bool>,
}

impl<'a> GraphPrinter<'a> {
    /// A printer for `graph`, whose types, callees and prebuilt objects are those of `program`
    /// (the graph need not be in the program yet).
    pub fn new(program: &'a Program, graph: &'a Graph) -> GraphPrinter<'a> {
        GraphPrinter::with_view(ProgramView::new(program), graph)
    }

    pub(crate) fn with_view(view: ProgramView<'a>, graph: &'a Graph) -> GraphPrinter<'a> {
        let explicit = explicit_results(&view, graph);
        GraphPrinter { view, graph, explicit }
    }

    pub(crate) fn view(&self) -> &ProgramView<'a> {
        &self.view
    }

    /// The whole graph, ending in a newline.
    pub fn graph(&self) -> String {
        let mut out = String::new();
        self.write_graph(&mut out);
        out
    }

    /// A block's header line, e.g. `block2(v2: int):`.
    pub fn block_header(&self, block: Block) -> String {
        let mut out = String::new();
        self.write_block_header(&mut out, block);
        out
    }

    /// One op, without indentation, e.g. `v3 = int_add v1, 1`.
    pub fn op(&self, op: OpIdx) -> String {
        let mut out = String::new();
        self.write_op(&mut out, op);
        out
    }

    /// A block's exit on one line, without indentation, e.g. `goto block1(v3)`.
    pub fn exit(&self, block: Block) -> String {
        let mut out = String::new();
        self.write_exit(&mut out, block, false);
        out
    }

    fn write_graph(&self, out: &mut dyn Sink) {
        let g = self.graph;
        let mut head = String::from("graph ");
        write_name(&mut head, &g.name, false);
        head.push('(');
        for (i, p) in g.params.iter().enumerate() {
            if i > 0 {
                head.push_str(", ");
            }
            head.push_str(&self.view.ty_name(*p));
        }
        let _ = write!(head, ") -> {}", self.view.ty_name(g.ret));
        if g.entry.index() != 0 {
            let _ = write!(head, " entry {}", g.entry);
        }
        if g.tail_calls {
            head.push_str(" tailcalls");
        }
        for name in g.flags.names() {
            head.push(' ');
            head.push_str(name);
        }
        head.push_str(" {\n");
        out.text(&head);
        for (i, b) in g.blocks.keys().enumerate() {
            if i > 0 {
                out.text("\n");
            }
            self.write_block(out, b);
        }
        out.text("}\n");
    }

    pub(crate) fn write_block(&self, out: &mut dyn Sink, block: Block) {
        self.write_block_header(out, block);
        out.text("\n");
        self.write_block_body(out, block, "    ");
    }

    /// The ops and the exit of `block`, one per line, each after `indent`.
    pub(crate) fn write_block_body(&self, out: &mut dyn Sink, block: Block, indent: &str) {
        let Some(data) = self.graph.blocks.get(block) else {
            return;
        };
        for &op in &data.ops {
            out.text(indent);
            self.write_op(out, op);
            out.text("\n");
        }
        out.text(indent);
        self.write_exit(out, block, true);
        out.text("\n");
    }

    pub(crate) fn write_block_header(&self, out: &mut dyn Sink, block: Block) {
        out.text(&format!("{block}("));
        if let Some(data) = self.graph.blocks.get(block) {
            for (i, &p) in data.params.iter().enumerate() {
                if i > 0 {
                    out.text(", ");
                }
                out.var(p);
                out.text(&format!(": {}", self.var_ty_name(p)));
            }
        }
        out.text("):");
    }

    fn var_ty_name(&self, v: Var) -> String {
        match self.graph.vars.get(v) {
            Some(d) => self.view.ty_name(d.ty),
            None => format!("<missing {v}>"),
        }
    }

    pub(crate) fn write_op(&self, out: &mut dyn Sink, op_idx: OpIdx) {
        let Some(op) = self.graph.ops.get(op_idx) else {
            out.text(&format!("; {op_idx} does not exist"));
            return;
        };
        if let Some(r) = op.result {
            out.var(r);
            if self.explicit.get(op_idx.index()).copied().unwrap_or(true) {
                out.text(&format!(": {}", self.var_ty_name(r)));
            }
            out.text(" = ");
        }
        out.text(op.opcode.info().name);
        let args = &op.args[..];
        let pretty = AuxKind::of(&op.aux) == AuxKind::expected(op.opcode);
        match &op.aux {
            Aux::Graph(g) if pretty => {
                out.text(" ");
                out.text(&self.graph_name(*g));
                self.write_call_args(out, args);
            }
            Aux::Extern(name) if pretty => {
                let mut s = String::from(" ");
                write_name(&mut s, name, false);
                out.text(&s);
                self.write_call_args(out, args);
            }
            Aux::Hook(id) if pretty => {
                out.text(&format!(" #{id}"));
                self.write_call_args(out, args);
            }
            Aux::Sig(s) if pretty && !args.is_empty() => {
                out.text(&format!(" {} ", self.view.ty_name(Ty::Func(*s))));
                self.write_value(out, args[0]);
                self.write_call_args(out, &args[1..]);
            }
            Aux::None if pretty => self.write_args(out, args),
            _ if pretty => {
                out.text(&format!(" {}", self.aux_payload(&op.aux)));
                self.write_args(out, args);
            }
            aux => {
                let kind = AuxKind::of(aux).keyword();
                match self.aux_payload(aux) {
                    p if p.is_empty() => out.text(&format!(" [{kind}]")),
                    p => out.text(&format!(" [{kind} {p}]")),
                }
                self.write_args(out, args);
            }
        }
    }

    /// The aux data as printed after the opcode (graphs, externs, signatures and hook sites by
    /// their explicit-form payload).
    fn aux_payload(&self, aux: &Aux) -> String {
        match aux {
            Aux::None => String::new(),
            Aux::Type(t) | Aux::Array(t) => self.view.ty_name(Ty::Ref(*t)),
            Aux::Field(t, i) => self.field_ref(*t, *i),
            Aux::Graph(g) => self.graph_name(*g),
            Aux::Sig(s) => self.view.ty_name(Ty::Func(*s)),
            Aux::Extern(name) => {
                let mut s = String::new();
                write_name(&mut s, name, false);
                s
            }
            Aux::Hint(flags) => format!("{{{}}}", flags.names().join(", ")),
            Aux::Hook(id) => format!("#{id}"),
        }
    }

    /// `Struct.field`, or `Struct.3` when the name does not identify the field.
    fn field_ref(&self, t: HeapTypeIdx, i: u32) -> String {
        let mut s = self.view.ty_name(Ty::Ref(t));
        s.push('.');
        let field = self.view.struct_def(t).and_then(|d| Some((d, d.fields.get(i as usize)?)));
        match field {
            // A name shadowed by an earlier field of the same name would read back wrong.
            Some((def, f)) if def.field_index(&f.name) == Some(i) => {
                write_name(&mut s, &f.name, false)
            }
            _ => {
                let _ = write!(s, "{i}");
            }
        }
        s
    }

    fn graph_name(&self, g: GraphIdx) -> String {
        let mut s = String::new();
        match self.view.graph(g) {
            Some(graph) => write_name(&mut s, &graph.name, false),
            None => {
                let _ = write!(s, "<missing {g}>");
            }
        }
        s
    }

    /// ` a, b, c` (nothing when empty).
    fn write_args(&self, out: &mut dyn Sink, args: &[Value]) {
        for (i, a) in args.iter().enumerate() {
            out.text(if i == 0 { " " } else { ", " });
            self.write_value(out, *a);
        }
    }

    /// `(a, b, c)`.
    fn write_call_args(&self, out: &mut dyn Sink, args: &[Value]) {
        out.text("(");
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.text(", ");
            }
            self.write_value(out, *a);
        }
        out.text(")");
    }

    pub(crate) fn write_value(&self, out: &mut dyn Sink, v: Value) {
        match v {
            Value::Var(v) => out.var(v),
            Value::Const(c) => out.text(&const_text(&self.view, c)),
        }
    }

    fn write_target(&self, out: &mut dyn Sink, t: &Target) {
        out.text(&t.block.to_string());
        self.write_call_args(out, &t.args);
    }

    /// The exit of `block`; a long switch spans several lines when `multiline`.
    pub(crate) fn write_exit(&self, out: &mut dyn Sink, block: Block, multiline: bool) {
        let Some(data) = self.graph.blocks.get(block) else {
            out.text(&format!("; {block} does not exist"));
            return;
        };
        match &data.exit {
            Exit::Goto(t) => {
                out.text("goto ");
                self.write_target(out, t);
            }
            Exit::Branch { cond, if_true, if_false } => {
                out.text("branch ");
                self.write_value(out, *cond);
                out.text(", ");
                self.write_target(out, if_true);
                out.text(", ");
                self.write_target(out, if_false);
            }
            Exit::Switch { value, cases, default } => {
                let chars = self.view.value_ty(self.graph, *value) == Some(Ty::Char);
                let split = multiline && cases.len() > SWITCH_INLINE_CASES;
                out.text("switch ");
                self.write_value(out, *value);
                out.text(", [");
                for (i, (case, t)) in cases.iter().enumerate() {
                    if split {
                        out.text("\n        ");
                    } else if i > 0 {
                        out.text(", ");
                    }
                    out.text(&case_label(*case, chars));
                    out.text(": ");
                    self.write_target(out, t);
                    if split {
                        out.text(",");
                    }
                }
                out.text(if split { "\n    ], default " } else { "], default " });
                self.write_target(out, default);
            }
            Exit::Return(None) => out.text("return"),
            Exit::Return(Some(v)) => {
                out.text("return ");
                self.write_value(out, *v);
            }
        }
    }
}

/// A switch case as printed: a char literal when the switch is on a char.
pub(crate) fn case_label(case: i64, chars: bool) -> String {
    match u32::try_from(case).ok().and_then(char::from_u32) {
        Some(c) if chars => char_lit(c),
        _ => case.to_string(),
    }
}

/// A constant in the text syntax.
pub(crate) fn const_text(view: &ProgramView<'_>, c: Const) -> String {
    match c {
        Const::Int(i) => i.to_string(),
        Const::Float(bits) => float_lit(bits),
        Const::Bool(b) => b.to_string(),
        Const::Char(c) => char_lit(c),
        Const::Null(t) => format!("null {}", view.ty_name(Ty::Ref(t))),
        Const::Prebuilt(p) => p.to_string(),
        Const::Ptr(addr, t) => format!("ptr {addr:#x} {}", view.ty_name(Ty::Ref(t))),
        Const::Func(g) => {
            let mut s = String::from("@");
            match view.graph(g) {
                Some(graph) => write_name(&mut s, &graph.name, false),
                None => {
                    let _ = write!(s, "<missing {g}>");
                }
            }
            s
        }
    }
}

/// Which op results need an explicit type so that the parser reads back exactly the var's
/// type: those whose type the parser cannot infer, or would infer differently. Mirrors the
/// parser's inference, including its fixpoint over `same_as`/`hint` chains.
fn explicit_results(view: &ProgramView<'_>, graph: &Graph) -> Vec<bool> {
    let var_ty = |v: Var| graph.vars.get(v).map(|d| d.ty);
    let mut explicit = vec![true; graph.ops.len()];
    let mut known = vec![false; graph.vars.len()];
    let mark = |known: &mut Vec<bool>, v: Var| {
        if let Some(k) = known.get_mut(v.index()) {
            *k = true;
        }
    };
    for data in graph.blocks.values() {
        for &p in &data.params {
            mark(&mut known, p);
        }
    }
    let mut pending = Vec::new();
    for data in graph.blocks.values() {
        for &op_idx in &data.ops {
            let Some(op) = graph.ops.get(op_idx) else {
                continue;
            };
            let Some(r) = op.result else { continue };
            let implicit = match view.infer_result(op) {
                Inferred::Fixed(t) => t != Ty::Void && Some(t) == var_ty(r),
                Inferred::SameAs(Value::Const(c)) => {
                    view.const_ty(c).is_some() && view.const_ty(c) == var_ty(r)
                }
                Inferred::SameAs(Value::Var(u)) => {
                    pending.push((op_idx, r, u));
                    continue;
                }
                Inferred::Unknown => false,
            };
            explicit[op_idx.index()] = !implicit;
            mark(&mut known, r);
        }
    }
    loop {
        let before = pending.len();
        pending.retain(|&(op_idx, r, u)| {
            if !known.get(u.index()).copied().unwrap_or(false) {
                return true;
            }
            explicit[op_idx.index()] = var_ty(u) != var_ty(r);
            mark(&mut known, r);
            false
        });
        if pending.len() == before {
            break;
        }
    }
    explicit
}

/// Prints every array type and signature (`type ...`) and every struct, merged in an order in
/// which each refers only to what precedes it, so that parsing interns each at its index.
fn write_types(view: &ProgramView<'_>, out: &mut String) {
    let types = view.types();
    let heap: Vec<(HeapTypeIdx, &HeapType)> = types.heap_types().collect();
    let sigs: Vec<(SigIdx, _)> = types.sigs().collect();
    let (mut h, mut s) = (0, 0);
    let ready = |ty: Ty, h: usize, s: usize| match ty {
        Ty::Ref(t) => t.index() < h,
        Ty::Func(f) => f.index() < s,
        _ => true,
    };
    while h < heap.len() || s < sigs.len() {
        let heap_ready = h < heap.len()
            && match heap[h].1 {
                HeapType::Struct(_) => true,
                HeapType::Array(a) => ready(a.elem, h, s),
            };
        let sig_ready = s < sigs.len()
            && sigs[s].1.params.iter().chain([&sigs[s].1.ret]).all(|t| ready(*t, h, s));
        // When neither is ready the table is corrupt: print in index order regardless.
        if heap_ready || (!sig_ready && h < heap.len()) {
            let (idx, ht) = heap[h];
            match ht {
                HeapType::Struct(_) => write_struct(view, out, idx),
                HeapType::Array(_) if idx == TypeTable::STR => {}
                HeapType::Array(_) => {
                    let _ = writeln!(out, "type {}", view.ty_name(Ty::Ref(idx)));
                }
            }
            h += 1;
        } else {
            let _ = writeln!(out, "type {}", view.ty_name(Ty::Func(sigs[s].0)));
            s += 1;
        }
    }
}

fn write_struct(view: &ProgramView<'_>, out: &mut String, t: HeapTypeIdx) {
    let Some(def) = view.struct_def(t) else {
        return;
    };
    out.push_str("struct ");
    write_name(out, &def.name, true);
    if let Some(p) = def.parent {
        let _ = write!(out, " : {}", view.ty_name(Ty::Ref(p)));
    }
    if def.immutable {
        out.push_str(" immutable");
    }
    if let Some(v) = view.types().virtualizable(t) {
        out.push_str(" virtualizable(");
        for (i, f) in v.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let name = def.fields.get(f.index as usize).map_or("?", |f| f.name.as_str());
            write_name(out, name, false);
            if f.items {
                out.push_str("[]");
            }
        }
        out.push(')');
    }
    let own = def.fields.get(def.own_start..).unwrap_or(&[]);
    let split = own.len() > STRUCT_INLINE_FIELDS;
    out.push_str(" {");
    for (i, f) in own.iter().enumerate() {
        out.push_str(if split {
            "\n    "
        } else if i == 0 {
            " "
        } else {
            ", "
        });
        write_name(out, &f.name, false);
        let _ = write!(out, ": {}", view.ty_name(f.ty));
        if view.is_quasi_immutable(t, (def.own_start + i) as u32) {
            out.push_str(" quasi");
        }
        if split {
            out.push(',');
        }
    }
    out.push_str(if split {
        "\n}\n"
    } else if own.is_empty() {
        "}\n"
    } else {
        " }\n"
    });
}

/// One prebuilt object's line, without the newline.
pub(crate) fn prebuilt_line(view: &ProgramView<'_>, p: PrebuiltIdx) -> String {
    let mut out = String::new();
    write_prebuilt(view, &mut out, p);
    out.pop();
    out
}

fn write_prebuilt(view: &ProgramView<'_>, out: &mut String, p: PrebuiltIdx) {
    let _ = write!(out, "prebuilt {p}");
    if let Some(name) = view.program.prebuilt_names.get(&p) {
        out.push(' ');
        write_name(out, name, false);
    }
    out.push_str(" = ");
    match &view.program.prebuilt[p] {
        Prebuilt::Str(chars) => {
            out.push_str("str ");
            write_str_lit(out, chars.iter().copied());
        }
        Prebuilt::Struct(t, consts) => {
            out.push_str(&view.ty_name(Ty::Ref(*t)));
            let fields = view.struct_def(*t).map_or(&[][..], |d| &d.fields[..]);
            out.push_str(" {");
            for (i, c) in consts.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { ", " });
                if let Some(f) = fields.get(i) {
                    write_name(out, &f.name, false);
                    out.push_str(": ");
                }
                out.push_str(&const_text(view, *c));
            }
            out.push_str(if consts.is_empty() { "}" } else { " }" });
        }
        Prebuilt::Array(t, items) => {
            let _ = write!(out, "{} [", view.ty_name(Ty::Ref(*t)));
            for (i, c) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&const_text(view, *c));
            }
            out.push(']');
        }
    }
    out.push('\n');
}
