//! The RPy parser: tokens from [`lex`] to the [`ast`](super::ast), by recursive descent.
//!
//! Grammar, lowest to highest expression precedence (as in Python): `a if c else b`, `or`,
//! `and`, `not`, comparisons (`== != < <= > >= is`, `is not` chain as in Python, `a < b < c`;
//! `x isa T` and `x as T` do not), `|`, `^`, `&`, `<< >>`, `+ -`, `* / // %`, unary `-` and `~`, then postfix call,
//! `.field` and `[index]`. Blocks are either `NEWLINE INDENT stmts DEDENT` or simple statements
//! on the line of the `:`, separated by `;`. An `elif` becomes an `If` alone in the `orelse` of
//! the previous arm. Struct bodies hold fields and methods (`def`, first parameter `self`:
//! [`methods`]); `for` and bare tuples are in [`statements`]; `tuple[T, ...]` is a type.
//!
//! Span conventions (every node gets exactly one position):
//! - binary operators, `is not`, `isa`, `as` and `a if c else b`: the operator token (`if`);
//! - `.field`: the `.`; `[index]`: the `[`;
//! - a call: the first token of the callee (so `f(x)(y)` puts both calls at `f`);
//! - a parenthesised expression: the inner expression's own span (no node for the parens);
//!   a tuple in parentheses: the `(`; a bare tuple (`return a, b`): its first item;
//! - a comparison chain `a < b < c`: its first operator (each operator keeps its own too);
//! - a unary operator: the operator; `-` directly on a number literal (not followed by a call,
//!   field or index) is folded into the literal, at the `-`, which is how
//!   `-9223372036854775808` fits `i64`;
//! - every other expression, statement and item: its first token (for an `elif`, the `elif`);
//! - struct fields, parameters and keyword arguments: their name.
//!
//! The parser stops at the first error, at the position of the offending token (for "found
//! newline", the end of the line). Messages are lowercase without a final period:
//! `expected X, found Y` for an unexpected token (tokens named by
//! [`TokenKind::describe`](super::lex::TokenKind::describe)), "expected an indented block",
//! "unexpected indent", "expected 'def', 'struct' or 'const' at top level", "cannot assign to
//! this expression", "only a plain name can be declared with a type", "positional argument
//! after keyword argument", "'isa' and 'as' cannot be chained with comparisons", "integer
//! literal too large", plus the lexer's. Nesting deeper than [`MAX_DEPTH`] or more than [`MAX_ELIFS`]
//! `elif`s is an error rather than a stack overflow, here or in later recursive passes.
//!
//! JIT annotations: `@name` lines before a `def` are its decorators (each alone on its line;
//! "expected 'def' after a decorator" otherwise); a struct field written `name: type quasi`
//! is quasi-immutable (`quasi` is a word only there). Their meaning and misuse are checked
//! by the lowering (`front/lower/jit_hints.rs`).

use super::ast::{
    BinOp, ConstDecl, Expr, ExprKind, FuncDecl, Item, Module, Stmt, StmtKind, StructDecl, TypeExpr,
    VirtualizableClause,
};
use super::lex::{lex, Token, TokenKind as T};
use crate::span::{Diagnostic, Span};

pub(crate) mod containers;
mod exceptions;
mod expr;
mod methods;
mod statements;

/// How deeply expressions, types and blocks may nest before parsing gives up; every operator
/// of a left-associative chain (`a + b + c`, `a.b.c`) counts as a level, so this also bounds
/// the depth of the expression trees that later passes recurse over.
pub const MAX_DEPTH: u32 = 100;

/// How many `elif`s one `if` may have (each one nests the rest of the chain in the AST).
pub const MAX_ELIFS: usize = 1000;

/// Augmented assignment tokens and their operators.
const AUG_ASSIGN: &[(T, BinOp)] = &[
    (T::PlusEq, BinOp::Add),
    (T::MinusEq, BinOp::Sub),
    (T::StarEq, BinOp::Mul),
    (T::SlashEq, BinOp::Div),
    (T::SlashSlashEq, BinOp::FloorDiv),
    (T::PercentEq, BinOp::Mod),
    (T::AmpEq, BinOp::BitAnd),
    (T::PipeEq, BinOp::BitOr),
    (T::CaretEq, BinOp::BitXor),
    (T::ShlEq, BinOp::Shl),
    (T::ShrEq, BinOp::Shr),
];

/// Parses the RPy source `text` (file index `file`); the error, if any, is the first one.
pub fn parse(text: &str, file: u32) -> Result<Module, Vec<Diagnostic>> {
    parse_tokens(lex(text, file).map_err(|d| vec![d])?, file)
}

/// Parses the tokens of source file `file` (lexed by [`lex`]).
pub fn parse_tokens(toks: Vec<Token>, file: u32) -> Result<Module, Vec<Diagnostic>> {
    let eof_span = toks.last().map_or(Span::new(file, 1, 1), |t| t.span);
    let eof = Token { kind: T::Eof, span: eof_span };
    let mut parser = Parser { toks, pos: 0, depth: 0, eof, in_for_target: false };
    parser.module().map_err(|d| vec![d])
}

type PResult<T> = Result<T, Diagnostic>;

/// Keyword arguments of a call, as in [`ExprKind::Call`].
type Kwargs = Vec<(String, Expr, Span)>;

/// A cursor over the token list.
struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// Current nesting of expressions, types and blocks (bounded by [`MAX_DEPTH`]).
    depth: u32,
    /// Returned by `peek` past the end (never reached: the lexer ends with `Eof`).
    eof: Token,
    /// Set while a `for` target is parsed: there `in` ends the target instead of being the
    /// membership operator.
    in_for_target: bool,
}

impl Parser {
    // ---- token cursor ----

    fn peek(&self) -> &Token {
        self.toks.get(self.pos).unwrap_or(&self.eof)
    }

    fn kind(&self) -> &T {
        &self.peek().kind
    }

    fn kind_at(&self, ahead: usize) -> &T {
        self.toks.get(self.pos + ahead).map_or(&T::Eof, |t| &t.kind)
    }

    fn at(&self, kind: &T) -> bool {
        self.kind() == kind
    }

    /// Consumes the current token (never moves past `Eof`) and returns its span.
    fn bump(&mut self) -> Span {
        let span = self.peek().span;
        if self.pos < self.toks.len() && !self.at(&T::Eof) {
            self.pos += 1;
        }
        span
    }

    fn eat(&mut self, kind: &T) -> bool {
        let found = self.at(kind);
        if found {
            self.bump();
        }
        found
    }

    /// The "expected X, found Y" error at the current token.
    fn unexpected(&self, expected: &str) -> Diagnostic {
        let tok = self.peek();
        if tok.kind == T::Indent {
            return Diagnostic::new(tok.span, "unexpected indent");
        }
        Diagnostic::new(tok.span, format!("expected {expected}, found {}", tok.kind.describe()))
    }

    fn expect(&mut self, kind: T) -> PResult<Span> {
        if self.at(&kind) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&kind.describe()))
        }
    }

    fn expect_name(&mut self) -> PResult<(String, Span)> {
        match self.kind() {
            T::Name(n) => {
                let n = n.clone();
                Ok((n, self.bump()))
            }
            _ => Err(self.unexpected("name")),
        }
    }

    /// Enters one nesting level; fails when the input nests absurdly deep.
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Diagnostic::new(self.peek().span, "expression or block nested too deeply"));
        }
        Ok(())
    }

    /// Leaves `levels` nesting levels.
    fn leave(&mut self, levels: u32) {
        self.depth = self.depth.saturating_sub(levels);
    }

    // ---- items ----

    fn module(&mut self) -> PResult<Module> {
        let mut items = Vec::new();
        loop {
            let item = match self.kind() {
                T::Eof => return Ok(Module { items }),
                T::Def | T::At => Item::Func(self.decorated_func(None)?),
                T::Struct => Item::Struct(self.struct_decl()?),
                T::Const => Item::Const(self.const_decl()?),
                T::Indent => return Err(self.unexpected("item")),
                _ => {
                    let msg = "expected 'def', 'struct' or 'const' at top level";
                    return Err(Diagnostic::new(self.peek().span, msg));
                }
            };
            items.push(item);
        }
    }

    /// `struct Name(Parent) immutable virtualizable(f, a[*]):` then `field: type` lines,
    /// `def` methods or `pass`.
    fn struct_decl(&mut self) -> PResult<StructDecl> {
        let span = self.bump();
        let (name, _) = self.expect_name()?;
        let parent = if self.eat(&T::LParen) {
            let parent = self.expect_name()?;
            self.expect(T::RParen)?;
            Some(parent)
        } else {
            None
        };
        let immutable = self.eat(&T::Immutable);
        let virtualizable = self.virtualizable_clause()?;
        self.expect(T::Colon)?;
        let mut fields = Vec::new();
        let mut methods = Vec::new();
        let mut quasi = Vec::new();
        if self.eat(&T::Pass) {
            self.expect(T::Newline)?;
        } else {
            self.indented_block_start()?;
            while !self.eat(&T::Dedent) {
                if self.eat(&T::Pass) {
                    self.expect(T::Newline)?;
                    continue;
                }
                if self.at(&T::Def) || self.at(&T::At) {
                    methods.push(self.decorated_func(Some(&name))?);
                    continue;
                }
                let (field, field_span) = self.expect_name()?;
                self.expect(T::Colon)?;
                let ty = self.ty()?;
                if matches!(self.kind(), T::Name(n) if n == "quasi") {
                    quasi.push((field.clone(), self.bump()));
                }
                self.expect(T::Newline)?;
                fields.push((field, ty, field_span));
            }
        }
        Ok(StructDecl { name, parent, immutable, fields, methods, span, virtualizable, quasi })
    }

    /// `virtualizable(depth, locals[*], ...)` after a struct's name (`virtualizable` is a
    /// name, not a keyword, everywhere else).
    fn virtualizable_clause(&mut self) -> PResult<Option<VirtualizableClause>> {
        if !matches!(self.kind(), T::Name(n) if n == "virtualizable") {
            return Ok(None);
        }
        let span = self.bump();
        self.expect(T::LParen)?;
        let mut fields = Vec::new();
        while !self.at(&T::RParen) {
            let (name, fspan) = self.expect_name()?;
            let items = self.eat(&T::LBracket);
            if items {
                self.expect(T::Star)?;
                self.expect(T::RBracket)?;
            }
            fields.push((name, items, fspan));
            if !self.eat(&T::Comma) {
                break;
            }
        }
        self.expect(T::RParen)?;
        Ok(Some(VirtualizableClause { fields, span }))
    }

    /// `@name` lines (each on its own line, none at all for a plain `def`), then the `def` they
    /// decorate.
    fn decorated_func(&mut self, owner: Option<&str>) -> PResult<FuncDecl> {
        let mut decorators = Vec::new();
        while self.eat(&T::At) {
            decorators.push(self.expect_name()?);
            self.expect(T::Newline)?;
        }
        if !self.at(&T::Def) {
            return Err(self.unexpected("'def' after a decorator"));
        }
        self.func(owner, decorators)
    }

    /// `def name(a: T, ...) -> R:` and its body; in the body of struct `owner`, a method whose
    /// first parameter is `self` without a type ([`Parser::param`]).
    fn func(&mut self, owner: Option<&str>, decorators: Vec<(String, Span)>) -> PResult<FuncDecl> {
        let span = self.bump();
        let (name, name_span) = self.expect_name()?;
        self.expect(T::LParen)?;
        let mut params = Vec::new();
        while !self.at(&T::RParen) {
            params.push(self.param(owner, params.len())?);
            if !self.eat(&T::Comma) {
                break;
            }
        }
        if let (Some(owner), true) = (owner, params.is_empty()) {
            let msg = format!("method '{name}' of '{owner}' needs 'self' as its first parameter");
            return Err(Diagnostic::new(name_span, msg));
        }
        self.expect(T::RParen)?;
        let ret = if self.eat(&T::Arrow) { Some(self.ty()?) } else { None };
        self.expect(T::Colon)?;
        let body = self.block()?;
        Ok(FuncDecl { name, params, ret, body, span, decorators })
    }

    /// `const NAME = expr` or `const NAME: type = expr`.
    fn const_decl(&mut self) -> PResult<ConstDecl> {
        let span = self.bump();
        let (name, _) = self.expect_name()?;
        let ty = if self.eat(&T::Colon) { Some(self.ty()?) } else { None };
        self.expect(T::Assign)?;
        let value = self.expr()?;
        self.expect(T::Newline)?;
        Ok(ConstDecl { name, ty, value, span })
    }

    // ---- types ----

    /// `int`, a struct name, `array[T]`, `frozen[T]`, `fn(T, ...) -> R`.
    fn ty(&mut self) -> PResult<TypeExpr> {
        self.enter()?;
        let span = self.peek().span;
        let ty = match self.kind().clone() {
            T::Name(n) if n == "tuple" && *self.kind_at(1) == T::LBracket => {
                self.bump();
                self.bump();
                let mut elems = vec![self.ty()?];
                while self.eat(&T::Comma) && !self.at(&T::RBracket) {
                    elems.push(self.ty()?);
                }
                self.expect(T::RBracket)?;
                TypeExpr::Tuple { elems, span }
            }
            T::Name(n) => {
                self.bump();
                if containers::FAMILIES.contains(&n.as_str()) && self.at(&T::LBracket) {
                    self.generic_args(n, span)?
                } else {
                    TypeExpr::Name(n, span)
                }
            }
            kind @ (T::Array | T::Frozen) => {
                self.bump();
                self.expect(T::LBracket)?;
                let elem = Box::new(self.ty()?);
                self.expect(T::RBracket)?;
                TypeExpr::Array { elem, immutable: kind == T::Frozen, span }
            }
            T::Fn => {
                self.bump();
                self.expect(T::LParen)?;
                let mut params = Vec::new();
                while !self.at(&T::RParen) {
                    params.push(self.ty()?);
                    if !self.eat(&T::Comma) {
                        break;
                    }
                }
                self.expect(T::RParen)?;
                let ret = if self.eat(&T::Arrow) { Some(Box::new(self.ty()?)) } else { None };
                TypeExpr::Func { params, ret, span }
            }
            _ => return Err(self.unexpected("type")),
        };
        self.leave(1);
        Ok(ty)
    }

    // ---- statements ----

    /// `NEWLINE INDENT`, after the `:` of a multi-line block.
    fn indented_block_start(&mut self) -> PResult<()> {
        self.expect(T::Newline)?;
        if !self.eat(&T::Indent) {
            return Err(Diagnostic::new(self.peek().span, "expected an indented block"));
        }
        Ok(())
    }

    /// The block after a `:`: an indented block, or simple statements on the same line.
    fn block(&mut self) -> PResult<Vec<Stmt>> {
        self.enter()?;
        let mut stmts = Vec::new();
        if self.at(&T::Newline) {
            self.indented_block_start()?;
            while !self.eat(&T::Dedent) {
                self.stmt_line(&mut stmts)?;
            }
        } else {
            self.simple_line(&mut stmts)?;
        }
        self.leave(1);
        Ok(stmts)
    }

    /// One compound statement, or a line of simple statements.
    fn stmt_line(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        match self.kind() {
            T::If => out.push(self.if_stmt()?),
            T::For => out.push(self.for_stmt()?),
            T::Try => out.push(self.try_stmt()?),
            T::While => {
                let span = self.bump();
                let cond = self.expr()?;
                self.expect(T::Colon)?;
                let body = self.block()?;
                out.push(Stmt { kind: StmtKind::While { cond, body }, span });
            }
            _ => self.simple_line(out)?,
        }
        Ok(())
    }

    /// Simple statements separated by `;` (a trailing `;` is allowed), then a newline.
    fn simple_line(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            out.push(self.simple_stmt()?);
            if !self.eat(&T::Semi) || self.at(&T::Newline) {
                break;
            }
        }
        self.expect(T::Newline)?;
        Ok(())
    }

    /// `if`/`elif`/`else`; the chain is parsed in a loop and nested from the end, so long
    /// `elif` ladders (interpreter dispatch) do not recurse.
    fn if_stmt(&mut self) -> PResult<Stmt> {
        let mut arms = Vec::new();
        loop {
            let span = self.bump();
            let cond = self.expr()?;
            self.expect(T::Colon)?;
            arms.push((span, cond, self.block()?));
            if !self.at(&T::Elif) {
                break;
            }
            if arms.len() >= MAX_ELIFS {
                return Err(Diagnostic::new(self.peek().span, "too many 'elif' branches"));
            }
        }
        let mut orelse = Vec::new();
        if self.eat(&T::Else) {
            self.expect(T::Colon)?;
            orelse = self.block()?;
        }
        let mut stmt = None;
        while let Some((span, cond, then)) = arms.pop() {
            if let Some(inner) = stmt.take() {
                orelse = vec![inner];
            }
            let kind = StmtKind::If { cond, then, orelse: std::mem::take(&mut orelse) };
            stmt = Some(Stmt { kind, span });
        }
        stmt.ok_or_else(|| self.unexpected("'if'"))
    }

    /// A statement that fits on one line: expression, assignment, `return`, `pass`...
    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let span = self.peek().span;
        let kind = match self.kind() {
            T::Pass => {
                self.bump();
                StmtKind::Pass
            }
            T::Break => {
                self.bump();
                StmtKind::Break
            }
            T::Continue => {
                self.bump();
                StmtKind::Continue
            }
            T::Raise => self.raise_stmt()?,
            T::Name(n) if n == "del" && matches!(self.kind_at(1), T::Name(_)) => self.del_stmt()?,
            T::Return => {
                self.bump();
                if matches!(self.kind(), T::Newline | T::Semi) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expr_list()?))
                }
            }
            _ => self.expr_stmt(span)?,
        };
        Ok(Stmt { kind, span })
    }

    /// An expression statement, `target = value`, `name: type = value` or `target op= value`.
    fn expr_stmt(&mut self, span: Span) -> PResult<StmtKind> {
        let target = self.expr_list()?;
        if self.eat(&T::Assign) {
            check_target(&target, span)?;
            let value = self.expr_list()?;
            return Ok(StmtKind::Assign { target, ty: None, value });
        }
        if self.at(&T::Colon) {
            if !matches!(target.kind, ExprKind::Name(_)) {
                let msg = "only a plain name can be declared with a type";
                return Err(Diagnostic::new(span, msg));
            }
            self.bump();
            let ty = Some(self.ty()?);
            self.expect(T::Assign)?;
            let value = self.expr()?;
            return Ok(StmtKind::Assign { target, ty, value });
        }
        if let Some(op) = lookup(AUG_ASSIGN, self.kind()) {
            check_target(&target, span)?;
            self.bump();
            let value = self.expr()?;
            return Ok(StmtKind::AugAssign { target, op, value });
        }
        Ok(StmtKind::Expr(target))
    }
}

fn lookup(table: &[(T, BinOp)], kind: &T) -> Option<BinOp> {
    table.iter().find(|(k, _)| k == kind).map(|(_, op)| *op)
}

/// Only names, fields and indexing can be assigned to.
fn check_target(target: &Expr, span: Span) -> PResult<()> {
    match target.kind {
        ExprKind::Name(_) | ExprKind::Field(..) | ExprKind::Index(..) => Ok(()),
        ExprKind::Tuple(_) => statements::check_names(target),
        _ => Err(Diagnostic::new(span, "cannot assign to this expression")),
    }
}

#[cfg(test)]
mod tests;
