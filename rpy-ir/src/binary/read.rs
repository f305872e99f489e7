//! Reading a program back from the binary form, checking every index as it is read (the
//! layout is in the module header, `mod.rs`).

use super::write::{aux_tag, exit_tag, heap_tag, ty_tag, value_tag};
use super::{DecodeError, FORMAT, MAGIC};
use crate::ir::{
    Aux, Block, BlockData, Const, Exit, FuncFlags, Graph, GraphIdx, HintFlags, OpData, OpIdx,
    Prebuilt, PrebuiltIdx, Program, Target, Value, Var, VarData,
};
use crate::ops::Opcode;
use crate::span::{SourceMap, Span};
use crate::types::{Field, HeapType, HeapTypeIdx, SigIdx, StructDef, Ty, TypeTable};
use crate::virtualizable::{VirtualizableDef, VirtualizedField};
use cranelift_entity::{EntityRef, PrimaryMap};

/// The arena sizes references are checked against.
#[derive(Clone, Copy, Default)]
struct Counts {
    heap: usize,
    sigs: usize,
    prebuilt: usize,
    graphs: usize,
    /// Of the graph being read.
    vars: usize,
    ops: usize,
    blocks: usize,
}

/// The input and what is known of the program so far.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    counts: Counts,
}

type R<T> = Result<T, DecodeError>;

impl<'a> Reader<'a> {
    fn invalid<T>(&self, what: &'static str) -> R<T> {
        Err(DecodeError::Invalid { what, at: self.at })
    }

    fn byte(&mut self) -> R<u8> {
        let b = *self.bytes.get(self.at).ok_or(DecodeError::Truncated(self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> R<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(DecodeError::Truncated(self.bytes.len()))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn uint(&mut self) -> R<u64> {
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return self.invalid("varint");
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return self.invalid("varint");
            }
        }
    }

    fn sint(&mut self) -> R<i64> {
        let u = self.uint()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    fn u32(&mut self, what: &'static str) -> R<u32> {
        let v = self.uint()?;
        u32::try_from(v).or_else(|_| self.invalid(what))
    }

    /// A count, bounded by the bytes left (each item takes at least one byte), so a corrupt
    /// length cannot make a huge allocation.
    fn len(&mut self) -> R<usize> {
        let n = self.uint()?;
        match usize::try_from(n) {
            Ok(n) if n <= self.bytes.len() - self.at => Ok(n),
            _ => self.invalid("length"),
        }
    }

    fn bool(&mut self) -> R<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => self.invalid("bool"),
        }
    }

    fn str(&mut self) -> R<String> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => self.invalid("string"),
        }
    }

    fn opt_str(&mut self) -> R<Option<String>> {
        Ok(if self.bool()? { Some(self.str()?) } else { None })
    }

    /// An index below `count`.
    fn index(&mut self, count: usize, what: &'static str) -> R<usize> {
        let v = self.uint()?;
        match usize::try_from(v) {
            Ok(i) if i < count => Ok(i),
            _ => self.invalid(what),
        }
    }

    fn heap_type(&mut self) -> R<HeapTypeIdx> {
        Ok(HeapTypeIdx::new(self.index(self.counts.heap, "heap type")?))
    }

    fn sig(&mut self) -> R<SigIdx> {
        Ok(SigIdx::new(self.index(self.counts.sigs, "signature")?))
    }

    fn graph_idx(&mut self) -> R<GraphIdx> {
        Ok(GraphIdx::new(self.index(self.counts.graphs, "graph")?))
    }

    fn prebuilt_idx(&mut self) -> R<PrebuiltIdx> {
        Ok(PrebuiltIdx::new(self.index(self.counts.prebuilt, "prebuilt object")?))
    }

    fn var(&mut self) -> R<Var> {
        Ok(Var::new(self.index(self.counts.vars, "variable")?))
    }

    fn block(&mut self) -> R<Block> {
        Ok(Block::new(self.index(self.counts.blocks, "block")?))
    }

    fn span(&mut self) -> R<Span> {
        Ok(Span { file: self.u32("span")?, line: self.u32("span")?, col: self.u32("span")? })
    }

    fn char(&mut self) -> R<char> {
        let c = self.u32("char")?;
        char::from_u32(c).map_or_else(|| self.invalid("char"), Ok)
    }

    fn ty(&mut self) -> R<Ty> {
        Ok(match self.byte()? {
            ty_tag::VOID => Ty::Void,
            ty_tag::BOOL => Ty::Bool,
            ty_tag::CHAR => Ty::Char,
            ty_tag::INT => Ty::Int,
            ty_tag::FLOAT => Ty::Float,
            ty_tag::REF => Ty::Ref(self.heap_type()?),
            ty_tag::FUNC => Ty::Func(self.sig()?),
            _ => return self.invalid("type"),
        })
    }

    fn tys(&mut self) -> R<Vec<Ty>> {
        let n = self.len()?;
        (0..n).map(|_| self.ty()).collect()
    }

    /// A value whose tag has been read: a constant's payload.
    fn konst(&mut self, tag: u8) -> R<Const> {
        Ok(match tag {
            value_tag::INT => Const::Int(self.sint()?),
            value_tag::FLOAT => {
                let b = self.take(8)?;
                Const::Float(u64::from_le_bytes(b.try_into().expect("8 bytes")))
            }
            value_tag::BOOL => Const::Bool(self.bool()?),
            value_tag::CHAR => Const::Char(self.char()?),
            value_tag::NULL => Const::Null(self.heap_type()?),
            value_tag::PREBUILT => Const::Prebuilt(self.prebuilt_idx()?),
            value_tag::FUNC => Const::Func(self.graph_idx()?),
            value_tag::PTR => {
                let addr = self.uint()?;
                Const::Ptr(addr, self.heap_type()?)
            }
            _ => return self.invalid("constant"),
        })
    }

    fn constant(&mut self) -> R<Const> {
        let tag = self.byte()?;
        self.konst(tag)
    }

    fn value(&mut self) -> R<Value> {
        match self.byte()? {
            value_tag::VAR => Ok(Value::Var(self.var()?)),
            tag => Ok(Value::Const(self.konst(tag)?)),
        }
    }

    fn values(&mut self) -> R<Vec<Value>> {
        let n = self.len()?;
        (0..n).map(|_| self.value()).collect()
    }

    /// Flags from their bit mask (`write::flag_bits`), each set by name.
    fn flags(&mut self, names: &[&str], mut set: impl FnMut(&str) -> bool) -> R<()> {
        let bits = self.uint()?;
        if bits >> names.len() != 0 {
            return self.invalid("flags");
        }
        for (i, name) in names.iter().enumerate() {
            if bits & (1 << i) != 0 && !set(name) {
                return self.invalid("flags");
            }
        }
        Ok(())
    }

    fn aux(&mut self) -> R<Aux> {
        Ok(match self.byte()? {
            aux_tag::NONE => Aux::None,
            aux_tag::TYPE => Aux::Type(self.heap_type()?),
            aux_tag::FIELD => Aux::Field(self.heap_type()?, self.u32("field")?),
            aux_tag::ARRAY => Aux::Array(self.heap_type()?),
            aux_tag::GRAPH => Aux::Graph(self.graph_idx()?),
            aux_tag::SIG => Aux::Sig(self.sig()?),
            aux_tag::EXTERN => Aux::Extern(self.str()?),
            aux_tag::HINT => {
                let mut h = HintFlags::default();
                self.flags(&HintFlags::NAMES, |n| h.set(n))?;
                Aux::Hint(h)
            }
            aux_tag::HOOK => Aux::Hook(self.u32("hook")?),
            _ => return self.invalid("aux"),
        })
    }

    fn target(&mut self) -> R<Target> {
        Ok(Target { block: self.block()?, args: self.values()? })
    }

    fn exit(&mut self) -> R<Exit> {
        Ok(match self.byte()? {
            exit_tag::GOTO => Exit::Goto(self.target()?),
            exit_tag::BRANCH => Exit::Branch {
                cond: self.value()?,
                if_true: self.target()?,
                if_false: self.target()?,
            },
            exit_tag::SWITCH => {
                let value = self.value()?;
                let n = self.len()?;
                let cases = (0..n).map(|_| Ok((self.sint()?, self.target()?))).collect::<R<_>>()?;
                Exit::Switch { value, cases, default: self.target()? }
            }
            exit_tag::RETURN => Exit::Return(if self.bool()? { Some(self.value()?) } else { None }),
            _ => return self.invalid("exit"),
        })
    }

    fn sources(&mut self) -> R<SourceMap> {
        let mut sources = SourceMap::default();
        for _ in 0..self.len()? {
            let (name, text) = (self.str()?, self.str()?);
            sources.add(name, text);
        }
        Ok(sources)
    }

    /// The type table, rebuilt through its constructors: heap types in index order (each
    /// must come out at its index), then the structs' fields, parents first.
    fn types(&mut self) -> R<TypeTable> {
        let mut table = TypeTable::new();
        let (n, sigs) = (self.len()?, self.len()?);
        self.counts.heap = n;
        self.counts.sigs = sigs;
        let mut structs: Vec<(HeapTypeIdx, StructDef)> = Vec::new();
        for i in 0..n {
            let idx = match self.byte()? {
                heap_tag::STRUCT => {
                    let (name, immutable) = (self.str()?, self.bool()?);
                    let parent = if self.bool()? { Some(self.heap_type()?) } else { None };
                    let own_start = self.len()?;
                    let fields = (0..self.len()?)
                        .map(|_| Ok(Field { name: self.str()?, ty: self.ty()? }))
                        .collect::<R<Vec<_>>>()?;
                    let def = StructDef { name, parent, fields, own_start, immutable };
                    let idx = table.declare_struct(&def.name, immutable);
                    let idx = idx.map_or_else(|| self.invalid("struct name"), Ok)?;
                    structs.push((idx, def));
                    idx
                }
                heap_tag::ARRAY => {
                    let (elem, immutable) = (self.ty()?, self.bool()?);
                    table.array(elem, immutable)
                }
                _ => return self.invalid("heap type"),
            };
            if idx.index() != i {
                return self.invalid("heap type order");
            }
        }
        self.fields(&mut table, &structs)?;
        for i in 0..sigs {
            let (params, ret) = (self.tys()?, self.ty()?);
            if table.sig(params, ret).index() != i {
                return self.invalid("signature order");
            }
        }
        for _ in 0..self.len()? {
            let (h, f) = (self.heap_type()?, self.u32("field")?);
            table.set_quasi_immutable(h, f);
        }
        for _ in 0..self.len()? {
            let h = self.heap_type()?;
            let fields = (0..self.len()?)
                .map(|_| Ok(VirtualizedField { index: self.u32("field")?, items: self.bool()? }))
                .collect::<R<Vec<_>>>()?;
            table.set_virtualizable(h, VirtualizableDef { fields });
        }
        Ok(table)
    }

    /// Sets every struct's fields, each parent before its children; each must come out as
    /// it was written.
    fn fields(&self, table: &mut TypeTable, structs: &[(HeapTypeIdx, StructDef)]) -> R<()> {
        let mut done = vec![false; self.counts.heap];
        for (idx, _) in structs {
            // The chain of structs not yet set, from `idx` up to a set one or a root.
            let mut chain = Vec::new();
            let mut cur = Some(*idx);
            while let Some(c) = cur.filter(|c| !done[c.index()]) {
                let Some((_, def)) = structs.iter().find(|(i, _)| *i == c) else {
                    return self.invalid("struct parent");
                };
                if chain.len() > structs.len() {
                    return self.invalid("struct parent");
                }
                chain.push((c, def));
                cur = def.parent;
            }
            for (c, def) in chain.into_iter().rev() {
                let own = def
                    .fields
                    .get(def.own_start..)
                    .map_or_else(|| self.invalid("own fields"), Ok)?;
                table.set_fields(c, def.parent, own.to_vec());
                if table.heap(c) != &HeapType::Struct(def.clone()) {
                    return self.invalid("struct fields");
                }
                done[c.index()] = true;
            }
        }
        Ok(())
    }

    fn prebuilt(&mut self) -> R<Prebuilt> {
        Ok(match self.byte()? {
            heap_tag::STR => {
                let n = self.len()?;
                Prebuilt::Str((0..n).map(|_| self.char()).collect::<R<_>>()?)
            }
            tag @ (heap_tag::STRUCT | heap_tag::ARRAY) => {
                let h = self.heap_type()?;
                let n = self.len()?;
                let items = (0..n).map(|_| self.constant()).collect::<R<_>>()?;
                match tag {
                    heap_tag::STRUCT => Prebuilt::Struct(h, items),
                    _ => Prebuilt::Array(h, items),
                }
            }
            _ => return self.invalid("prebuilt object"),
        })
    }

    fn graph(&mut self) -> R<Graph> {
        let (name, params, ret, span) = (self.str()?, self.tys()?, self.ty()?, self.span()?);
        let tail_calls = self.bool()?;
        let mut flags = FuncFlags::default();
        self.flags(&FuncFlags::NAMES, |n| flags.set(n))?;
        let (vars, ops, blocks) = (self.len()?, self.len()?, self.len()?);
        self.counts = Counts { vars, ops, blocks, ..self.counts };
        let entry = self.block()?;
        let mut g = Graph {
            name,
            params,
            ret,
            entry,
            blocks: PrimaryMap::with_capacity(blocks),
            vars: PrimaryMap::with_capacity(vars),
            ops: PrimaryMap::with_capacity(ops),
            span,
            tail_calls,
            flags,
        };
        for _ in 0..vars {
            g.vars.push(VarData { ty: self.ty()?, name: self.opt_str()? });
        }
        for _ in 0..ops {
            let opcode = *Opcode::ALL
                .get(self.index(Opcode::ALL.len(), "opcode")?)
                .expect("an index below the length");
            let args = self.values()?;
            let result = if self.bool()? { Some(self.var()?) } else { None };
            g.ops.push(OpData { opcode, args, result, aux: self.aux()?, span: self.span()? });
        }
        for _ in 0..blocks {
            let params = (0..self.len()?).map(|_| self.var()).collect::<R<_>>()?;
            let ops = (0..self.len()?)
                .map(|_| Ok(OpIdx::new(self.index(self.counts.ops, "op")?)))
                .collect::<R<_>>()?;
            g.blocks.push(BlockData { params, ops, exit: self.exit()?, span: self.span()? });
        }
        Ok(g)
    }
}

/// The program in `bytes`.
pub(super) fn program(bytes: &[u8]) -> Result<Program, DecodeError> {
    let mut r = Reader { bytes, at: 0, counts: Counts::default() };
    if r.take(4).ok() != Some(MAGIC.as_slice()) || r.uint().ok() != Some(FORMAT.into()) {
        return Err(DecodeError::BadHeader);
    }
    let sources = r.sources()?;
    let types = r.types()?;
    // Counts first: a prebuilt object may name a graph.
    let n = r.len()?;
    r.counts.graphs = n;
    let count = r.len()?;
    r.counts.prebuilt = count;
    let mut prebuilt = PrimaryMap::with_capacity(count);
    for _ in 0..count {
        prebuilt.push(r.prebuilt()?);
    }
    let mut prebuilt_names = std::collections::HashMap::new();
    for _ in 0..r.len()? {
        let (idx, name) = (r.prebuilt_idx()?, r.str()?);
        prebuilt_names.insert(idx, name);
    }
    let exc_state = if r.bool()? { Some(r.prebuilt_idx()?) } else { None };
    let mut graphs = PrimaryMap::with_capacity(n);
    for _ in 0..n {
        graphs.push(r.graph()?);
    }
    if r.at != bytes.len() {
        return Err(DecodeError::Trailing(bytes.len() - r.at));
    }
    Ok(Program { types, graphs, prebuilt, prebuilt_names, sources, exc_state })
}
