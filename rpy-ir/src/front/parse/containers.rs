//! Parsing of the container syntax: the types `list[T]`, `dict[K, V]`, `rdict[K, V]`, and
//! the forms that are sugar for container methods.
//!
//! Grammar:
//! ```text
//! generic  := ('list' | 'dict' | 'rdict') '[' type (',' type)* ']'
//! del_stmt := 'del' postfix '[' expr ']'          -- obj.__delitem__(expr)
//! member   := expr 'in' expr | expr 'not' 'in' expr   -- rhs.__contains__(lhs)
//! ```
//! The sugar is resolved by the parser into method calls with reserved names (`__contains__`,
//! `__delitem__`); a slice `obj[lo:hi]` is the parser's `ExprKind::Slice` (shared with
//! strings), which lowering turns into `obj.__getslice__(lo, hi)` on a list. The front end's
//! container dispatch
//! (`front/lower/containers.rs`) gives them their meaning, and reports their misuse on any
//! other type with the operator's own words. `del` is not a keyword: only `del NAME...` at
//! the start of a statement is a `del` statement, so `del` stays usable as a name. A missing
//! list slice bound is `0` (low) or `i64::MAX` (high); the helpers clamp as Python does.
//! Spans: the method call sits at the operator (`in`, `[`, `del`).

use super::{PResult, Parser};
use crate::front::ast::{Expr, ExprKind, StmtKind, TypeExpr};
use crate::front::lex::TokenKind as T;
use crate::span::{Diagnostic, Span};

/// The names of the generic container families (type syntax `NAME[args]`).
pub(crate) const FAMILIES: &[&str] = &["list", "dict", "rdict"];

/// The method that `a in b` calls on `b`.
pub(crate) const CONTAINS: &str = "__contains__";
/// The method that `del a[i]` calls on `a`.
pub(crate) const DELITEM: &str = "__delitem__";
/// The method that `a[i:j]` calls on `a`.
pub(crate) const GETSLICE: &str = "__getslice__";

/// `recv.method(args)` at `span`.
fn method_call(recv: Expr, method: &str, args: Vec<Expr>, span: Span) -> Expr {
    let callee = Expr { kind: ExprKind::Field(Box::new(recv), method.to_string()), span };
    Expr { kind: ExprKind::Call { callee: Box::new(callee), args, kwargs: Vec::new() }, span }
}

/// `item in container`, as a method call at the `in`.
pub(super) fn membership(item: Expr, container: Expr, span: Span) -> Expr {
    method_call(container, CONTAINS, vec![item], span)
}

impl Parser {
    /// The `[args]` of a generic type whose family name `name` has been read.
    pub(super) fn generic_args(&mut self, name: String, span: Span) -> PResult<TypeExpr> {
        self.expect(T::LBracket)?;
        let mut args = vec![self.ty()?];
        while self.eat(&T::Comma) {
            args.push(self.ty()?);
        }
        self.expect(T::RBracket)?;
        Ok(TypeExpr::Generic { name, args, span })
    }

    /// `{k: v, ...}` (the cursor is on `{`; a trailing comma is allowed).
    pub(super) fn dict_literal(&mut self) -> PResult<Expr> {
        let span = self.bump();
        let mut pairs = Vec::new();
        while !self.at(&T::RBrace) {
            let k = self.expr()?;
            self.expect(T::Colon)?;
            pairs.push((k, self.expr()?));
            if !self.eat(&T::Comma) {
                break;
            }
        }
        self.expect(T::RBrace)?;
        Ok(Expr { kind: ExprKind::DictLit(pairs), span })
    }

    /// `del obj[index]` (the cursor is on `del`).
    pub(super) fn del_stmt(&mut self) -> PResult<StmtKind> {
        let span = self.bump();
        let target = self.expr()?;
        let ExprKind::Index(obj, index) = target.kind else {
            return Err(Diagnostic::new(target.span, "'del' takes an item: del container[key]"));
        };
        Ok(StmtKind::Expr(method_call(*obj, DELITEM, vec![*index], span)))
    }
}
