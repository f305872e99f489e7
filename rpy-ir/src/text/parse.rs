//! The parser: tokens to a syntax tree whose names are still unresolved; [`super::build`]
//! turns the tree into a [`Program`]. Splitting the two lets the text refer to structs, graphs
//! and prebuilt objects declared further down.

use super::lex::{lex, Tok, Token};
use super::TextError;
use crate::ir::{HintFlags, Program};
use crate::ops::Opcode;

/// Parses the text form into a program, or reports the first error with its position.
pub fn parse_program(text: &str) -> Result<Program, TextError> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, pos: 0, type_depth: 0 };
    let items = p.items()?;
    super::build::build(items, text)
}

/// Entity numbers above this are rejected: the parser allocates every index up to the largest.
const MAX_INDEX: u32 = 1 << 20;

/// Types nested deeper than this are rejected (the parser and resolver recurse on types).
const MAX_TYPE_DEPTH: usize = 64;

/// A line:column position in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Pos {
    pub(super) line: u32,
    pub(super) col: u32,
}

impl Pos {
    pub(super) fn err(self, message: impl Into<String>) -> TextError {
        TextError { line: self.line, col: self.col, message: message.into() }
    }
}

pub(super) enum TypeAst {
    Int,
    Float,
    Bool,
    Char,
    Void,
    Str,
    /// `array[T]` (false) or `frozen[T]` (true).
    Array(Box<TypeAst>, bool),
    Fn(Vec<TypeAst>, Box<TypeAst>),
    Named(String, Pos),
}

pub(super) enum ConstAst {
    Int(i64),
    Float(u64),
    Bool(bool),
    Char(char),
    Null(TypeAst, Pos),
    Prebuilt(u32, Pos),
    Func(String, Pos),
    Ptr(u64, TypeAst, Pos),
}

pub(super) enum ValueAst {
    Var(u32),
    Const(ConstAst),
}

pub(super) struct StructAst {
    pub(super) pos: Pos,
    pub(super) name: String,
    pub(super) parent: Option<(String, Pos)>,
    pub(super) immutable: bool,
    pub(super) fields: Vec<(String, TypeAst)>,
    /// `virtualizable(depth, locals[])`: field names, each with whether its items are.
    pub(super) virtualizable: Option<Vec<(String, bool, Pos)>>,
    /// Fields marked `quasi` (quasi-immutable).
    pub(super) quasi: Vec<String>,
}

pub(super) enum PrebuiltBody {
    Str(Vec<char>),
    Struct(TypeAst, Vec<(Option<(String, Pos)>, ConstAst)>),
    Array(TypeAst, Vec<ConstAst>),
}

pub(super) struct PrebuiltAst {
    pub(super) pos: Pos,
    pub(super) index: u32,
    pub(super) name: Option<String>,
    pub(super) body: PrebuiltBody,
}

pub(super) enum FieldRef {
    Name(String),
    Index(u32),
}

pub(super) enum AuxAst {
    None,
    Type(TypeAst),
    Field(TypeAst, FieldRef, Pos),
    Array(TypeAst),
    Graph(String, Pos),
    Sig(TypeAst, Pos),
    Extern(String),
    Hint(HintFlags),
    /// `#N`: a `jit_hook` call site.
    Hook(u32),
}

pub(super) struct OpAst {
    pub(super) pos: Pos,
    /// The result variable and its explicit type, if given.
    pub(super) result: Option<(u32, Option<TypeAst>)>,
    pub(super) opcode: Opcode,
    pub(super) aux: AuxAst,
    pub(super) args: Vec<ValueAst>,
}

pub(super) struct TargetAst {
    pub(super) block: u32,
    pub(super) args: Vec<ValueAst>,
}

pub(super) enum ExitAst {
    Goto(TargetAst),
    Branch(ValueAst, TargetAst, TargetAst),
    Switch(ValueAst, Vec<(i64, TargetAst)>, TargetAst),
    Return(Option<ValueAst>),
}

pub(super) struct BlockAst {
    pub(super) pos: Pos,
    pub(super) index: u32,
    pub(super) params: Vec<(u32, TypeAst)>,
    pub(super) ops: Vec<OpAst>,
    pub(super) exit: ExitAst,
}

pub(super) struct GraphAst {
    pub(super) pos: Pos,
    pub(super) name: String,
    pub(super) params: Vec<TypeAst>,
    pub(super) ret: TypeAst,
    pub(super) entry: Option<u32>,
    pub(super) tail_calls: bool,
    pub(super) blocks: Vec<BlockAst>,
    pub(super) flags: crate::ir::FuncFlags,
}

pub(super) enum Item {
    Struct(StructAst),
    Type(TypeAst),
    Prebuilt(PrebuiltAst),
    Graph(GraphAst),
    /// `exception_state pbN`: the prebuilt holding the pending exception.
    ExcState(u32, Pos),
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    type_depth: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)].tok
    }

    fn here(&self) -> Pos {
        let t = &self.tokens[self.pos];
        Pos { line: t.line, col: t.col }
    }

    fn next(&mut self) -> Tok {
        let t = self.tokens[self.pos].tok.clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn describe(tok: &Tok) -> String {
        match tok {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Int(i) => format!("`{i}`"),
            Tok::Hex(h) => format!("`0x{h:x}`"),
            Tok::Float(_) => "a float".into(),
            Tok::Str(_) => "a string".into(),
            Tok::Char(_) => "a char".into(),
            Tok::Punct(c) => format!("`{c}`"),
            Tok::Arrow => "`->`".into(),
            Tok::Newline => "end of line".into(),
            Tok::Eof => "end of input".into(),
        }
    }

    fn unexpected<T>(&self, wanted: &str) -> Result<T, TextError> {
        Err(self.here().err(format!("expected {wanted}, found {}", Self::describe(self.peek()))))
    }

    fn eat(&mut self, c: char) -> bool {
        if *self.peek() == Tok::Punct(c) {
            self.next();
            return true;
        }
        false
    }

    fn expect(&mut self, c: char) -> Result<(), TextError> {
        if self.eat(c) {
            return Ok(());
        }
        self.unexpected(&format!("`{c}`"))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if matches!(self.peek(), Tok::Ident(s) if s == kw) {
            self.next();
            return true;
        }
        false
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), TextError> {
        if self.eat_kw(kw) {
            return Ok(());
        }
        self.unexpected(&format!("`{kw}`"))
    }

    fn expect_arrow(&mut self) -> Result<(), TextError> {
        if *self.peek() == Tok::Arrow {
            self.next();
            return Ok(());
        }
        self.unexpected("`->`")
    }

    fn end_line(&mut self) -> Result<(), TextError> {
        match self.peek() {
            Tok::Newline => {
                self.skip_newlines();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => self.unexpected("end of line"),
        }
    }

    fn skip_newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.next();
        }
    }

    /// A name: an identifier or a quoted string.
    fn name(&mut self, what: &str) -> Result<String, TextError> {
        match self.peek().clone() {
            Tok::Ident(s) => {
                self.next();
                Ok(s)
            }
            Tok::Str(text) => {
                self.next();
                Ok(text)
            }
            _ => self.unexpected(what),
        }
    }

    /// An entity reference `prefix<digits>` (`v3`, `block2`, `pb0`).
    fn entity(&mut self, prefix: &str) -> Result<u32, TextError> {
        let pos = self.here();
        if let Tok::Ident(s) = self.peek() {
            if let Some(n) = entity_index(s, prefix) {
                self.next();
                return match n {
                    Some(n) if n <= MAX_INDEX => Ok(n),
                    _ => Err(pos.err(format!("{prefix} index too large"))),
                };
            }
        }
        self.unexpected(&format!("`{prefix}N`"))
    }

    fn is_entity(&self, prefix: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if entity_index(s, prefix).is_some())
    }

    /// `open item {, item} [,] close`, with newlines allowed between items.
    fn list<T>(
        &mut self,
        open: char,
        close: char,
        mut item: impl FnMut(&mut Self) -> Result<T, TextError>,
    ) -> Result<Vec<T>, TextError> {
        self.expect(open)?;
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat(close) {
                return Ok(out);
            }
            out.push(item(self)?);
            self.skip_newlines();
            if !self.eat(',') {
                self.skip_newlines();
                self.expect(close)?;
                return Ok(out);
            }
        }
    }

    fn items(&mut self) -> Result<Vec<Item>, TextError> {
        let mut items = Vec::new();
        self.skip_newlines();
        while *self.peek() != Tok::Eof {
            let item = match self.peek() {
                Tok::Ident(s) if s == "struct" => Item::Struct(self.struct_decl()?),
                Tok::Ident(s) if s == "type" => {
                    self.next();
                    Item::Type(self.ty()?)
                }
                Tok::Ident(s) if s == "prebuilt" => Item::Prebuilt(self.prebuilt()?),
                Tok::Ident(s) if s == "graph" => Item::Graph(self.graph()?),
                Tok::Ident(s) if s == "exception_state" => {
                    let pos = self.here();
                    self.next();
                    Item::ExcState(self.entity("pb")?, pos)
                }
                _ => return self.unexpected("`struct`, `type`, `prebuilt` or `graph`"),
            };
            items.push(item);
            self.end_line()?;
        }
        Ok(items)
    }

    fn struct_decl(&mut self) -> Result<StructAst, TextError> {
        let pos = self.here();
        self.expect_kw("struct")?;
        let name = self.name("a struct name")?;
        let parent = if self.eat(':') {
            let p = self.here();
            Some((self.name("a parent struct name")?, p))
        } else {
            None
        };
        let immutable = self.eat_kw("immutable");
        let virtualizable = if self.eat_kw("virtualizable") {
            Some(self.list('(', ')', |p| {
                let pos = p.here();
                let name = p.name("a field name")?;
                let items = p.eat('[');
                if items {
                    p.expect(']')?;
                }
                Ok((name, items, pos))
            })?)
        } else {
            None
        };
        let fields = self.list('{', '}', |p| {
            let name = p.name("a field name")?;
            p.expect(':')?;
            let ty = p.ty()?;
            Ok((name, ty, p.eat_kw("quasi")))
        })?;
        let quasi = fields.iter().filter(|f| f.2).map(|f| f.0.clone()).collect();
        let fields = fields.into_iter().map(|(n, t, _)| (n, t)).collect();
        Ok(StructAst { pos, name, parent, immutable, fields, virtualizable, quasi })
    }

    fn ty(&mut self) -> Result<TypeAst, TextError> {
        if self.type_depth >= MAX_TYPE_DEPTH {
            return Err(self.here().err("type nested too deeply"));
        }
        self.type_depth += 1;
        let t = self.ty_inner();
        self.type_depth -= 1;
        t
    }

    fn ty_inner(&mut self) -> Result<TypeAst, TextError> {
        let pos = self.here();
        let simple = match self.peek() {
            Tok::Ident(s) => match s.as_str() {
                "int" => Some(TypeAst::Int),
                "float" => Some(TypeAst::Float),
                "bool" => Some(TypeAst::Bool),
                "char" => Some(TypeAst::Char),
                "void" => Some(TypeAst::Void),
                "str" => Some(TypeAst::Str),
                _ => None,
            },
            Tok::Str(_) => return Ok(TypeAst::Named(self.name("a type")?, pos)),
            _ => return self.unexpected("a type"),
        };
        if let Some(t) = simple {
            self.next();
            return Ok(t);
        }
        for (kw, frozen) in [("array", false), ("frozen", true)] {
            if self.eat_kw(kw) {
                self.expect('[')?;
                let elem = self.ty()?;
                self.expect(']')?;
                return Ok(TypeAst::Array(Box::new(elem), frozen));
            }
        }
        if self.eat_kw("fn") {
            let params = self.list('(', ')', Self::ty)?;
            self.expect_arrow()?;
            return Ok(TypeAst::Fn(params, Box::new(self.ty()?)));
        }
        Ok(TypeAst::Named(self.name("a type")?, pos))
    }

    fn constant(&mut self) -> Result<ConstAst, TextError> {
        let pos = self.here();
        let c = match self.peek().clone() {
            Tok::Int(i) => ConstAst::Int(i),
            Tok::Float(bits) => ConstAst::Float(bits),
            Tok::Char(c) => ConstAst::Char(c),
            Tok::Punct('@') => {
                self.next();
                return Ok(ConstAst::Func(self.name("a graph name")?, pos));
            }
            Tok::Ident(s) => match s.as_str() {
                "true" => ConstAst::Bool(true),
                "false" => ConstAst::Bool(false),
                "inf" => ConstAst::Float(f64::INFINITY.to_bits()),
                "nan" => {
                    self.next();
                    if !self.eat('(') {
                        return Ok(ConstAst::Float(f64::NAN.to_bits()));
                    }
                    let Tok::Hex(bits) = self.next() else {
                        return Err(pos.err("expected `nan(0x...)` with the float's bits"));
                    };
                    self.expect(')')?;
                    return Ok(ConstAst::Float(bits));
                }
                "null" => {
                    self.next();
                    return Ok(ConstAst::Null(self.ty()?, pos));
                }
                "ptr" => {
                    self.next();
                    let Tok::Hex(addr) = self.next() else {
                        return Err(pos.err("expected `ptr 0x...` with the object's address"));
                    };
                    return Ok(ConstAst::Ptr(addr, self.ty()?, pos));
                }
                _ if self.is_entity("pb") => {
                    return Ok(ConstAst::Prebuilt(self.entity("pb")?, pos))
                }
                _ => return self.unexpected("a constant"),
            },
            _ => return self.unexpected("a constant"),
        };
        self.next();
        Ok(c)
    }

    fn value(&mut self) -> Result<ValueAst, TextError> {
        if self.is_entity("v") {
            return Ok(ValueAst::Var(self.entity("v")?));
        }
        Ok(ValueAst::Const(self.constant()?))
    }

    fn prebuilt(&mut self) -> Result<PrebuiltAst, TextError> {
        let pos = self.here();
        self.expect_kw("prebuilt")?;
        let index = self.entity("pb")?;
        let name = if *self.peek() == Tok::Punct('=') { None } else { Some(self.name("a name")?) };
        self.expect('=')?;
        let body = if self.eat_kw("str") {
            match self.peek().clone() {
                Tok::Str(text) => {
                    self.next();
                    PrebuiltBody::Str(text.chars().collect())
                }
                // `str [...]`: an array of chars spelled item by item.
                _ => PrebuiltBody::Array(TypeAst::Str, self.list('[', ']', Self::constant)?),
            }
        } else {
            let ty = self.ty()?;
            if *self.peek() == Tok::Punct('[') {
                PrebuiltBody::Array(ty, self.list('[', ']', Self::constant)?)
            } else {
                let items = self.list('{', '}', |p| {
                    let name = if matches!(p.peek_at(1), Tok::Punct(':')) {
                        let pos = p.here();
                        Some((p.name("a field name")?, pos))
                    } else {
                        None
                    };
                    if name.is_some() {
                        p.expect(':')?;
                    }
                    Ok((name, p.constant()?))
                })?;
                PrebuiltBody::Struct(ty, items)
            }
        };
        Ok(PrebuiltAst { pos, index, name, body })
    }

    fn graph(&mut self) -> Result<GraphAst, TextError> {
        let pos = self.here();
        self.expect_kw("graph")?;
        let name = self.name("a graph name")?;
        let params = self.list('(', ')', Self::ty)?;
        self.expect_arrow()?;
        let ret = self.ty()?;
        let entry = if self.eat_kw("entry") { Some(self.entity("block")?) } else { None };
        let tail_calls = self.eat_kw("tailcalls");
        let mut flags = crate::ir::FuncFlags::default();
        for name in crate::ir::FuncFlags::NAMES {
            if self.eat_kw(name) {
                flags.set(name);
            }
        }
        self.expect('{')?;
        self.end_line()?;
        let mut blocks = Vec::new();
        while !self.eat('}') {
            blocks.push(self.block()?);
        }
        Ok(GraphAst { pos, name, params, ret, entry, tail_calls, blocks, flags })
    }

    fn block(&mut self) -> Result<BlockAst, TextError> {
        let pos = self.here();
        let index = self.entity("block")?;
        let params = self.list('(', ')', |p| {
            let v = p.entity("v")?;
            p.expect(':')?;
            Ok((v, p.ty()?))
        })?;
        self.expect(':')?;
        self.end_line()?;
        let mut ops = Vec::new();
        loop {
            if let Some(exit) = self.exit()? {
                self.end_line()?;
                return Ok(BlockAst { pos, index, params, ops, exit });
            }
            ops.push(self.op()?);
            self.end_line()?;
        }
    }

    fn target(&mut self) -> Result<TargetAst, TextError> {
        let block = self.entity("block")?;
        let args = self.list('(', ')', Self::value)?;
        Ok(TargetAst { block, args })
    }

    /// The block's exit, or `None` if the line is an op.
    fn exit(&mut self) -> Result<Option<ExitAst>, TextError> {
        let exit = if self.eat_kw("goto") {
            ExitAst::Goto(self.target()?)
        } else if self.eat_kw("branch") {
            let cond = self.value()?;
            self.expect(',')?;
            let t = self.target()?;
            self.expect(',')?;
            ExitAst::Branch(cond, t, self.target()?)
        } else if self.eat_kw("switch") {
            let value = self.value()?;
            self.expect(',')?;
            let cases = self.list('[', ']', |p| {
                let case = match *p.peek() {
                    Tok::Int(i) => i,
                    Tok::Char(c) => i64::from(u32::from(c)),
                    _ => return p.unexpected("a case value"),
                };
                p.next();
                p.expect(':')?;
                Ok((case, p.target()?))
            })?;
            self.expect(',')?;
            self.expect_kw("default")?;
            ExitAst::Switch(value, cases, self.target()?)
        } else if self.eat_kw("return") {
            match self.peek() {
                Tok::Newline | Tok::Eof => ExitAst::Return(None),
                _ => ExitAst::Return(Some(self.value()?)),
            }
        } else {
            return Ok(None);
        };
        Ok(Some(exit))
    }

    fn op(&mut self) -> Result<OpAst, TextError> {
        let pos = self.here();
        let result = if self.is_entity("v") {
            let v = self.entity("v")?;
            let ty = if self.eat(':') { Some(self.ty()?) } else { None };
            self.expect('=')?;
            Some((v, ty))
        } else {
            None
        };
        let op_pos = self.here();
        let Tok::Ident(name) = self.peek().clone() else {
            return self.unexpected("an opcode");
        };
        let Some(opcode) = Opcode::from_name(&name) else {
            return Err(op_pos.err(format!("unknown opcode `{name}`")));
        };
        self.next();
        let kind = if self.eat('[') {
            let k = self.name("an aux kind")?;
            Some(k)
        } else {
            None
        };
        let aux_kind =
            kind.as_deref().unwrap_or_else(|| super::view::AuxKind::expected(opcode).keyword());
        let explicit = kind.is_some();
        let aux = match aux_kind {
            "none" => AuxAst::None,
            "type" => AuxAst::Type(self.ty()?),
            "array" => AuxAst::Array(self.ty()?),
            "field" => {
                let p = self.here();
                let ty = self.ty()?;
                self.expect('.')?;
                let field = match self.peek().clone() {
                    Tok::Int(i) => {
                        self.next();
                        FieldRef::Index(u32::try_from(i).map_err(|_| p.err("bad field index"))?)
                    }
                    _ => FieldRef::Name(self.name("a field name")?),
                };
                AuxAst::Field(ty, field, p)
            }
            "graph" => {
                let p = self.here();
                AuxAst::Graph(self.name("a graph name")?, p)
            }
            "sig" => {
                let p = self.here();
                AuxAst::Sig(self.ty()?, p)
            }
            "extern" => AuxAst::Extern(self.name("an extern name")?),
            "hint" => {
                let names = self.list('{', '}', |p| Ok((p.here(), p.name("a hint flag")?)))?;
                let mut flags = HintFlags::default();
                for (p, n) in names {
                    if !flags.set(&n) {
                        return Err(p.err(format!("unknown hint flag `{n}`")));
                    }
                }
                AuxAst::Hint(flags)
            }
            "hook" => {
                self.expect('#')?;
                let p = self.here();
                match self.next() {
                    Tok::Int(i) => AuxAst::Hook(
                        u32::try_from(i).map_err(|_| p.err("hook number out of range"))?,
                    ),
                    _ => return Err(p.err("expected a hook number after `#`")),
                }
            }
            other => return Err(op_pos.err(format!("unknown aux kind `{other}`"))),
        };
        if explicit {
            self.expect(']')?;
        }
        let call_form = !explicit
            && matches!(
                aux,
                AuxAst::Graph(..) | AuxAst::Sig(..) | AuxAst::Extern(_) | AuxAst::Hook(_)
            );
        let mut args = Vec::new();
        if call_form {
            if matches!(aux, AuxAst::Sig(..)) {
                args.push(self.value()?);
            }
            args.extend(self.list('(', ')', Self::value)?);
        } else if !matches!(self.peek(), Tok::Newline | Tok::Eof) {
            args.push(self.value()?);
            while self.eat(',') {
                args.push(self.value()?);
            }
        }
        Ok(OpAst { pos, result, opcode, aux, args })
    }
}

/// `Some(Some(n))` if `s` is `prefix` followed by a decimal number, `Some(None)` if the number
/// overflows, `None` if `s` is not of that shape.
fn entity_index(s: &str, prefix: &str) -> Option<Option<u32>> {
    let digits = s.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().ok())
}
