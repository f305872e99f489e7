//! Source locations of instructions, for the position markers of tracebacks.
//!
//! Vocabulary: an instruction's `Loc` is the span of the expression or statement it was
//! compiled from (as CPython 3.11's `co_positions`: start column, end line, end column;
//! the start line is the line table's), plus an `Anchor` when that node is a binary
//! operation or a subscript: CPython prints `~~~^^^` there instead of `^^^^^^`, and finds
//! the `^` part by parsing the source segment again; we record the columns it needs at
//! compile time instead. Invariants: columns are 0-based characters, ends exclusive; an
//! anchor is recorded only for a node on one line (CPython looks for one only then).

use crate::ast::{Expr, ExprKind, Pos};

/// What marks the secondary (`^`) range of a location.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Anchor {
    /// No secondary range: the whole span is marked `^`.
    #[default]
    None,
    /// A binary operation: the operator is the first non-blank text between the two
    /// columns (the end of the left operand, the start of the right one).
    BinOp(u32, u32),
    /// A subscript: the range between the two columns (from the end of the value to one
    /// past the end of the index).
    Subscript(u32, u32),
}

impl Anchor {
    /// Its encoding: kind (0 none, 1 binary operation, 2 subscript) and two columns.
    pub fn words(self) -> [u32; 3] {
        match self {
            Anchor::None => [0, 0, 0],
            Anchor::BinOp(a, b) => [1, a, b],
            Anchor::Subscript(a, b) => [2, a, b],
        }
    }
}

/// The location of one instruction (its start line is kept in the line table).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    /// The node's span.
    pub pos: Pos,
    /// Its secondary range, if any.
    pub anchor: Anchor,
}

impl Loc {
    /// The location of a statement.
    pub fn of_pos(pos: Pos) -> Loc {
        Loc { pos, anchor: Anchor::None }
    }

    /// The location of an expression (with its anchor, when it has one).
    pub fn of_expr(e: &Expr) -> Loc {
        let one_line = e.pos.line == e.pos.end_line;
        let anchor = match &e.kind {
            ExprKind::BinOp(l, _, r) if one_line => Anchor::BinOp(l.pos.end_col, r.pos.col),
            ExprKind::Subscript(v, s) if one_line => {
                Anchor::Subscript(v.pos.end_col, s.pos.end_col + 1)
            }
            _ => Anchor::None,
        };
        Loc { pos: e.pos, anchor }
    }
}
