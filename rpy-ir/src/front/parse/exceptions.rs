//! Parsing of the exception statements: `raise` and `try`/`except`/`else`/`finally`.
//!
//! Grammar (`NAME` a class name; the clauses of one `try` at the `try`'s indentation):
//! ```text
//! raise_stmt := 'raise' [expr]
//! try_stmt   := 'try' ':' block
//!               ('except' [classes ['as' NAME]] ':' block)*
//!               ['else' ':' block] ['finally' ':' block]
//! classes    := NAME | '(' NAME (',' NAME)* [','] ')'
//! ```
//! Errors: a `try` with neither `except` nor `finally`; an `else` without `except`; a bare
//! `except:` that is not the last handler (it would hide the ones after it); `except ()`.
//! Spans: the statement at `try`/`raise`, each clause at its `except`, class names and the
//! bound name at themselves.

use super::{PResult, Parser};
use crate::front::ast::{ExceptClause, Stmt, StmtKind, TryStmt};
use crate::front::lex::TokenKind as T;
use crate::span::{Diagnostic, Span};

impl Parser {
    /// `raise` or `raise expr` (the keyword is the current token).
    pub(super) fn raise_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        if matches!(self.kind(), T::Newline | T::Semi) {
            return Ok(StmtKind::Raise(None));
        }
        Ok(StmtKind::Raise(Some(self.expr()?)))
    }

    /// A whole `try` statement with its clauses (the keyword is the current token).
    pub(super) fn try_stmt(&mut self) -> PResult<Stmt> {
        let span = self.bump();
        self.expect(T::Colon)?;
        let body = self.block()?;
        let mut handlers: Vec<ExceptClause> = Vec::new();
        while self.at(&T::Except) {
            let clause = self.except_clause()?;
            if let Some(bare) = handlers.iter().find(|h| h.classes.is_empty()) {
                let msg = "a bare 'except:' must be the last handler";
                return Err(Diagnostic::new(bare.span, msg));
            }
            handlers.push(clause);
        }
        let mut orelse = Vec::new();
        if self.at(&T::Else) {
            if handlers.is_empty() {
                let msg = "'else' after 'try' needs an 'except' clause";
                return Err(Diagnostic::new(self.peek().span, msg));
            }
            self.bump();
            self.expect(T::Colon)?;
            orelse = self.block()?;
        }
        let finally = if self.eat(&T::Finally) {
            self.expect(T::Colon)?;
            Some(self.block()?)
        } else {
            None
        };
        if handlers.is_empty() && finally.is_none() {
            let msg = "'try' needs an 'except' or 'finally' clause";
            return Err(Diagnostic::new(self.peek().span, msg));
        }
        let kind = StmtKind::Try(Box::new(TryStmt { body, handlers, orelse, finally }));
        Ok(Stmt { kind, span })
    }

    /// `except [classes [as NAME]]: block`.
    fn except_clause(&mut self) -> PResult<ExceptClause> {
        let span = self.bump();
        let mut classes = Vec::new();
        let mut name = None;
        if !self.at(&T::Colon) {
            if self.eat(&T::LParen) {
                while !self.at(&T::RParen) {
                    classes.push(self.expect_name()?);
                    if !self.eat(&T::Comma) {
                        break;
                    }
                }
                let close: Span = self.expect(T::RParen)?;
                if classes.is_empty() {
                    return Err(Diagnostic::new(close, "'except ()' names no exception class"));
                }
            } else {
                classes.push(self.expect_name()?);
            }
            if self.eat(&T::As) {
                name = Some(self.expect_name()?);
            }
        }
        self.expect(T::Colon)?;
        let body = self.block()?;
        Ok(ExceptClause { classes, name, body, span })
    }
}
