//! Checking assignment, augmented-assignment, `del`, `for` and `with` targets, with CPython
//! 3.11's messages ("cannot assign to function call here. Maybe you meant '==' instead of
//! '='?", "cannot delete literal", "'tuple' is an illegal expression for augmented
//! assignment").

use crate::ast::*;
use crate::error::{PResult, SyntaxError};

/// Where a target appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetCtx {
    /// `target = value`.
    Assign,
    /// The only target of `target = value` (CPython adds "here. Maybe you meant '=='").
    AssignOnly,
    /// `del target`.
    Del,
    /// `for target in ...` (also comprehensions).
    For,
    /// `with ... as target`.
    With,
}

/// CPython's name for an expression that cannot be a target (`None` for one that can).
pub(crate) fn expr_name(e: &Expr) -> Option<&'static str> {
    Some(match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => return None,
        ExprKind::Tuple(_) | ExprKind::List(_) | ExprKind::Starred(_) => return None,
        ExprKind::Call(..) => "function call",
        ExprKind::Compare(..) => "comparison",
        ExprKind::BinOp(..) | ExprKind::UnaryOp(..) | ExprKind::BoolOp(..) => "expression",
        ExprKind::Constant(Constant::None) => "None",
        ExprKind::Constant(Constant::Bool(true)) => "True",
        ExprKind::Constant(Constant::Bool(false)) => "False",
        ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::JoinedStr(_) => "f-string expression",
        ExprKind::Lambda(..) => "lambda",
        ExprKind::IfExp(..) => "conditional expression",
        ExprKind::ListComp(..) => "list comprehension",
        ExprKind::SetComp(..) => "set comprehension",
        ExprKind::DictComp(..) => "dict comprehension",
        ExprKind::GeneratorExp(..) => "generator expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Dict(..) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::Slice(..) => "slice",
        ExprKind::NamedExpr(..) => "named expression",
    })
}

/// The first sub-expression of `e` that cannot be a target, with its name.
fn invalid_part(e: &Expr, ctx: TargetCtx) -> Option<(&Expr, &'static str)> {
    match &e.kind {
        ExprKind::Tuple(elts) | ExprKind::List(elts) => {
            elts.iter().find_map(|x| invalid_part(x, ctx))
        }
        ExprKind::Starred(inner) if ctx != TargetCtx::Del => invalid_part(inner, ctx),
        ExprKind::Starred(_) => Some((e, "starred")),
        _ => expr_name(e).map(|n| (e, n)),
    }
}

fn error_at(e: &Expr, msg: String) -> SyntaxError {
    let end = if e.pos.end_line == e.pos.line { e.pos.end_col } else { e.pos.col + 1 };
    SyntaxError::new(msg, e.pos.line, e.pos.col, end)
}

/// Checks a target, with CPython's message for the first part that cannot be one.
pub fn check(e: &Expr, ctx: TargetCtx) -> PResult<()> {
    if let Some(bad) = reserved_name(e) {
        return Err(error_at(bad.0, format!("cannot assign to {}", bad.1)));
    }
    let Some((bad, what)) = invalid_part(e, ctx) else { return Ok(()) };
    let msg = match ctx {
        TargetCtx::Del => format!("cannot delete {what}"),
        TargetCtx::AssignOnly
            if std::ptr::eq(bad, e)
                && !matches!(
                    e.kind,
                    ExprKind::Yield(_)
                        | ExprKind::YieldFrom(_)
                        | ExprKind::GeneratorExp(..)
                        | ExprKind::Compare(..)
                        | ExprKind::BoolOp(..)
                        | ExprKind::UnaryOp(UnaryOp::Not, _)
                        | ExprKind::Lambda(..)
                        | ExprKind::IfExp(..)
                        | ExprKind::Constant(Constant::None | Constant::Bool(_))
                ) =>
        {
            format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
        }
        TargetCtx::Assign | TargetCtx::AssignOnly
            if matches!(bad.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) =>
        {
            "assignment to yield expression not possible".to_string()
        }
        _ => format!("cannot assign to {what}"),
    };
    Err(error_at(bad, msg))
}

/// `__debug__` may not be assigned.
fn reserved_name(e: &Expr) -> Option<(&Expr, &'static str)> {
    match &e.kind {
        ExprKind::Name(n) if n == "__debug__" => Some((e, "__debug__")),
        ExprKind::Tuple(elts) | ExprKind::List(elts) => elts.iter().find_map(reserved_name),
        ExprKind::Starred(inner) => reserved_name(inner),
        _ => None,
    }
}

/// Checks the target of an augmented assignment: a name, attribute or subscript.
pub fn check_aug(e: &Expr) -> PResult<()> {
    let what = match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => return Ok(()),
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Starred(_) => "starred",
        _ => expr_name(e).unwrap_or("expression"),
    };
    Err(error_at(e, format!("'{what}' is an illegal expression for augmented assignment")))
}

impl super::Parser {
    /// `target := value` after `target` (at the `:=`): CPython's "cannot use assignment
    /// expressions with ..." when the target is not a name.
    pub(super) fn walrus(&mut self, target: Expr) -> PResult<Expr> {
        let what = match &target.kind {
            ExprKind::Name(_) => None,
            ExprKind::Attribute(..) => Some("attribute"),
            ExprKind::Subscript(..) => Some("subscript"),
            ExprKind::Tuple(_) => Some("tuple"),
            ExprKind::List(_) => Some("list"),
            ExprKind::Starred(_) => Some("starred"),
            _ => Some(expr_name(&target).unwrap_or("expression")),
        };
        if let Some(what) = what {
            return Err(error_at(
                &target,
                format!("cannot use assignment expressions with {what}"),
            ));
        }
        self.next();
        let value = self.expression()?;
        let pos = target.pos.to(value.pos);
        Ok(Expr { kind: ExprKind::NamedExpr(Box::new(target), Box::new(value)), pos })
    }
}
