//! Expression parsing: precedence climbing over binary operators and comparisons, then unary
//! operators, postfix calls, fields and indexing, and atoms.

use super::{lookup, Kwargs, PResult, Parser};
use crate::front::ast::{BinOp, Expr, ExprKind, UnOp};
use crate::front::lex::TokenKind as T;
use crate::span::{Diagnostic, Span};

/// Binary operators other than comparisons with their binding powers (higher binds tighter);
/// the gaps are prefix `not` ([`NOT_POWER`]) and comparisons ([`COMPARISON_POWER`]).
const BINARY_OPS: &[(T, BinOp, u8)] = &[
    (T::Or, BinOp::Or, 1),
    (T::And, BinOp::And, 2),
    (T::Pipe, BinOp::BitOr, 5),
    (T::Caret, BinOp::BitXor, 6),
    (T::Amp, BinOp::BitAnd, 7),
    (T::Shl, BinOp::Shl, 8),
    (T::Shr, BinOp::Shr, 8),
    (T::Plus, BinOp::Add, 9),
    (T::Minus, BinOp::Sub, 9),
    (T::Star, BinOp::Mul, 10),
    (T::Slash, BinOp::Div, 10),
    (T::SlashSlash, BinOp::FloorDiv, 10),
    (T::Percent, BinOp::Mod, 10),
];

/// The operand of prefix `not` extends over operators of at least this power.
const NOT_POWER: u8 = 3;

/// The binding power of comparisons, `isa` and `as`.
const COMPARISON_POWER: u8 = 4;

/// Comparison operators written with symbols (`is`, `isa` and `as` are handled apart).
const COMPARISONS: &[(T, BinOp)] = &[
    (T::EqEq, BinOp::Eq),
    (T::NotEq, BinOp::Ne),
    (T::Lt, BinOp::Lt),
    (T::Le, BinOp::Le),
    (T::Gt, BinOp::Gt),
    (T::Ge, BinOp::Ge),
];

impl Parser {
    /// A full expression (`a if c else b` and everything below it).
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let then = self.binary(0)?;
        let e = if self.at(&T::If) {
            let span = self.bump();
            let cond = Box::new(self.binary(0)?);
            self.expect(T::Else)?;
            let orelse = Box::new(self.expr()?);
            Expr { kind: ExprKind::IfElse { cond, then: Box::new(then), orelse }, span }
        } else {
            then
        };
        self.leave(1);
        Ok(e)
    }

    /// Prefix `not` (its operand stops before `and`).
    fn not_expr(&mut self) -> PResult<Expr> {
        let span = self.bump();
        self.enter()?;
        let operand = self.binary(NOT_POWER)?;
        self.leave(1);
        Ok(Expr { kind: ExprKind::Unary(UnOp::Not, Box::new(operand)), span })
    }

    /// The binary operator at the cursor: its binding power, and its operator unless it is a
    /// comparison (which [`Parser::comparison`] parses).
    fn infix(&self) -> Option<(u8, Option<BinOp>)> {
        let kind = self.kind();
        if *kind == T::In && self.in_for_target {
            return None;
        }
        let not_in = *kind == T::Not && *self.kind_at(1) == T::In;
        if matches!(kind, T::Is | T::Isa | T::As | T::In)
            || not_in
            || lookup(COMPARISONS, kind).is_some()
        {
            return Some((COMPARISON_POWER, None));
        }
        BINARY_OPS.iter().find(|(k, _, _)| k == kind).map(|(_, op, power)| (*power, Some(*op)))
    }

    /// Operators binding at least as tightly as `min_power`, by precedence climbing (one
    /// frame per operand rather than one per level keeps deep nesting cheap on the stack).
    /// All are left-associative except comparisons, which chain (`a < b < c`) as in Python.
    fn binary(&mut self, min_power: u8) -> PResult<Expr> {
        let mut lhs = if self.at(&T::Not) && min_power <= NOT_POWER {
            self.not_expr()?
        } else {
            self.unary()?
        };
        let mut chain = 0;
        while let Some((power, op)) = self.infix().filter(|(p, _)| *p >= min_power) {
            // Each operator nests the expression so far one level deeper in the tree.
            self.enter()?;
            chain += 1;
            let Some(op) = op else {
                lhs = self.comparison(lhs)?;
                if let Some((COMPARISON_POWER, _)) = self.infix() {
                    lhs = self.comparison_chain(lhs)?;
                }
                continue;
            };
            let span = self.bump();
            let rhs = self.binary(power + 1)?;
            lhs = binary(op, lhs, rhs, span);
        }
        self.leave(chain);
        Ok(lhs)
    }

    /// One comparison, `isa` or `as` with `lhs` on the left; the cursor is on the operator.
    fn comparison(&mut self, lhs: Expr) -> PResult<Expr> {
        let kind = self.kind().clone();
        let span = self.bump();
        let lhs = Box::new(lhs);
        let rhs_power = COMPARISON_POWER + 1;
        let kind = match kind {
            T::Isa => ExprKind::IsA(lhs, self.ty()?),
            T::As => ExprKind::As(lhs, self.ty()?),
            T::Is => {
                let op = if self.eat(&T::Not) { BinOp::IsNot } else { BinOp::Is };
                ExprKind::Binary(op, lhs, Box::new(self.binary(rhs_power)?))
            }
            T::In => return Ok(super::containers::membership(*lhs, self.binary(rhs_power)?, span)),
            T::Not => {
                self.expect(T::In)?;
                let test = super::containers::membership(*lhs, self.binary(rhs_power)?, span);
                ExprKind::Unary(UnOp::Not, Box::new(test))
            }
            other => {
                let op = lookup(COMPARISONS, &other).unwrap_or(BinOp::Eq);
                ExprKind::Binary(op, lhs, Box::new(self.binary(rhs_power)?))
            }
        };
        Ok(Expr { kind, span })
    }

    /// The rest of a chain `a < b < c` after its first comparison `first` (the cursor is on
    /// the second operator): an [`ExprKind::Compare`]. `isa` and `as` do not chain.
    fn comparison_chain(&mut self, first: Expr) -> PResult<Expr> {
        let span = first.span;
        let ExprKind::Binary(op, a, b) = first.kind else {
            let msg = "'isa' and 'as' cannot be chained with comparisons";
            return Err(Diagnostic::new(self.peek().span, msg));
        };
        let mut rest = vec![(op, span, *b)];
        while let Some((COMPARISON_POWER, _)) = self.infix() {
            let op_span = self.peek().span;
            let op = match self.kind().clone() {
                T::Isa | T::As => {
                    let msg = "'isa' and 'as' cannot be chained with comparisons";
                    return Err(Diagnostic::new(op_span, msg));
                }
                T::Is => {
                    self.bump();
                    if self.eat(&T::Not) {
                        BinOp::IsNot
                    } else {
                        BinOp::Is
                    }
                }
                other => {
                    self.bump();
                    lookup(COMPARISONS, &other).unwrap_or(BinOp::Eq)
                }
            };
            self.enter()?;
            let rhs = self.binary(COMPARISON_POWER + 1);
            self.leave(1);
            rest.push((op, op_span, rhs?));
        }
        Ok(Expr { kind: ExprKind::Compare { first: a, rest }, span })
    }

    /// Unary `-` and `~`; `-` directly on a number literal is folded into the literal.
    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            T::Minus => UnOp::Neg,
            T::Tilde => UnOp::Invert,
            _ => return self.postfix(),
        };
        let span = self.bump();
        let literal_alone = !matches!(self.kind_at(1), T::LParen | T::LBracket | T::Dot);
        if op == UnOp::Neg && literal_alone {
            match *self.kind() {
                T::Int(v) if v <= 1 << 63 => {
                    self.bump();
                    // `v as i64` wraps 2^63 to i64::MIN, which is its own negation.
                    return Ok(Expr { kind: ExprKind::Int((v as i64).wrapping_neg()), span });
                }
                T::Float(f) => {
                    self.bump();
                    return Ok(Expr { kind: ExprKind::Float(-f), span });
                }
                _ => {}
            }
        }
        self.enter()?;
        let operand = self.unary()?;
        self.leave(1);
        Ok(Expr { kind: ExprKind::Unary(op, Box::new(operand)), span })
    }

    /// An atom followed by calls, `.field` and `[index]`.
    fn postfix(&mut self) -> PResult<Expr> {
        let start = self.peek().span;
        let mut e = self.atom()?;
        let mut chain = 0;
        loop {
            if matches!(self.kind(), T::LParen | T::Dot | T::LBracket) {
                self.enter()?;
                chain += 1;
            }
            e = match self.kind() {
                T::LParen => {
                    self.bump();
                    let (args, kwargs) = self.call_args()?;
                    let kind = ExprKind::Call { callee: Box::new(e), args, kwargs };
                    Expr { kind, span: start }
                }
                T::Dot => {
                    let span = self.bump();
                    let (field, _) = self.expect_name()?;
                    Expr { kind: ExprKind::Field(Box::new(e), field), span }
                }
                T::LBracket => {
                    let span = self.bump();
                    let first = match self.kind() {
                        T::Colon => None,
                        _ => Some(Box::new(self.expr()?)),
                    };
                    if self.kind() != &T::Colon {
                        self.expect(T::RBracket)?;
                        let Some(index) = first else { unreachable!("no colon means an index") };
                        Expr { kind: ExprKind::Index(Box::new(e), index), span }
                    } else {
                        self.bump();
                        let part = |p: &mut Self| match p.kind() {
                            T::Colon | T::RBracket => Ok(None),
                            _ => p.expr().map(|x| Some(Box::new(x))),
                        };
                        let stop = part(self)?;
                        let has_step = self.kind() == &T::Colon;
                        let step = if has_step {
                            self.bump();
                            part(self)?
                        } else {
                            None
                        };
                        self.expect(T::RBracket)?;
                        let base = Box::new(e);
                        Expr {
                            kind: ExprKind::Slice { base, start: first, stop, step, has_step },
                            span,
                        }
                    }
                }
                _ => {
                    self.leave(chain);
                    return Ok(e);
                }
            };
        }
    }

    /// Call arguments after the `(`, through the `)`; keywords come after positionals.
    fn call_args(&mut self) -> PResult<(Vec<Expr>, Kwargs)> {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        while !self.at(&T::RParen) {
            if let (T::Name(name), T::Assign) = (self.kind(), self.kind_at(1)) {
                let name = name.clone();
                let span = self.bump();
                self.bump();
                kwargs.push((name, self.expr()?, span));
            } else if kwargs.is_empty() {
                args.push(self.expr()?);
            } else {
                let msg = "positional argument after keyword argument";
                return Err(Diagnostic::new(self.peek().span, msg));
            }
            if !self.eat(&T::Comma) {
                break;
            }
        }
        self.expect(T::RParen)?;
        Ok((args, kwargs))
    }

    fn atom(&mut self) -> PResult<Expr> {
        let span = self.peek().span;
        let kind = match self.kind() {
            T::Int(v) => match i64::try_from(*v) {
                Ok(v) => ExprKind::Int(v),
                Err(_) => return Err(Diagnostic::new(span, "integer literal too large")),
            },
            T::Float(f) => ExprKind::Float(*f),
            T::Char(c) => ExprKind::Char(*c),
            T::Str(s) => ExprKind::Str(s.clone()),
            T::True => ExprKind::Bool(true),
            T::False => ExprKind::Bool(false),
            T::None => ExprKind::None,
            T::Name(n) => ExprKind::Name(n.clone()),
            T::LParen => {
                self.bump();
                let inner = self.expr()?;
                if !self.at(&T::Comma) {
                    self.expect(T::RParen)?;
                    return Ok(inner);
                }
                // A tuple: `(a, b)`, `(a,)`.
                let mut items = vec![inner];
                while self.eat(&T::Comma) && !self.at(&T::RParen) {
                    items.push(self.expr()?);
                }
                self.expect(T::RParen)?;
                return Ok(Expr { kind: ExprKind::Tuple(items), span });
            }
            T::LBracket => {
                self.bump();
                let mut items = Vec::new();
                while !self.at(&T::RBracket) {
                    items.push(self.expr()?);
                    if !self.eat(&T::Comma) {
                        break;
                    }
                }
                self.expect(T::RBracket)?;
                return Ok(Expr { kind: ExprKind::ArrayLit(items), span });
            }
            T::LBrace => return self.dict_literal(),
            T::Array | T::Frozen => {
                return Ok(Expr { kind: ExprKind::ArrayType(self.ty()?), span });
            }
            _ => return Err(self.unexpected("expression")),
        };
        self.bump();
        Ok(Expr { kind, span })
    }
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr, span: Span) -> Expr {
    Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span }
}
