//! Bounds-checked lookups into a [`Program`], shared by the printer, the parser, the verifier
//! and the Graphviz export.
//!
//! The printer and the verifier must never panic, even on malformed programs (dangling type,
//! signature, graph or prebuilt indices), so they go through [`ProgramView`] instead of the
//! indexing accessors of [`crate::types::TypeTable`] and [`Program`]. Result-type inference
//! ([`infer_result`]) lives here because the printer and the parser must agree on it exactly:
//! the printer omits a result type only where the parser will infer the same one.

use crate::externs;
use crate::ir::{Aux, Const, Graph, GraphIdx, OpData, Program, Value};
use crate::ops::{Opcode, TyClass};
use crate::types::{ArrayDef, HeapType, HeapTypeIdx, Sig, SigIdx, StructDef, Ty, TypeTable};
use cranelift_entity::EntityRef;
use std::collections::HashMap;
use std::fmt::Write;

/// Which kind of [`Aux`] an opcode carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuxKind {
    None,
    Type,
    Field,
    Array,
    Graph,
    Sig,
    Extern,
    Hint,
    Hook,
}

impl AuxKind {
    /// The kind of `aux`.
    pub(crate) fn of(aux: &Aux) -> AuxKind {
        match aux {
            Aux::None => AuxKind::None,
            Aux::Type(_) => AuxKind::Type,
            Aux::Field(..) => AuxKind::Field,
            Aux::Array(_) => AuxKind::Array,
            Aux::Graph(_) => AuxKind::Graph,
            Aux::Sig(_) => AuxKind::Sig,
            Aux::Extern(_) => AuxKind::Extern,
            Aux::Hint(_) => AuxKind::Hint,
            Aux::Hook(_) => AuxKind::Hook,
        }
    }

    /// The kind of aux data `op` is defined to carry.
    pub(crate) fn expected(op: Opcode) -> AuxKind {
        match op {
            Opcode::Malloc | Opcode::MallocArray | Opcode::InstanceOf | Opcode::Cast => {
                AuxKind::Type
            }
            Opcode::GetField | Opcode::SetField => AuxKind::Field,
            Opcode::GetArrayItem | Opcode::SetArrayItem => AuxKind::Array,
            Opcode::Call => AuxKind::Graph,
            Opcode::CallIndirect => AuxKind::Sig,
            Opcode::CallExtern => AuxKind::Extern,
            Opcode::Hint => AuxKind::Hint,
            Opcode::JitHook | Opcode::JitMerge => AuxKind::Hook,
            _ => AuxKind::None,
        }
    }

    /// The keyword of the explicit aux form `[kind payload]`.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            AuxKind::None => "none",
            AuxKind::Type => "type",
            AuxKind::Field => "field",
            AuxKind::Array => "array",
            AuxKind::Graph => "graph",
            AuxKind::Sig => "sig",
            AuxKind::Extern => "extern",
            AuxKind::Hint => "hint",
            AuxKind::Hook => "hook",
        }
    }
}

/// What the result type of an op is, as far as its opcode, aux data and operands tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inferred {
    /// Known from the opcode and aux alone (`Void`: the op has no result).
    Fixed(Ty),
    /// The type of this operand.
    SameAs(Value),
    /// Not inferable (malformed aux, dangling reference, no operand).
    Unknown,
}

/// Bounds-checked, allocation-light read access to a program.
pub(crate) struct ProgramView<'a> {
    pub(crate) program: &'a Program,
    heap: Vec<&'a HeapType>,
    sigs: Vec<&'a Sig>,
    sig_ids: HashMap<(&'a [Ty], Ty), SigIdx>,
}

/// Type names that would be read as something else if a struct carried them.
const TYPE_KEYWORDS: [&str; 9] =
    ["int", "float", "bool", "char", "void", "str", "array", "frozen", "fn"];

/// Whether `s` can be printed without quotes (an identifier).
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Appends the code points `chars` as a string literal with escapes (printable ASCII as
/// itself, others as `\xHH`, `\uHHHH` or `\UHHHHHHHH`, so the text stays ASCII).
pub(crate) fn write_str_lit(out: &mut String, chars: impl IntoIterator<Item = char>) {
    out.push('"');
    for c in chars {
        match c {
            '"' => out.push_str("\\\""),
            _ => write_char_body(out, c),
        }
    }
    out.push('"');
}

/// One code point inside a literal, escaped as [`write_str_lit`] says (quotes are the
/// caller's).
fn write_char_body(out: &mut String, c: char) {
    let _ = match c {
        '\\' => write!(out, "\\\\"),
        '\n' => write!(out, "\\n"),
        '\t' => write!(out, "\\t"),
        '\r' => write!(out, "\\r"),
        ' '..='~' => write!(out, "{c}"),
        '\0'..='\u{ff}' => write!(out, "\\x{:02x}", c as u32),
        '\u{100}'..='\u{ffff}' => write!(out, "\\u{:04x}", c as u32),
        _ => write!(out, "\\U{:08x}", c as u32),
    };
}

/// Appends a name: bare if it is an identifier (and not a type keyword when `in_type`),
/// quoted otherwise.
pub(crate) fn write_name(out: &mut String, name: &str, in_type: bool) {
    if is_ident(name) && !(in_type && TYPE_KEYWORDS.contains(&name)) {
        out.push_str(name);
    } else {
        write_str_lit(out, name.chars());
    }
}

/// A char literal: `'a'`, `'\n'`, `'\x00'`, `'\u263a'`.
pub(crate) fn char_lit(c: char) -> String {
    let mut out = String::from("'");
    match c {
        '\'' => out.push_str("\\'"),
        _ => write_char_body(&mut out, c),
    }
    out.push('\'');
    out
}

/// A float literal that parses back to exactly `bits`.
pub(crate) fn float_lit(bits: u64) -> String {
    const CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;
    let f = f64::from_bits(bits);
    if f.is_nan() {
        if bits == CANONICAL_NAN {
            "nan".to_string()
        } else {
            format!("nan(0x{bits:016x})")
        }
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        // `{:?}` is the shortest text that parses back to the same bits, and always has a
        // `.` or an exponent, which tells floats from ints.
        format!("{f:?}")
    }
}

impl<'a> ProgramView<'a> {
    /// A view of `program`.
    pub(crate) fn new(program: &'a Program) -> ProgramView<'a> {
        let heap: Vec<&HeapType> = program.types.heap_types().map(|(_, h)| h).collect();
        let sigs: Vec<&Sig> = program.types.sigs().map(|(_, s)| s).collect();
        let sig_ids =
            program.types.sigs().map(|(i, s)| ((s.params.as_slice(), s.ret), i)).collect();
        ProgramView { program, heap, sigs, sig_ids }
    }

    /// The type table.
    pub(crate) fn types(&self) -> &'a TypeTable {
        &self.program.types
    }

    /// A heap type, if `t` exists.
    pub(crate) fn heap(&self, t: HeapTypeIdx) -> Option<&'a HeapType> {
        self.heap.get(t.index()).copied()
    }

    /// Whether field `idx` of struct `t` is quasi-immutable (declared so by `t` itself).
    pub(crate) fn is_quasi_immutable(&self, t: HeapTypeIdx, idx: u32) -> bool {
        self.program.types.field_is_quasi_immutable(t, idx)
            && self.program.types.declaring_struct(t, idx) == t
    }

    /// The struct `t`, if it exists and is a struct.
    pub(crate) fn struct_def(&self, t: HeapTypeIdx) -> Option<&'a StructDef> {
        match self.heap(t)? {
            HeapType::Struct(s) => Some(s),
            HeapType::Array(_) => None,
        }
    }

    /// The array `t`, if it exists and is an array.
    pub(crate) fn array_def(&self, t: HeapTypeIdx) -> Option<ArrayDef> {
        match self.heap(t)? {
            HeapType::Array(a) => Some(*a),
            HeapType::Struct(_) => None,
        }
    }

    /// A signature, if `s` exists.
    pub(crate) fn sig(&self, s: SigIdx) -> Option<&'a Sig> {
        self.sigs.get(s.index()).copied()
    }

    /// A graph, if `g` exists.
    pub(crate) fn graph(&self, g: GraphIdx) -> Option<&'a Graph> {
        self.program.graphs.get(g)
    }

    /// The interned signature of graph `g`, if both exist.
    pub(crate) fn graph_sig(&self, g: GraphIdx) -> Option<SigIdx> {
        let graph = self.graph(g)?;
        self.sig_ids.get(&(graph.params.as_slice(), graph.ret)).copied()
    }

    /// The type of a constant, if everything it refers to exists.
    pub(crate) fn const_ty(&self, c: Const) -> Option<Ty> {
        Some(match c {
            Const::Int(_) => Ty::Int,
            Const::Float(_) => Ty::Float,
            Const::Bool(_) => Ty::Bool,
            Const::Char(_) => Ty::Char,
            Const::Null(t) => {
                self.heap(t)?;
                Ty::Ref(t)
            }
            Const::Prebuilt(p) => Ty::Ref(self.program.prebuilt.get(p)?.heap_type()),
            Const::Func(g) => Ty::Func(self.graph_sig(g)?),
            Const::Ptr(_, t) => {
                self.heap(t)?;
                Ty::Ref(t)
            }
        })
    }

    /// The type of an operand of `graph`, if it exists.
    pub(crate) fn value_ty(&self, graph: &Graph, v: Value) -> Option<Ty> {
        match v {
            Value::Var(v) => graph.vars.get(v).map(|d| d.ty),
            Value::Const(c) => self.const_ty(c),
        }
    }

    /// Whether every index inside `ty` exists.
    pub(crate) fn ty_exists(&self, ty: Ty) -> bool {
        match ty {
            Ty::Ref(t) => self.heap(t).is_some(),
            Ty::Func(s) => self.sig(s).is_some(),
            _ => true,
        }
    }

    /// Whether `sub` is `sup` or inherits from it; safe on parent cycles.
    pub(crate) fn is_subtype(&self, sub: HeapTypeIdx, sup: HeapTypeIdx) -> bool {
        let mut cur = Some(sub);
        for _ in 0..=self.heap.len() {
            match cur {
                Some(t) if t == sup => return true,
                Some(t) => cur = self.struct_def(t).and_then(|s| s.parent),
                None => return false,
            }
        }
        false
    }

    /// Whether a value of type `from` may be used where `to` is expected.
    pub(crate) fn assignable(&self, from: Ty, to: Ty) -> bool {
        match (from, to) {
            (Ty::Ref(a), Ty::Ref(b)) => self.is_subtype(a, b),
            _ => from == to,
        }
    }

    /// A type in the text syntax (`int`, `IntObj`, `array[int]`, `fn(int) -> bool`).
    pub(crate) fn ty_name(&self, ty: Ty) -> String {
        let mut out = String::new();
        self.write_ty(&mut out, ty, 0);
        out
    }

    fn write_ty(&self, out: &mut String, ty: Ty, depth: usize) {
        // Only a corrupted table can nest this deep (array types refer to earlier types).
        if depth > 64 {
            out.push_str("<...>");
            return;
        }
        match ty {
            Ty::Void => out.push_str("void"),
            Ty::Bool => out.push_str("bool"),
            Ty::Char => out.push_str("char"),
            Ty::Int => out.push_str("int"),
            Ty::Float => out.push_str("float"),
            Ty::Ref(t) => match self.heap(t) {
                None => {
                    let _ = write!(out, "<missing {t}>");
                }
                Some(HeapType::Struct(s)) => write_name(out, &s.name, true),
                Some(HeapType::Array(_)) if t == TypeTable::STR => out.push_str("str"),
                Some(HeapType::Array(a)) => {
                    out.push_str(if a.immutable { "frozen[" } else { "array[" });
                    self.write_ty(out, a.elem, depth + 1);
                    out.push(']');
                }
            },
            Ty::Func(s) => match self.sig(s) {
                None => {
                    let _ = write!(out, "<missing {s}>");
                }
                Some(sig) => {
                    out.push_str("fn(");
                    for (i, p) in sig.params.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        self.write_ty(out, *p, depth + 1);
                    }
                    out.push_str(") -> ");
                    self.write_ty(out, sig.ret, depth + 1);
                }
            },
        }
    }

    /// What `op`'s result type is by the op table and its aux data.
    pub(crate) fn infer_result(&self, op: &OpData) -> Inferred {
        let info = op.opcode.info();
        let same_as_first = || op.args.first().map_or(Inferred::Unknown, |v| Inferred::SameAs(*v));
        match info.result {
            TyClass::I => return Inferred::Fixed(Ty::Int),
            TyClass::F => return Inferred::Fixed(Ty::Float),
            TyClass::B => return Inferred::Fixed(Ty::Bool),
            TyClass::C => return Inferred::Fixed(Ty::Char),
            TyClass::V => return Inferred::Fixed(Ty::Void),
            TyClass::Any => return same_as_first(),
            TyClass::R | TyClass::P => return Inferred::Unknown,
            TyClass::Dyn => {}
        }
        let fixed = |t: Option<Ty>| t.map_or(Inferred::Unknown, Inferred::Fixed);
        match (op.opcode, &op.aux) {
            (Opcode::Malloc | Opcode::MallocArray | Opcode::Cast, Aux::Type(t)) => {
                fixed(self.heap(*t).map(|_| Ty::Ref(*t)))
            }
            (Opcode::GetField, Aux::Field(s, i)) => {
                fixed(self.struct_def(*s).and_then(|d| d.fields.get(*i as usize)).map(|f| f.ty))
            }
            (Opcode::GetArrayItem, Aux::Array(a)) => fixed(self.array_def(*a).map(|a| a.elem)),
            (Opcode::Call, Aux::Graph(g)) => fixed(self.graph(*g).map(|g| g.ret)),
            (Opcode::CallIndirect, Aux::Sig(s)) => fixed(self.sig(*s).map(|s| s.ret)),
            (Opcode::CallExtern, Aux::Extern(name)) => {
                fixed(externs::lookup(name).and_then(|e| e.ret.ty_in(&self.program.types)))
            }
            (Opcode::Hint, Aux::Hint(f)) if f.global_merge_point => Inferred::Fixed(Ty::Void),
            (Opcode::Hint, Aux::Hint(_)) => same_as_first(),
            // What a JIT hook returns is named only by the op's result: always written out.
            (Opcode::JitHook, _) => Inferred::Unknown,
            _ => Inferred::Unknown,
        }
    }
}
