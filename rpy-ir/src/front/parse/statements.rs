//! The `for` statement and expression lists (bare tuples: `return a, b`, `a, b = t`).
//!
//! An expression list is one expression, or several separated by commas (a trailing comma
//! allowed), which makes an [`ExprKind::Tuple`] at the position of its first item. It is
//! accepted where Python accepts one without parentheses in RPy's subset: the value of
//! `return`, both sides of `=`, and the target of `for`. Assignment and `for` targets that are
//! tuples must list plain names (unpacking into fields or items is not supported).

use super::{PResult, Parser};
use crate::front::ast::{Expr, ExprKind, Stmt, StmtKind};
use crate::front::lex::TokenKind as T;
use crate::span::Diagnostic;

impl Parser {
    /// An expression, or a tuple of several written without parentheses.
    pub(super) fn expr_list(&mut self) -> PResult<Expr> {
        let first = self.expr()?;
        if !self.at(&T::Comma) {
            return Ok(first);
        }
        let span = first.span;
        let mut items = vec![first];
        while self.eat(&T::Comma) {
            if matches!(
                self.kind(),
                T::Newline | T::Semi | T::Assign | T::Colon | T::In | T::RParen | T::Eof
            ) {
                break;
            }
            items.push(self.expr()?);
        }
        Ok(Expr { kind: ExprKind::Tuple(items), span })
    }

    /// `for target in iter:` then the body, and an optional `else:` block.
    pub(super) fn for_stmt(&mut self) -> PResult<Stmt> {
        let span = self.bump();
        self.in_for_target = true;
        let target = self.expr_list();
        self.in_for_target = false;
        let target = target?;
        check_names(&target)?;
        self.expect(T::In)?;
        let iter = self.expr()?;
        self.expect(T::Colon)?;
        let body = self.block()?;
        let mut orelse = Vec::new();
        if self.eat(&T::Else) {
            self.expect(T::Colon)?;
            orelse = self.block()?;
        }
        Ok(Stmt { kind: StmtKind::For { target, iter, body, orelse }, span })
    }
}

/// A `for` target or an unpacking target: a name, or a tuple of names and tuples of names
/// (`for i, (k, v) in enumerate(d.items())`).
pub(super) fn check_names(target: &Expr) -> PResult<()> {
    let items = match &target.kind {
        ExprKind::Name(_) => return Ok(()),
        ExprKind::Tuple(items) => items,
        _ => return Err(Diagnostic::new(target.span, "a loop variable must be a name")),
    };
    for item in items {
        match &item.kind {
            ExprKind::Name(_) => {}
            ExprKind::Tuple(_) => check_names(item)?,
            _ => return Err(Diagnostic::new(item.span, "only names can be unpacked into")),
        }
    }
    Ok(())
}
