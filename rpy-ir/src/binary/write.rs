//! Writing a program in the binary form (the layout is in the module header, `mod.rs`).

use super::{FORMAT, MAGIC};
use crate::ir::{Aux, Const, Exit, FuncFlags, Graph, HintFlags, Prebuilt, Program, Target, Value};
use crate::span::Span;
use crate::types::{HeapType, Ty, TypeTable};

/// Tags of [`Ty`].
pub(super) mod ty_tag {
    pub const VOID: u8 = 0;
    pub const BOOL: u8 = 1;
    pub const CHAR: u8 = 2;
    pub const INT: u8 = 3;
    pub const FLOAT: u8 = 4;
    pub const REF: u8 = 5;
    pub const FUNC: u8 = 6;
}

/// Tags of [`Value`]: a variable, or one per kind of [`Const`].
pub(super) mod value_tag {
    pub const VAR: u8 = 0;
    pub const INT: u8 = 1;
    pub const FLOAT: u8 = 2;
    pub const BOOL: u8 = 3;
    pub const CHAR: u8 = 4;
    pub const NULL: u8 = 5;
    pub const PREBUILT: u8 = 6;
    pub const FUNC: u8 = 7;
    pub const PTR: u8 = 8;
}

/// Tags of [`Aux`].
pub(super) mod aux_tag {
    pub const NONE: u8 = 0;
    pub const TYPE: u8 = 1;
    pub const FIELD: u8 = 2;
    pub const ARRAY: u8 = 3;
    pub const GRAPH: u8 = 4;
    pub const SIG: u8 = 5;
    pub const EXTERN: u8 = 6;
    pub const HINT: u8 = 7;
    pub const HOOK: u8 = 8;
}

/// Tags of [`Exit`].
pub(super) mod exit_tag {
    pub const GOTO: u8 = 0;
    pub const BRANCH: u8 = 1;
    pub const SWITCH: u8 = 2;
    pub const RETURN: u8 = 3;
}

/// Tags of [`HeapType`] and [`Prebuilt`].
pub(super) mod heap_tag {
    pub const STRUCT: u8 = 0;
    pub const ARRAY: u8 = 1;
    pub const STR: u8 = 2;
}

/// Flags as a bit mask, bit `i` for the `i`th of `all` (the flags' `NAMES`) that `set` holds.
pub(super) fn flag_bits(all: &[&str], set: &[&str]) -> u32 {
    all.iter().enumerate().filter(|(_, n)| set.contains(n)).fold(0, |m, (i, _)| m | 1 << i)
}

/// The output buffer.
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn sint(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn len(&mut self, n: usize) {
        self.uint(n as u64);
    }

    fn bool(&mut self, b: bool) {
        self.byte(b as u8);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        self.bool(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }

    fn span(&mut self, s: Span) {
        self.uint(s.file.into());
        self.uint(s.line.into());
        self.uint(s.col.into());
    }

    fn ty(&mut self, t: Ty) {
        match t {
            Ty::Void => self.byte(ty_tag::VOID),
            Ty::Bool => self.byte(ty_tag::BOOL),
            Ty::Char => self.byte(ty_tag::CHAR),
            Ty::Int => self.byte(ty_tag::INT),
            Ty::Float => self.byte(ty_tag::FLOAT),
            Ty::Ref(h) => {
                self.byte(ty_tag::REF);
                self.uint(h.as_u32().into());
            }
            Ty::Func(s) => {
                self.byte(ty_tag::FUNC);
                self.uint(s.as_u32().into());
            }
        }
    }

    fn tys(&mut self, tys: &[Ty]) {
        self.len(tys.len());
        tys.iter().for_each(|t| self.ty(*t));
    }

    fn konst(&mut self, c: Const) {
        match c {
            Const::Int(i) => {
                self.byte(value_tag::INT);
                self.sint(i);
            }
            Const::Float(bits) => {
                self.byte(value_tag::FLOAT);
                self.out.extend_from_slice(&bits.to_le_bytes());
            }
            Const::Bool(b) => {
                self.byte(value_tag::BOOL);
                self.bool(b);
            }
            Const::Char(c) => {
                self.byte(value_tag::CHAR);
                self.uint(u32::from(c).into());
            }
            Const::Null(h) => {
                self.byte(value_tag::NULL);
                self.uint(h.as_u32().into());
            }
            Const::Prebuilt(p) => {
                self.byte(value_tag::PREBUILT);
                self.uint(p.as_u32().into());
            }
            Const::Func(g) => {
                self.byte(value_tag::FUNC);
                self.uint(g.as_u32().into());
            }
            Const::Ptr(addr, h) => {
                self.byte(value_tag::PTR);
                self.uint(addr);
                self.uint(h.as_u32().into());
            }
        }
    }

    fn value(&mut self, v: Value) {
        match v {
            Value::Var(v) => {
                self.byte(value_tag::VAR);
                self.uint(v.as_u32().into());
            }
            Value::Const(c) => self.konst(c),
        }
    }

    fn values(&mut self, vs: &[Value]) {
        self.len(vs.len());
        vs.iter().for_each(|v| self.value(*v));
    }

    fn aux(&mut self, aux: &Aux) {
        match aux {
            Aux::None => self.byte(aux_tag::NONE),
            Aux::Type(h) => {
                self.byte(aux_tag::TYPE);
                self.uint(h.as_u32().into());
            }
            Aux::Field(h, f) => {
                self.byte(aux_tag::FIELD);
                self.uint(h.as_u32().into());
                self.uint((*f).into());
            }
            Aux::Array(h) => {
                self.byte(aux_tag::ARRAY);
                self.uint(h.as_u32().into());
            }
            Aux::Graph(g) => {
                self.byte(aux_tag::GRAPH);
                self.uint(g.as_u32().into());
            }
            Aux::Sig(s) => {
                self.byte(aux_tag::SIG);
                self.uint(s.as_u32().into());
            }
            Aux::Extern(name) => {
                self.byte(aux_tag::EXTERN);
                self.str(name);
            }
            Aux::Hint(h) => {
                self.byte(aux_tag::HINT);
                self.uint(flag_bits(&HintFlags::NAMES, &h.names()).into());
            }
            Aux::Hook(n) => {
                self.byte(aux_tag::HOOK);
                self.uint((*n).into());
            }
        }
    }

    fn target(&mut self, t: &Target) {
        self.uint(t.block.as_u32().into());
        self.values(&t.args);
    }

    fn exit(&mut self, e: &Exit) {
        match e {
            Exit::Goto(t) => {
                self.byte(exit_tag::GOTO);
                self.target(t);
            }
            Exit::Branch { cond, if_true, if_false } => {
                self.byte(exit_tag::BRANCH);
                self.value(*cond);
                self.target(if_true);
                self.target(if_false);
            }
            Exit::Switch { value, cases, default } => {
                self.byte(exit_tag::SWITCH);
                self.value(*value);
                self.len(cases.len());
                for (case, t) in cases {
                    self.sint(*case);
                    self.target(t);
                }
                self.target(default);
            }
            Exit::Return(v) => {
                self.byte(exit_tag::RETURN);
                self.bool(v.is_some());
                if let Some(v) = v {
                    self.value(*v);
                }
            }
        }
    }

    fn types(&mut self, types: &TypeTable) {
        // Both counts first: a field may be a function pointer, a signature a struct.
        self.len(types.heap_types().count());
        self.len(types.sigs().count());
        for (_, h) in types.heap_types() {
            match h {
                HeapType::Struct(def) => {
                    self.byte(heap_tag::STRUCT);
                    self.str(&def.name);
                    self.bool(def.immutable);
                    self.bool(def.parent.is_some());
                    if let Some(p) = def.parent {
                        self.uint(p.as_u32().into());
                    }
                    self.len(def.own_start);
                    self.len(def.fields.len());
                    for f in &def.fields {
                        self.str(&f.name);
                        self.ty(f.ty);
                    }
                }
                HeapType::Array(def) => {
                    self.byte(heap_tag::ARRAY);
                    self.ty(def.elem);
                    self.bool(def.immutable);
                }
            }
        }
        for (_, sig) in types.sigs() {
            self.tys(&sig.params);
            self.ty(sig.ret);
        }
        let quasi: Vec<_> = types
            .heap_types()
            .filter_map(|(h, t)| match t {
                HeapType::Struct(def) => Some((h, def.fields.len() as u32)),
                HeapType::Array(_) => None,
            })
            .flat_map(|(h, n)| (0..n).map(move |f| (h, f)))
            .filter(|&(h, f)| types.declaring_struct(h, f) == h)
            .filter(|&(h, f)| types.field_is_quasi_immutable(h, f))
            .collect();
        self.len(quasi.len());
        for (h, f) in quasi {
            self.uint(h.as_u32().into());
            self.uint(f.into());
        }
        self.len(types.virtualizables().count());
        for (h, def) in types.virtualizables() {
            self.uint(h.as_u32().into());
            self.len(def.fields.len());
            for f in &def.fields {
                self.uint(f.index.into());
                self.bool(f.items);
            }
        }
    }

    fn prebuilt(&mut self, p: &Prebuilt) {
        let consts = |w: &mut Writer, tag, h: crate::types::HeapTypeIdx, cs: &[Const]| {
            w.byte(tag);
            w.uint(h.as_u32().into());
            w.len(cs.len());
            cs.iter().for_each(|c| w.konst(*c));
        };
        match p {
            Prebuilt::Str(chars) => {
                self.byte(heap_tag::STR);
                self.len(chars.len());
                chars.iter().for_each(|c| self.uint(u32::from(*c).into()));
            }
            Prebuilt::Struct(h, cs) => consts(self, heap_tag::STRUCT, *h, cs),
            Prebuilt::Array(h, cs) => consts(self, heap_tag::ARRAY, *h, cs),
        }
    }

    fn graph(&mut self, g: &Graph) {
        self.str(&g.name);
        self.tys(&g.params);
        self.ty(g.ret);
        self.span(g.span);
        self.bool(g.tail_calls);
        self.uint(flag_bits(&FuncFlags::NAMES, &g.flags.names()).into());
        self.len(g.vars.len());
        self.len(g.ops.len());
        self.len(g.blocks.len());
        self.uint(g.entry.as_u32().into());
        for v in g.vars.values() {
            self.ty(v.ty);
            self.opt_str(v.name.as_deref());
        }
        for op in g.ops.values() {
            self.uint(op.opcode as u64);
            self.values(&op.args);
            self.bool(op.result.is_some());
            if let Some(r) = op.result {
                self.uint(r.as_u32().into());
            }
            self.aux(&op.aux);
            self.span(op.span);
        }
        for b in g.blocks.values() {
            self.len(b.params.len());
            b.params.iter().for_each(|v| self.uint(v.as_u32().into()));
            self.len(b.ops.len());
            b.ops.iter().for_each(|o| self.uint(o.as_u32().into()));
            self.exit(&b.exit);
            self.span(b.span);
        }
    }
}

/// The bytes of `p`.
pub(super) fn program(p: &Program) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(1 << 20) };
    w.out.extend_from_slice(MAGIC);
    w.uint(FORMAT.into());
    let files: Vec<_> = (0..).map_while(|i| p.sources.file(i)).collect();
    w.len(files.len());
    for f in files {
        w.str(&f.name);
        w.str(&f.text);
    }
    w.types(&p.types);
    w.len(p.graphs.len());
    w.len(p.prebuilt.len());
    p.prebuilt.values().for_each(|o| w.prebuilt(o));
    let mut names: Vec<_> = p.prebuilt_names.iter().collect();
    names.sort();
    w.len(names.len());
    for (idx, name) in names {
        w.uint(idx.as_u32().into());
        w.str(name);
    }
    w.bool(p.exc_state.is_some());
    if let Some(e) = p.exc_state {
        w.uint(e.as_u32().into());
    }
    p.graphs.values().for_each(|g| w.graph(g));
    w.out
}
