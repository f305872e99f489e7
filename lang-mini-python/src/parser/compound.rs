//! Compound statements: blocks and their headers (`if`, `while`, `for`, `try`, `with`,
//! `def`, `class`, decorators) and parameter lists.

use super::{targets, Parser, TargetCtx};
use crate::ast::*;
use crate::error::{ErrorKind, PResult, SyntaxError};
use crate::token::Tok;

impl Parser {
    /// The body of a compound statement after its `:`; `what` names the statement for
    /// CPython's "expected an indented block after ..." message.
    pub(super) fn block(&mut self, what: &str, header_line: u32) -> PResult<Vec<Stmt>> {
        let mut body = Vec::new();
        if !matches!(self.peek().tok, Tok::Newline) {
            self.simple_stmts(&mut body)?;
            return Ok(body);
        }
        self.next();
        if !matches!(self.peek().tok, Tok::Indent) {
            let t = self.peek();
            let msg = format!("expected an indented block after {what} on line {header_line}");
            let mut e =
                SyntaxError::new(msg, t.line, t.col, t.end_col).with_kind(ErrorKind::Indentation);
            match t.tok {
                // CPython points at the end of the input: the last line, no caret
                Tok::EndMarker => {
                    e.line = self.prev().line;
                    e.end_line = e.line;
                    e.offset = 0;
                }
                // or at the dedented line, no caret
                Tok::Dedent => e.offset = 0,
                _ => {}
            }
            return Err(e);
        }
        self.next();
        while !matches!(self.peek().tok, Tok::Dedent | Tok::EndMarker) {
            self.statement(&mut body)?;
        }
        if matches!(self.peek().tok, Tok::Dedent) {
            self.next();
        }
        Ok(body)
    }

    pub(super) fn if_stmt(&mut self) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        let test = self.named_expression()?;
        self.expect_colon()?;
        let body = self.block("'if' statement", start.line)?;
        let orelse = self.elif_else()?;
        Ok(Stmt { kind: StmtKind::If(test, body, orelse), pos: start })
    }

    pub(super) fn elif_else(&mut self) -> PResult<Vec<Stmt>> {
        if self.at_kw("elif") {
            let start = Self::span(&self.next());
            let test = self.named_expression()?;
            self.expect_colon()?;
            let body = self.block("'elif' statement", start.line)?;
            let orelse = self.elif_else()?;
            return Ok(vec![Stmt { kind: StmtKind::If(test, body, orelse), pos: start }]);
        }
        self.else_block()
    }

    pub(super) fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        if self.at_kw("else") {
            let line = self.next().line;
            self.expect_forced_colon()?;
            return self.block("'else' statement", line);
        }
        Ok(Vec::new())
    }

    pub(super) fn while_stmt(&mut self) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        let test = self.named_expression()?;
        self.expect_colon()?;
        let body = self.block("'while' statement", start.line)?;
        let orelse = self.else_block()?;
        Ok(Stmt { kind: StmtKind::While(test, body, orelse), pos: start })
    }

    pub(super) fn for_stmt(&mut self) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        let target = self.target_list()?;
        if !self.eat_kw("in") {
            targets::check(&target, TargetCtx::For)?;
            return Err(self.invalid_syntax());
        }
        targets::check(&target, TargetCtx::For)?;
        let iter = self.star_expressions()?;
        self.expect_colon()?;
        let body = self.block("'for' statement", start.line)?;
        let orelse = self.else_block()?;
        Ok(Stmt { kind: StmtKind::For(target, iter, body, orelse), pos: start })
    }

    pub(super) fn try_stmt(&mut self) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        self.expect_forced_colon()?;
        let body = self.block("'try' statement", start.line)?;
        let mut handlers = Vec::new();
        while self.at_kw("except") {
            let et = self.next();
            let hstart = Self::span(&et);
            if self.at_op("*") {
                return Err(self.unsupported("'except*'", self.pos_from(hstart)));
            }
            let (typ, name) = if self.at_op(":") {
                (None, None)
            } else {
                let typ = self.expression()?;
                let typ = if self.at_op(",") {
                    let first = typ;
                    let mut elts = vec![first];
                    while self.eat_op(",") {
                        elts.push(self.expression()?);
                    }
                    if !self.at_kw("as") {
                        let p = elts[0].pos.to(elts.last().expect("two").pos);
                        return Err(SyntaxError::new(
                            "multiple exception types must be parenthesized",
                            p.line,
                            p.col,
                            p.end_col,
                        ));
                    }
                    let p = elts[0].pos.to(elts.last().expect("two").pos);
                    Expr { kind: ExprKind::Tuple(elts), pos: p }
                } else {
                    typ
                };
                let name = if self.eat_kw("as") { Some(self.name()?) } else { None };
                (Some(typ), name)
            };
            self.expect_colon()?;
            let hpos = self.pos_from(hstart);
            let hbody = self.block("'except' statement", hstart.line)?;
            handlers.push(Handler { typ, name, body: hbody, pos: hpos });
        }
        let orelse = if handlers.is_empty() { Vec::new() } else { self.else_block()? };
        let finalbody = if self.at_kw("finally") {
            let line = self.next().line;
            self.expect_forced_colon()?;
            self.block("'finally' statement", line)?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            let t = self.peek();
            return Err(SyntaxError::new(
                "expected 'except' or 'finally' block",
                t.line,
                t.col,
                t.end_col,
            ));
        }
        Ok(Stmt { kind: StmtKind::Try(body, handlers, orelse, finalbody), pos: start })
    }

    pub(super) fn with_stmt(&mut self) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        let mut items = Vec::new();
        // `with (a as b, c):` — a parenthesized item list
        let save = self.pos;
        if self.at_op("(") {
            self.next();
            self.depth += 1;
            let parsed: PResult<()> = (|| {
                loop {
                    let e = self.expression()?;
                    let t = if self.eat_kw("as") { Some(self.star_target()?) } else { None };
                    items.push((e, t));
                    if !self.eat_op(",") || self.at_op(")") {
                        break;
                    }
                }
                self.expect_op(")")?;
                if !self.at_op(":") {
                    return Err(self.invalid_syntax());
                }
                Ok(())
            })();
            self.depth -= 1;
            if parsed.is_err() {
                self.pos = save;
                items.clear();
            }
        }
        if items.is_empty() {
            loop {
                let e = self.expression()?;
                let t = if self.eat_kw("as") { Some(self.star_target()?) } else { None };
                items.push((e, t));
                if !self.eat_op(",") {
                    break;
                }
            }
        }
        self.expect_colon()?;
        let body = self.block("'with' statement", start.line)?;
        Ok(Stmt { kind: StmtKind::With(items, body), pos: start })
    }

    pub(super) fn star_target(&mut self) -> PResult<Expr> {
        let e = self.bitwise_or_or_star()?;
        targets::check(&e, TargetCtx::With)?;
        Ok(e)
    }

    pub(super) fn decorated(&mut self) -> PResult<Stmt> {
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.named_expression()?);
            if !matches!(self.peek().tok, Tok::Newline) {
                return Err(self.invalid_syntax());
            }
            self.next();
        }
        if self.at_kw("def") {
            self.funcdef(decorators)
        } else if self.at_kw("class") {
            self.classdef(decorators)
        } else if self.at_kw("async") {
            Err(self.unsupported("'async'", Self::span(self.peek())))
        } else {
            Err(self.invalid_syntax())
        }
    }

    pub(super) fn funcdef(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        let name = self.name()?;
        if !self.at_op("(") {
            let t = self.peek();
            return Err(SyntaxError::new("expected '('", t.line, t.col, t.end_col));
        }
        self.next();
        self.depth += 1;
        let args = self.parameters(")")?;
        self.depth -= 1;
        self.expect_op(")")?;
        let returns = if self.eat_op("->") { Some(self.expression()?) } else { None };
        self.expect_forced_colon()?;
        let body = self.block("function definition", start.line)?;
        let def = FunctionDef { name, args, body, decorators, returns };
        Ok(Stmt { kind: StmtKind::FunctionDef(Box::new(def)), pos: start })
    }

    pub(super) fn classdef(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = Self::span(&self.next());
        let name = self.name()?;
        let (bases, keywords) = if self.eat_op("(") {
            self.depth += 1;
            let r = self.call_arguments(false)?;
            self.depth -= 1;
            r
        } else {
            (Vec::new(), Vec::new())
        };
        self.expect_colon()?;
        let body = self.block("class definition", start.line)?;
        let def = ClassDef { name, bases, keywords, body, decorators };
        Ok(Stmt { kind: StmtKind::ClassDef(Box::new(def)), pos: start })
    }

    /// A parameter list up to (not including) `close` (`)` for `def`, `:` for `lambda`).
    pub(super) fn parameters(&mut self, close: &str) -> PResult<Arguments> {
        let mut a = Arguments::default();
        let annotated = close == ")";
        let mut seen_star = false;
        let mut seen_default = false;
        while !self.at_op(close) {
            let t = self.peek().clone();
            if self.eat_op("**") {
                let arg = self.param(annotated)?;
                if self.at_op("=") {
                    let t = self.peek();
                    return Err(SyntaxError::new(
                        "var-keyword argument cannot have default value",
                        t.line,
                        t.col,
                        t.end_col,
                    ));
                }
                a.kwarg = Some(arg);
                self.eat_op(",");
                if !self.at_op(close) {
                    let t = self.peek();
                    return Err(SyntaxError::new(
                        "arguments cannot follow var-keyword argument",
                        t.line,
                        t.col,
                        t.end_col,
                    ));
                }
                break;
            } else if self.eat_op("*") {
                if seen_star {
                    return Err(SyntaxError::new(
                        "* argument may appear only once",
                        t.line,
                        t.col,
                        t.end_col,
                    ));
                }
                seen_star = true;
                if self.at_op(",") {
                    if self.peek_at(1).is_op(close) || self.peek_at(1).is_op("**") {
                        return Err(SyntaxError::new(
                            "named arguments must follow bare *",
                            t.line,
                            t.col,
                            t.end_col,
                        ));
                    }
                } else if self.at_op(close) {
                    return Err(SyntaxError::new(
                        "named arguments must follow bare *",
                        t.line,
                        t.col,
                        t.end_col,
                    ));
                } else {
                    a.vararg = Some(self.param(annotated)?);
                    if self.at_op("=") {
                        let t = self.peek();
                        return Err(SyntaxError::new(
                            "var-positional argument cannot have default value",
                            t.line,
                            t.col,
                            t.end_col,
                        ));
                    }
                }
            } else if self.at_op("/") {
                return Err(self.unsupported("positional-only parameters ('/')", Self::span(&t)));
            } else {
                let arg = self.param(annotated)?;
                let default = if self.eat_op("=") { Some(self.expression()?) } else { None };
                if seen_star {
                    a.kwonlyargs.push(arg);
                    a.kw_defaults.push(default);
                } else {
                    match default {
                        Some(d) => {
                            seen_default = true;
                            a.defaults.push(d);
                        }
                        None if seen_default => {
                            return Err(SyntaxError::new(
                                "non-default argument follows default argument",
                                arg.pos.line,
                                arg.pos.col,
                                arg.pos.end_col,
                            ));
                        }
                        None => {}
                    }
                    a.args.push(arg);
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        if !self.at_op(close) {
            return Err(self.invalid_syntax());
        }
        Ok(a)
    }

    pub(super) fn param(&mut self, annotated: bool) -> PResult<Arg> {
        let t = self.peek().clone();
        let name = self.name()?;
        let annotation =
            if annotated && self.eat_op(":") { Some(self.expression()?) } else { None };
        Ok(Arg { name, annotation, pos: self.pos_from(Self::span(&t)) })
    }
}
