//! The parser: tokens to an AST, by recursive descent over Python 3.11's grammar.
//!
//! Layout: this module holds the token cursor, error helpers and statements; `expr.rs` the
//! expressions (by precedence, lowest first: lambda, conditional, `or`, `and`, `not`,
//! comparisons, `| ^ &`, shifts, `+ -`, `* / // %`, unary, `**`, await-free primaries);
//! `targets.rs` checks assignment/`del`/`for` targets with CPython's messages; `strings.rs`
//! decodes string literals and f-strings; `bytestrings.rs` bytes literals (adjacent bytes
//! literals concatenate; mixing them with str literals is CPython's SyntaxError).
//!
//! Invariants: the parser never backtracks past a consumed token except through `mark` /
//! `reset` in the few places that try an alternative (targets of `for`, the missing-comma
//! check); errors are `SyntaxError`s with CPython 3.11's message and span where we know it
//! (see the `syntax_errors` test for the list compared against `python3`), and constructs
//! outside mini-Python's subset are reported by `unsupported`, naming the construct.

mod bytestrings;
mod compound;
mod expr;
mod strings;
mod targets;

use crate::ast::*;
use crate::error::{ErrorKind, PResult, SyntaxError};
use std::cell::Cell;

use crate::lexer::{tokenize, tokenize_partial};
use crate::token::{Tok, Token};

pub use targets::TargetCtx;

/// Parses a whole module.
///
/// A lexical error is reported when the parser reaches its token, as in CPython (whose
/// parser drives its tokenizer); an earlier generic "invalid syntax" stands unless CPython
/// would replace it after tokenizing the rest of the file (see `LexError`).
pub fn parse_module(source: &str) -> PResult<Vec<Stmt>> {
    let lexed = tokenize_partial(source);
    let mut p = Parser {
        tokens: lexed.tokens,
        pos: 0,
        depth: 0,
        nesting: 0,
        reached_error: Cell::new(false),
        furthest: Cell::new(0),
        furthest_first: Cell::new(0),
        probing: 0,
    };
    let parsed = p.module();
    let Err(e) = parsed else { return parsed };
    let Some(lex) = lexed.error else { return Err(e.with_source(source)) };
    if p.reached_error.get() {
        return Err(lex.error);
    }
    if e.kind == ErrorKind::Indentation
        && (e.msg == "unexpected indent" || e.msg == "unexpected unindent")
    {
        return Err(e.with_source(source));
    }
    // CPython then tokenizes the rest of the file (`_PyPegen_tokenize_full_source_to_check_
    // for_errors`): an error its tokenizer raises itself wins, and so does a bracket left
    // open on a line before the furthest token the parser had read.
    let furthest_line = p.tokens[p.furthest.get().min(p.tokens.len() - 1)].line;
    if lex.overrides_generic || lex.unclosed_line.is_some_and(|l| l < furthest_line) {
        return Err(lex.error);
    }
    Err(e.with_source(source))
}

/// Parses the expression of an f-string replacement field, given as CPython 3.11 does:
/// the field's text in parentheses, `(expr)`, on the literal's `line`. Columns are
/// relative to that text, and an error is reported in it, with the message prefixed by
/// `f-string: ` (as CPython reports `(a b)` / `f-string: invalid syntax...`).
pub(crate) fn parse_sub_expression(text: &str, line: u32) -> PResult<Expr> {
    let parsed = (|| {
        let mut tokens = tokenize(text)?;
        for t in tokens.iter_mut() {
            t.line += line - 1;
            t.end_line += line - 1;
        }
        let mut p = Parser {
            tokens,
            pos: 0,
            depth: 0,
            nesting: 0,
            reached_error: Cell::new(false),
            furthest: Cell::new(0),
            furthest_first: Cell::new(0),
            probing: 0,
        };
        let e = p.star_expressions()?;
        if !matches!(p.peek().tok, Tok::Newline | Tok::EndMarker) {
            return Err(p.invalid_syntax());
        }
        Ok(e)
    })();
    parsed.map_err(|mut e| {
        if e.kind != ErrorKind::Recursion {
            e.msg = format!("f-string: {}", e.msg);
        }
        e.text = Some(text.to_string());
        e.line = line;
        e.end_line = line;
        e
    })
}

/// The parser state: the tokens and a cursor.
pub(crate) struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// How many brackets enclose the current position (for CPython's comma hint).
    depth: u32,
    /// How deeply the expression being parsed is nested (bounded by `MAX_NESTING`).
    nesting: u32,
    /// The parser looked at the `Tok::Error` token: the lexical error is the report.
    reached_error: Cell<bool>,
    /// The furthest token index the parser looked at.
    furthest: Cell<usize>,
    /// The furthest token index looked at outside trial parses (CPython's first pass, where
    /// a generic "invalid syntax" points).
    furthest_first: Cell<usize>,
    /// Inside a trial parse that only emulates CPython's second-pass error rules.
    probing: u32,
}

/// The deepest expression nesting the parser accepts: a bound on its recursion. The
/// symbol table applies CPython's exact limit to the finished tree (`symtable::MAX_DEPTH`,
/// which is never looser than this).
const MAX_NESTING: u32 = crate::symtable::MAX_DEPTH;

impl Parser {
    /// Runs `f` one nesting level deeper; too deep is CPython's `RecursionError`.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            let t = self.peek();
            return Err(SyntaxError::new(
                "maximum recursion depth exceeded during compilation",
                t.line,
                t.col,
                t.col,
            )
            .with_kind(ErrorKind::Recursion));
        }
        self.nesting += 1;
        let r = f(self);
        self.nesting -= 1;
        r
    }

    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Token {
        let i = (self.pos + n).min(self.tokens.len() - 1);
        self.furthest.set(self.furthest.get().max(i));
        if self.probing == 0 {
            self.furthest_first.set(self.furthest_first.get().max(i));
        }
        let t = &self.tokens[i];
        if t.tok == Tok::Error {
            self.reached_error.set(true);
        }
        t
    }

    fn prev(&self) -> &Token {
        &self.tokens[self.pos.saturating_sub(1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn at_op(&self, op: &str) -> bool {
        self.peek().is_op(op)
    }

    fn at_kw(&self, kw: &str) -> bool {
        self.peek().is_name(kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.at_op(op) {
            self.next();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.at_kw(kw) {
            self.next();
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> PResult<Token> {
        if self.at_op(op) {
            Ok(self.next())
        } else {
            Err(self.invalid_syntax())
        }
    }

    /// `expected ':'` at the token after the previous one, as CPython reports it.
    fn expect_colon(&mut self) -> PResult<()> {
        if self.eat_op(":") {
            return Ok(());
        }
        if matches!(self.peek().tok, Tok::Newline) {
            let t = self.prev();
            return Err(SyntaxError::new("expected ':'", t.end_line, t.end_col, t.end_col));
        }
        Err(self.invalid_syntax())
    }

    /// A `:` CPython's grammar forces (`&&':'` after `def ...)`, `try`, `finally`, `else`):
    /// "expected ':'" at whatever token stands there.
    fn expect_forced_colon(&mut self) -> PResult<()> {
        if self.eat_op(":") {
            return Ok(());
        }
        if matches!(self.peek().tok, Tok::Newline) {
            return self.expect_colon();
        }
        let t = self.peek();
        if matches!(t.tok, Tok::Indent | Tok::Dedent | Tok::EndMarker | Tok::Error) {
            return Err(self.invalid_syntax());
        }
        Err(SyntaxError::new("expected ':'", t.line, t.col, t.end_col))
    }

    fn span(t: &Token) -> Pos {
        Pos { line: t.line, col: t.col, end_line: t.end_line, end_col: t.end_col }
    }

    fn pos_from(&self, start: Pos) -> Pos {
        let end = self.prev();
        Pos { line: start.line, col: start.col, end_line: end.end_line, end_col: end.end_col }
    }

    /// `invalid syntax` at the current token (or `unexpected indent`).
    fn invalid_syntax(&self) -> SyntaxError {
        // CPython points at the last token its first pass read
        let idx = self.pos.max(self.furthest_first.get()).min(self.tokens.len() - 1);
        let t = &self.tokens[idx];
        if t.tok == Tok::Error {
            self.reached_error.set(true);
        }
        match t.tok {
            Tok::Indent => {
                // CPython points at the indented line's first token, offset -1 ⇒ no caret.
                let nt = &self.tokens[(idx + 1).min(self.tokens.len() - 1)];
                SyntaxError {
                    kind: ErrorKind::Indentation,
                    msg: "unexpected indent".into(),
                    line: nt.line,
                    offset: nt.col as i64,
                    end_line: nt.line,
                    end_offset: -1,
                    text: None,
                }
            }
            Tok::Dedent => {
                // CPython: "unexpected unindent", with no caret
                let mut e = SyntaxError::new("unexpected unindent", t.line, t.col, t.col)
                    .with_kind(ErrorKind::Indentation);
                e.offset = 0;
                e
            }
            Tok::EndMarker => SyntaxError::new(
                "unexpected EOF while parsing",
                self.prev().end_line,
                self.prev().end_col,
                self.prev().end_col,
            ),
            _ => SyntaxError::new("invalid syntax", t.line, t.col, t.end_col),
        }
    }

    /// The error for a construct outside mini-Python's subset.
    fn unsupported(&self, what: &str, pos: Pos) -> SyntaxError {
        unsupported(what, pos)
    }

    fn module(&mut self) -> PResult<Vec<Stmt>> {
        let mut body = Vec::new();
        loop {
            match self.peek().tok {
                Tok::EndMarker => return Ok(body),
                Tok::Newline => {
                    self.next();
                }
                _ => self.statement(&mut body)?,
            }
        }
    }

    /// One statement line (compound, or simple statements separated by `;`), appended.
    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let t = self.peek().clone();
        if let Tok::Name(n) = &t.tok {
            let stmt = match n.as_str() {
                "if" => Some(self.if_stmt()?),
                "while" => Some(self.while_stmt()?),
                "for" => Some(self.for_stmt()?),
                "try" => Some(self.try_stmt()?),
                "with" => Some(self.with_stmt()?),
                "def" => Some(self.funcdef(Vec::new())?),
                "class" => Some(self.classdef(Vec::new())?),
                "async" => return Err(self.unsupported("'async'", Self::span(&t))),
                _ => None,
            };
            if let Some(s) = stmt {
                out.push(s);
                return Ok(());
            }
        }
        if t.is_op("@") {
            out.push(self.decorated()?);
            return Ok(());
        }
        let start = self.pos;
        let r = self.simple_stmts(out);
        if r.is_err() && t.is_name("match") && self.line_ends_with_colon(start) {
            return Err(self.unsupported("the 'match' statement", Self::span(&t)));
        }
        r
    }

    /// Does the logical line starting at token `start` end with `:` (a block header)?
    fn line_ends_with_colon(&self, start: usize) -> bool {
        let end = self.tokens[start..]
            .iter()
            .position(|t| matches!(t.tok, Tok::Newline | Tok::EndMarker));
        matches!(end, Some(n) if n > 0 && self.tokens[start + n - 1].is_op(":"))
    }

    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            out.push(self.simple_stmt()?);
            if self.eat_op(";") {
                if matches!(self.peek().tok, Tok::Newline) {
                    break;
                }
                continue;
            }
            break;
        }
        if matches!(self.peek().tok, Tok::Newline) {
            self.next();
            Ok(())
        } else {
            self.probe_expression();
            Err(self.invalid_syntax())
        }
    }

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let t = self.peek().clone();
        let start = Self::span(&t);
        let kind = match &t.tok {
            Tok::Name(n) => match n.as_str() {
                "pass" => {
                    self.next();
                    StmtKind::Pass
                }
                "break" => {
                    self.next();
                    StmtKind::Break
                }
                "continue" => {
                    self.next();
                    StmtKind::Continue
                }
                "return" => {
                    self.next();
                    let v = if self.at_simple_stmt_end() {
                        None
                    } else {
                        Some(self.star_expressions()?)
                    };
                    StmtKind::Return(v)
                }
                "raise" => {
                    self.next();
                    if self.at_simple_stmt_end() {
                        StmtKind::Raise(None, None)
                    } else {
                        let e = self.expression()?;
                        let cause =
                            if self.eat_kw("from") { Some(self.expression()?) } else { None };
                        StmtKind::Raise(Some(e), cause)
                    }
                }
                "global" | "nonlocal" => {
                    self.next();
                    let mut names = vec![self.name()?];
                    while self.eat_op(",") {
                        names.push(self.name()?);
                    }
                    if n == "global" {
                        StmtKind::Global(names)
                    } else {
                        StmtKind::Nonlocal(names)
                    }
                }
                "del" => {
                    self.next();
                    let mut targets = Vec::new();
                    loop {
                        let e = self.bitwise_or_or_star()?;
                        targets::check(&e, TargetCtx::Del)?;
                        targets.push(e);
                        if !self.eat_op(",") || self.at_simple_stmt_end() {
                            break;
                        }
                    }
                    if !self.at_simple_stmt_end() {
                        return Err(self.invalid_syntax());
                    }
                    StmtKind::Delete(targets)
                }
                "assert" => {
                    self.next();
                    let test = self.expression()?;
                    let msg = if self.eat_op(",") { Some(self.expression()?) } else { None };
                    StmtKind::Assert(test, msg)
                }
                "import" => self.import()?,
                "from" => self.import_from()?,
                _ => return self.expr_stmt(),
            },
            _ => return self.expr_stmt(),
        };
        Ok(Stmt { kind, pos: self.pos_from(start) })
    }

    fn at_simple_stmt_end(&self) -> bool {
        matches!(self.peek().tok, Tok::Newline | Tok::EndMarker) || self.at_op(";")
    }

    fn name(&mut self) -> PResult<String> {
        match &self.peek().tok {
            Tok::Name(n) if !crate::token::is_keyword(n) => {
                let n = n.clone();
                self.next();
                Ok(n)
            }
            _ => Err(self.invalid_syntax()),
        }
    }

    fn dotted_name(&mut self) -> PResult<(String, Pos)> {
        let start = Self::span(self.peek());
        let mut name = self.name()?;
        while self.eat_op(".") {
            name.push('.');
            name.push_str(&self.name()?);
        }
        Ok((name, self.pos_from(start)))
    }

    fn import(&mut self) -> PResult<StmtKind> {
        self.next();
        let mut names = Vec::new();
        loop {
            let (name, pos) = self.dotted_name()?;
            if name.contains('.') {
                return Err(self.unsupported("a dotted module name in 'import'", pos));
            }
            let asname = if self.eat_kw("as") { Some(self.name()?) } else { None };
            names.push(Alias { name, asname, pos: self.pos_from(pos) });
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(StmtKind::Import(names))
    }

    fn import_from(&mut self) -> PResult<StmtKind> {
        self.next();
        if self.at_op(".") || self.at_op("...") {
            return Err(self.unsupported("a relative import", Self::span(self.peek())));
        }
        let (module, mpos) = self.dotted_name()?;
        if module.contains('.') {
            return Err(self.unsupported("a dotted module name in 'from ... import'", mpos));
        }
        if !self.eat_kw("import") {
            return Err(self.invalid_syntax());
        }
        if self.at_op("*") {
            return Err(self.unsupported("'from ... import *'", Self::span(self.peek())));
        }
        let paren = self.eat_op("(");
        let mut names = Vec::new();
        loop {
            let start = Self::span(self.peek());
            let name = self.name()?;
            let asname = if self.eat_kw("as") { Some(self.name()?) } else { None };
            names.push(Alias { name, asname, pos: self.pos_from(start) });
            if !self.eat_op(",") {
                break;
            }
            if paren && self.at_op(")") {
                break;
            }
            if !paren && self.at_simple_stmt_end() {
                let t = self.peek();
                return Err(SyntaxError::new(
                    "trailing comma not allowed without surrounding parentheses",
                    t.line,
                    t.col,
                    t.end_col,
                ));
            }
        }
        if paren {
            self.expect_op(")")?;
        }
        Ok(StmtKind::ImportFrom(module, names))
    }

    /// Expression statements, assignments, augmented and annotated assignments.
    fn expr_stmt(&mut self) -> PResult<Stmt> {
        let start = Self::span(self.peek());
        let first = if self.at_kw("yield") { self.yield_expr()? } else { self.star_expressions()? };
        if let ExprKind::Name(n) = &first.kind {
            if (n == "print" || n == "exec") && self.starts_expression() {
                let save = self.pos;
                self.probing += 1;
                let rest = self.star_expressions();
                self.pos = save;
                self.probing -= 1;
                if let Ok(rest) = rest {
                    let msg =
                        format!("Missing parentheses in call to '{n}'. Did you mean {n}(...)?");
                    return Err(SyntaxError::spanning(msg, first.pos.to(rest.pos)));
                }
            }
        }
        if self.at_op(":") {
            return self.ann_assign(first, start);
        }
        if let Tok::Op(op) = self.peek().tok {
            if op == "@=" {
                return Err(self.unsupported(
                    "the matrix multiplication operator '@'",
                    Self::span(self.peek()),
                ));
            }
            if let Some(binop) = aug_op(op) {
                targets::check_aug(&first)?;
                self.next();
                let value =
                    if self.at_kw("yield") { self.yield_expr()? } else { self.star_expressions()? };
                return Ok(Stmt {
                    kind: StmtKind::AugAssign(first, binop, value),
                    pos: self.pos_from(start),
                });
            }
        }
        if !self.at_op("=") {
            return Ok(Stmt { kind: StmtKind::Expr(first), pos: self.pos_from(start) });
        }
        let mut exprs = vec![first];
        while self.eat_op("=") {
            let e = if self.at_kw("yield") { self.yield_expr()? } else { self.star_expressions()? };
            exprs.push(e);
        }
        let value = exprs.pop().expect("at least two");
        let ctx = if exprs.len() == 1
            && !matches!(value.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_))
        {
            TargetCtx::AssignOnly
        } else {
            TargetCtx::Assign
        };
        for t in &exprs {
            targets::check(t, ctx)?;
        }
        Ok(Stmt { kind: StmtKind::Assign(exprs, value), pos: self.pos_from(start) })
    }

    fn ann_assign(&mut self, target: Expr, start: Pos) -> PResult<Stmt> {
        // CPython's rules for bad annotation targets need an expression after the ':'
        let valid_target = matches!(
            target.kind,
            ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..)
        );
        // (a lookahead of CPython's second pass: it does not move the generic error)
        let after_colon = &self.tokens[(self.pos + 1).min(self.tokens.len() - 1)].tok;
        if !valid_target && !matches!(after_colon, Tok::Newline | Tok::EndMarker) {
            let save = self.pos;
            self.probing += 1;
            self.next();
            let annotation = self.expression();
            self.pos = save;
            self.probing -= 1;
            if annotation.is_err() {
                return Err(self.invalid_syntax());
            }
        } else if !valid_target {
            return Err(self.invalid_syntax());
        }
        let simple = matches!(target.kind, ExprKind::Name(_)) && !self.prev().is_op(")");
        match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => {}
            ExprKind::Tuple(elts) => {
                // CPython points at the first element of an unparenthesized tuple
                let p = if self.tokens[self.pos - 1].is_op(")") { target.pos } else { elts[0].pos };
                return Err(SyntaxError::spanning(
                    "only single target (not tuple) can be annotated",
                    p,
                ));
            }
            ExprKind::List(_) => {
                return Err(SyntaxError::new(
                    "only single target (not list) can be annotated",
                    target.pos.line,
                    target.pos.col,
                    target.pos.end_col,
                ))
            }
            _ => {
                return Err(SyntaxError::new(
                    "illegal target for annotation",
                    target.pos.line,
                    target.pos.col,
                    target.pos.end_col,
                ))
            }
        }
        self.next();
        let annotation = self.expression()?;
        let value = if self.eat_op("=") {
            Some(if self.at_kw("yield") { self.yield_expr()? } else { self.star_expressions()? })
        } else {
            None
        };
        Ok(Stmt {
            kind: StmtKind::AnnAssign { target, annotation, value, simple },
            pos: self.pos_from(start),
        })
    }
}

/// The error for a construct outside mini-Python's subset, at `pos` (for the compiler).
pub fn unsupported_at(what: &str, pos: Pos) -> SyntaxError {
    unsupported(what, pos)
}

/// The error for a construct outside mini-Python's subset, at `pos`.
pub(crate) fn unsupported(what: &str, pos: Pos) -> SyntaxError {
    let end = if pos.end_line == pos.line { pos.end_col } else { pos.col + 1 };
    SyntaxError::new(format!("{what} is not supported by mini-Python"), pos.line, pos.col, end)
}

fn aug_op(op: &str) -> Option<BinOp> {
    Some(match op {
        "+=" => BinOp::Add,
        "-=" => BinOp::Sub,
        "*=" => BinOp::Mult,
        "/=" => BinOp::Div,
        "//=" => BinOp::FloorDiv,
        "%=" => BinOp::Mod,
        "**=" => BinOp::Pow,
        "<<=" => BinOp::LShift,
        ">>=" => BinOp::RShift,
        "|=" => BinOp::BitOr,
        "^=" => BinOp::BitXor,
        "&=" => BinOp::BitAnd,
        _ => return None,
    })
}
