//! Expressions, by precedence (see the parser's module header for the ladder).

use super::Parser;
use crate::ast::*;
use crate::error::{PResult, SyntaxError};
use crate::token::{is_keyword, Tok};

impl Parser {
    /// `star_expressions`: one or more (possibly starred) expressions; a tuple if commas.
    pub(super) fn star_expressions(&mut self) -> PResult<Expr> {
        let first = self.star_expression()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(",") {
            if !self.starts_expression() {
                break;
            }
            elts.push(self.star_expression()?);
        }
        let pos = elts[0].pos.to(Self::span(self.prev()));
        Ok(Expr { kind: ExprKind::Tuple(elts), pos })
    }

    fn star_expression(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            let t = self.next();
            let e = self.bitwise_or()?;
            let pos = Self::span(&t).to(e.pos);
            return Ok(Expr { kind: ExprKind::Starred(Box::new(e)), pos });
        }
        self.expression()
    }

    /// A target of `for`, `del` or `with ... as`: a `bitwise_or` or a starred one.
    pub(super) fn bitwise_or_or_star(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            let t = self.next();
            let e = self.bitwise_or()?;
            let pos = Self::span(&t).to(e.pos);
            return Ok(Expr { kind: ExprKind::Starred(Box::new(e)), pos });
        }
        self.bitwise_or()
    }

    /// `star_targets` of a `for`: targets separated by commas, a tuple if commas.
    pub(super) fn target_list(&mut self) -> PResult<Expr> {
        let first = self.bitwise_or_or_star()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(",") {
            if self.at_kw("in") || self.at_op("=") {
                break;
            }
            elts.push(self.bitwise_or_or_star()?);
        }
        let pos = elts[0].pos.to(Self::span(self.prev()));
        Ok(Expr { kind: ExprKind::Tuple(elts), pos })
    }

    /// Can the current token start an expression?
    pub(super) fn starts_expression(&self) -> bool {
        let t = self.peek();
        match &t.tok {
            Tok::Name(n) => {
                !is_keyword(n)
                    || matches!(n.as_str(), "None" | "True" | "False" | "not" | "lambda" | "await")
            }
            Tok::Int(_) | Tok::Float(_) | Tok::Imaginary | Tok::Str(_) => true,
            Tok::Op(o) => matches!(*o, "(" | "[" | "{" | "-" | "+" | "~" | "*" | "..."),
            _ => false,
        }
    }

    /// `named_expression`: an expression; `:=` is outside the subset.
    pub(super) fn named_expression(&mut self) -> PResult<Expr> {
        let e = self.expression()?;
        if self.at_op(":=") {
            return self.walrus(e);
        }
        if self.at_op("=") && self.peek_at(1).tok != Tok::Op("=") {
            // `if x = 1:` — CPython's hint
            if let ExprKind::Name(_) = e.kind {
                let save = self.pos;
                self.probing += 1;
                self.next();
                let value = self.bitwise_or();
                let ok = value.is_ok() && !self.at_op("=") && !self.at_op(":=");
                self.pos = save;
                self.probing -= 1;
                if let (true, Ok(v)) = (ok, value) {
                    return Err(SyntaxError::spanning(
                        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                        e.pos.to(v.pos),
                    ));
                }
            } else if super::targets::expr_name(&e).is_some() {
                let save = self.pos;
                self.probing += 1;
                self.next();
                let ok = self.bitwise_or().is_ok() && !self.at_op("=") && !self.at_op(":=");
                self.pos = save;
                self.probing -= 1;
                if ok {
                    let what = super::targets::expr_name(&e).expect("checked");
                    return Err(SyntaxError::new(
                        format!(
                            "cannot assign to {what} here. Maybe you meant '==' instead of '='?"
                        ),
                        e.pos.line,
                        e.pos.col,
                        e.pos.end_col,
                    ));
                }
            }
        }
        Ok(e)
    }

    /// `expression`: a conditional expression or a lambda.
    pub(super) fn expression(&mut self) -> PResult<Expr> {
        self.nested(|p| p.expression_inner())
    }

    fn expression_inner(&mut self) -> PResult<Expr> {
        if self.at_kw("lambda") {
            return self.lambda();
        }
        let body = self.disjunction()?;
        if self.at_kw("if") {
            self.next();
            let save = self.pos;
            let test = match self.disjunction() {
                Ok(t) => t,
                Err(e) => {
                    // CPython's PEG parser backs off to the longest operand that parses
                    self.pos = save;
                    self.probing += 1;
                    if let Ok(t) = self.bitwise_or() {
                        if !self.at_kw("else") && !self.at_op(":") {
                            return Err(SyntaxError::spanning(
                                "expected 'else' after 'if' expression",
                                body.pos.to(t.pos),
                            ));
                        }
                    }
                    return Err(e);
                }
            };
            if !self.eat_kw("else") {
                if self.at_op(":") || matches!(self.peek().tok, Tok::Newline) || !self.at_kw("else")
                {
                    let p = body.pos.to(test.pos);
                    if !self.at_op(":") {
                        return Err(SyntaxError::new(
                            "expected 'else' after 'if' expression",
                            p.line,
                            p.col,
                            p.end_col,
                        ));
                    }
                }
                return Err(self.invalid_syntax());
            }
            let orelse = self.expression()?;
            let pos = body.pos.to(orelse.pos);
            return Ok(Expr {
                kind: ExprKind::IfExp(Box::new(test), Box::new(body), Box::new(orelse)),
                pos,
            });
        }
        Ok(body)
    }

    fn lambda(&mut self) -> PResult<Expr> {
        let t = self.next();
        let args = self.parameters(":")?;
        self.expect_op(":")?;
        let body = self.expression()?;
        let pos = Self::span(&t).to(body.pos);
        Ok(Expr { kind: ExprKind::Lambda(Box::new(args), Box::new(body)), pos })
    }

    /// `yield`, `yield value`, `yield from value`.
    pub(super) fn yield_expr(&mut self) -> PResult<Expr> {
        let t = self.next();
        let start = Self::span(&t);
        if self.eat_kw("from") {
            let e = self.expression()?;
            let pos = start.to(e.pos);
            return Ok(Expr { kind: ExprKind::YieldFrom(Box::new(e)), pos });
        }
        if self.starts_expression() {
            let e = self.star_expressions()?;
            let pos = start.to(e.pos);
            return Ok(Expr { kind: ExprKind::Yield(Some(Box::new(e))), pos });
        }
        Ok(Expr { kind: ExprKind::Yield(None), pos: start })
    }

    fn disjunction(&mut self) -> PResult<Expr> {
        let first = self.conjunction()?;
        if !self.at_kw("or") {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw("or") {
            values.push(self.conjunction()?);
        }
        let pos = values[0].pos.to(values.last().expect("two").pos);
        Ok(Expr { kind: ExprKind::BoolOp(BoolOp::Or, values), pos })
    }

    fn conjunction(&mut self) -> PResult<Expr> {
        let first = self.inversion()?;
        if !self.at_kw("and") {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw("and") {
            values.push(self.inversion()?);
        }
        let pos = values[0].pos.to(values.last().expect("two").pos);
        Ok(Expr { kind: ExprKind::BoolOp(BoolOp::And, values), pos })
    }

    fn inversion(&mut self) -> PResult<Expr> {
        if self.at_kw("not") {
            let t = self.next();
            let e = self.nested(|p| p.inversion())?;
            let pos = Self::span(&t).to(e.pos);
            return Ok(Expr { kind: ExprKind::UnaryOp(UnaryOp::Not, Box::new(e)), pos });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let left = self.bitwise_or()?;
        let mut ops = Vec::new();
        loop {
            let op = match &self.peek().tok {
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("!=") => CmpOp::NotEq,
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op("<=") => CmpOp::LtE,
                Tok::Op(">") => CmpOp::Gt,
                Tok::Op(">=") => CmpOp::GtE,
                Tok::Name(n) if n == "in" => CmpOp::In,
                Tok::Name(n) if n == "is" => {
                    if self.peek_at(1).is_name("not") {
                        self.next();
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                Tok::Name(n) if n == "not" && self.peek_at(1).is_name("in") => {
                    self.next();
                    CmpOp::NotIn
                }
                _ => break,
            };
            self.next();
            ops.push((op, self.bitwise_or()?));
        }
        if ops.is_empty() {
            return Ok(left);
        }
        let pos = left.pos.to(ops.last().expect("one").1.pos);
        Ok(Expr { kind: ExprKind::Compare(Box::new(left), ops), pos })
    }

    pub(super) fn bitwise_or(&mut self) -> PResult<Expr> {
        self.binary_level(0)
    }

    /// Left-associative binary operators, level by level: `|`, `^`, `&`, shifts, `+ -`,
    /// `* / // % @`.
    fn binary_level(&mut self, level: usize) -> PResult<Expr> {
        const LEVELS: &[&[(&str, Option<BinOp>)]] = &[
            &[("|", Some(BinOp::BitOr))],
            &[("^", Some(BinOp::BitXor))],
            &[("&", Some(BinOp::BitAnd))],
            &[("<<", Some(BinOp::LShift)), (">>", Some(BinOp::RShift))],
            &[("+", Some(BinOp::Add)), ("-", Some(BinOp::Sub))],
            &[
                ("*", Some(BinOp::Mult)),
                ("/", Some(BinOp::Div)),
                ("//", Some(BinOp::FloorDiv)),
                ("%", Some(BinOp::Mod)),
                ("@", None),
            ],
        ];
        if level == LEVELS.len() {
            return self.factor();
        }
        // CPython's span of a binary operation starts and ends with its tokens (a
        // parenthesized operand's parentheses included)
        let start = Self::span(self.peek());
        let mut left = self.binary_level(level + 1)?;
        loop {
            let Some(&(_, op)) = LEVELS[level].iter().find(|(s, _)| self.at_op(s)) else {
                return Ok(left);
            };
            let t = self.next();
            let Some(op) = op else {
                return Err(
                    self.unsupported("the matrix multiplication operator '@'", Self::span(&t))
                );
            };
            let right = self.binary_level(level + 1)?;
            let pos = start.to(Self::span(self.prev()));
            left = Expr { kind: ExprKind::BinOp(Box::new(left), op, Box::new(right)), pos };
        }
    }

    fn factor(&mut self) -> PResult<Expr> {
        let op = match self.peek().tok {
            Tok::Op("-") => UnaryOp::USub,
            Tok::Op("+") => UnaryOp::UAdd,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        let t = self.next();
        let e = self.nested(|p| p.factor())?;
        let pos = Self::span(&t).to(e.pos);
        Ok(Expr { kind: ExprKind::UnaryOp(op, Box::new(e)), pos })
    }

    fn power(&mut self) -> PResult<Expr> {
        if self.at_kw("await") {
            return Err(self.unsupported("'await'", Self::span(self.peek())));
        }
        let start = Self::span(self.peek());
        let base = self.primary()?;
        if self.eat_op("**") {
            let exp = self.nested(|p| p.factor())?;
            let pos = start.to(Self::span(self.prev()));
            return Ok(Expr {
                kind: ExprKind::BinOp(Box::new(base), BinOp::Pow, Box::new(exp)),
                pos,
            });
        }
        Ok(base)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let mut e = self.atom()?;
        loop {
            if self.at_op(".") {
                self.next();
                let name = self.name()?;
                let pos = self.pos_from(e.pos);
                e = Expr { kind: ExprKind::Attribute(Box::new(e), name), pos };
            } else if self.at_op("(") {
                self.next();
                self.depth += 1;
                let (args, keywords) = self.call_arguments(true)?;
                self.depth -= 1;
                let pos = self.pos_from(e.pos);
                e = Expr { kind: ExprKind::Call(Box::new(e), args, keywords), pos };
            } else if self.at_op("[") {
                if self.depth > 0 && self.peek_at(1).is_op("]") {
                    // `a[]`: CPython's second pass reads `[]` as a list after `a`
                    let close = Self::span(self.peek_at(1));
                    return Err(SyntaxError::spanning(
                        "invalid syntax. Perhaps you forgot a comma?",
                        e.pos.to(close),
                    ));
                }
                self.next();
                self.depth += 1;
                let index = self.subscript()?;
                self.close(&index, "]")?;
                self.depth -= 1;
                let pos = self.pos_from(e.pos);
                e = Expr { kind: ExprKind::Subscript(Box::new(e), Box::new(index)), pos };
            } else {
                return Ok(e);
            }
        }
    }

    /// Expects the closing bracket after `last`; two expressions in a row inside brackets
    /// get CPython's "Perhaps you forgot a comma?".
    fn close(&mut self, last: &Expr, bracket: &str) -> PResult<()> {
        if self.eat_op(bracket) {
            return Ok(());
        }
        Err(self.missing_comma(last))
    }

    /// Expects the bracket closing a comprehension (whose last part is a disjunction, so
    /// CPython gives no comma hint there).
    fn close_comprehension(&mut self, bracket: &str) -> PResult<()> {
        if self.eat_op(bracket) {
            return Ok(());
        }
        self.probe_expression();
        Err(self.invalid_syntax())
    }

    /// Parses an expression at the current token and forgets it: CPython's error rules try
    /// one there, and how far they read decides which error it finally reports.
    pub(super) fn probe_expression(&mut self) {
        if self.starts_expression() {
            let save = self.pos;
            self.probing += 1;
            let _ = self.expression();
            self.pos = save;
            self.probing -= 1;
        }
    }

    fn missing_comma(&mut self, last: &Expr) -> SyntaxError {
        // CPython's hint spans from the last disjunction parsed: inside `*x`, a lambda's
        // body, a conditional's `else` operand
        let mut last = last;
        loop {
            last = match &last.kind {
                ExprKind::Starred(inner) => inner,
                ExprKind::Lambda(_, body) => body,
                ExprKind::IfExp(_, _, orelse) => orelse,
                _ => break,
            };
        }
        if self.depth > 0
            && self.starts_expression()
            && !self.at_op("*")
            && !self.at_op("-")
            && !self.at_op("+")
        {
            let save = self.pos;
            self.probing += 1;
            let next = self.expression();
            self.pos = save;
            self.probing -= 1;
            let legacy = matches!(&last.kind, ExprKind::Name(n) if n == "print" || n == "exec");
            if let Ok(b) = next {
                // CPython's rule starts with !(NAME STRING): no hint for `name "string"`
                let name_string = matches!(last.kind, ExprKind::Name(_))
                    && matches!(self.peek().tok, Tok::Str(_));
                if !legacy && !name_string {
                    return SyntaxError::new(
                        "invalid syntax. Perhaps you forgot a comma?",
                        last.pos.line,
                        last.pos.col,
                        if b.pos.end_line == last.pos.line {
                            b.pos.end_col
                        } else {
                            last.pos.end_col
                        },
                    );
                }
            }
        }
        self.probe_expression();
        self.invalid_syntax()
    }

    fn subscript(&mut self) -> PResult<Expr> {
        let first = self.slice_item()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(",") {
            if self.at_op("]") {
                break;
            }
            elts.push(self.slice_item()?);
        }
        let pos = elts[0].pos.to(Self::span(self.prev()));
        Ok(Expr { kind: ExprKind::Tuple(elts), pos })
    }

    fn slice_item(&mut self) -> PResult<Expr> {
        let start = Self::span(self.peek());
        let lower = if self.at_op(":") { None } else { Some(self.named_expression()?) };
        if !self.at_op(":") {
            return Ok(lower.expect("parsed"));
        }
        self.next();
        let upper = if self.at_op(":") || self.at_op("]") || self.at_op(",") {
            None
        } else {
            Some(Box::new(self.expression()?))
        };
        let step = if self.eat_op(":") {
            if self.at_op("]") || self.at_op(",") {
                None
            } else {
                Some(Box::new(self.expression()?))
            }
        } else {
            None
        };
        let pos = self.pos_from(start);
        Ok(Expr { kind: ExprKind::Slice(lower.map(Box::new), upper, step), pos })
    }

    /// Arguments of a call after `(`, through the `)`.
    /// A class's bases may not be a bare generator expression (`allow_genexp` false).
    pub(super) fn call_arguments(
        &mut self,
        allow_genexp: bool,
    ) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        let mut args: Vec<Expr> = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let mut seen_kwunpack = false;
        while !self.at_op(")") {
            let n_before = (args.len(), keywords.len());
            let t = self.peek().clone();
            let start = Self::span(&t);
            if self.eat_op("**") {
                let value = self.expression()?;
                seen_kwunpack = true;
                keywords.push(Keyword { arg: None, pos: start.to(value.pos), value });
            } else if self.at_op("*") {
                if seen_kwunpack {
                    // CPython 3.11.2 (Debian 12's) points at the arguments before the `*`
                    let first = args
                        .iter()
                        .map(|a| a.pos)
                        .chain(keywords.iter().map(|k| k.pos))
                        .min_by_key(|p| (p.line, p.col));
                    let last = self.prev().clone();
                    let from = first.unwrap_or(start);
                    return Err(SyntaxError::spanning(
                        "iterable argument unpacking follows keyword argument unpacking",
                        from.to(Pos {
                            line: last.line,
                            col: last.col,
                            end_line: last.line,
                            end_col: last.col,
                        }),
                    ));
                }
                let e = self.star_expression()?;
                args.push(e);
            } else if matches!(&t.tok, Tok::Name(n) if !is_keyword(n)) && self.peek_at(1).is_op("=")
            {
                let name = self.name()?;
                self.next();
                let value = self.expression()?;
                keywords.push(Keyword { arg: Some(name), pos: start.to(value.pos), value });
            } else {
                let mut e = self.expression()?;
                if self.at_op(":=") {
                    e = self.walrus(e)?;
                }
                if self.at_op("=") {
                    let eq = Self::span(self.peek());
                    return Err(SyntaxError::spanning(
                        "expression cannot contain assignment, perhaps you meant \"==\"?",
                        e.pos.to(eq),
                    ));
                }
                if self.at_kw("for") && !allow_genexp {
                    return Err(self.invalid_syntax());
                }
                let e = if self.at_kw("for") {
                    let gens = self.comprehension_clauses()?;
                    let pos = self.pos_from(e.pos);
                    let g = Expr { kind: ExprKind::GeneratorExp(Box::new(e), gens), pos };
                    let alone = args.is_empty() && keywords.is_empty() && self.at_op(")");
                    if !alone {
                        return Err(SyntaxError::new(
                            "Generator expression must be parenthesized",
                            g.pos.line,
                            g.pos.col,
                            g.pos.end_col,
                        ));
                    }
                    let pos = Self::span(self.prev());
                    Expr { pos: Pos { col: g.pos.col.saturating_sub(0), ..g.pos }.to(pos), ..g }
                } else {
                    e
                };
                if !keywords.is_empty() {
                    let msg = if seen_kwunpack {
                        "positional argument follows keyword argument unpacking"
                    } else {
                        "positional argument follows keyword argument"
                    };
                    let t = self.peek();
                    return Err(SyntaxError::new(msg, t.line, t.col, t.end_col));
                }
                args.push(e);
            }
            if !self.eat_op(",") {
                if !self.at_op(")") {
                    // the argument just parsed (CPython's comma hint starts there)
                    let last = if keywords.len() > n_before.1 {
                        keywords.last().map(|k| k.value.clone())
                    } else if args.len() > n_before.0 {
                        args.last().cloned()
                    } else {
                        None
                    };
                    return Err(match last {
                        Some(l) => self.missing_comma(&l),
                        None => self.invalid_syntax(),
                    });
                }
                break;
            }
        }
        self.expect_op(")")?;
        Ok((args, keywords))
    }

    /// `for target in iter if cond ...` clauses of a comprehension.
    fn comprehension_clauses(&mut self) -> PResult<Vec<Comprehension>> {
        let mut gens = Vec::new();
        while self.at_kw("for") {
            self.next();
            let target = self.target_list()?;
            super::targets::check(&target, super::TargetCtx::For)?;
            if !self.eat_kw("in") {
                return Err(self.invalid_syntax());
            }
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_kw("if") {
                ifs.push(self.disjunction()?);
            }
            gens.push(Comprehension { target, iter, ifs });
        }
        if self.at_kw("async") {
            return Err(self.unsupported("'async for'", Self::span(self.peek())));
        }
        Ok(gens)
    }

    fn atom(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        let pos = Self::span(&t);
        let kind = match &t.tok {
            Tok::Name(n) => match n.as_str() {
                "None" => ExprKind::Constant(Constant::None),
                "True" => ExprKind::Constant(Constant::Bool(true)),
                "False" => ExprKind::Constant(Constant::Bool(false)),
                "yield" => {
                    if self.depth > 0 && self.prev().is_op("(") {
                        let e = self.yield_expr()?;
                        return Ok(e);
                    }
                    return Err(self.invalid_syntax());
                }
                n if is_keyword(n) => return Err(self.invalid_syntax()),
                _ => ExprKind::Name(n.to_string()),
            },
            Tok::Int(v) => ExprKind::Constant(Constant::Int(v.clone())),
            Tok::Float(v) => ExprKind::Constant(Constant::Float(*v)),
            Tok::Imaginary => return Err(self.unsupported("an imaginary (complex) literal", pos)),
            Tok::Str(_) => return self.strings(),
            Tok::Op("...") => ExprKind::Constant(Constant::Ellipsis),
            Tok::Op("(") => return self.paren(),
            Tok::Op("[") => return self.list_display(),
            Tok::Op("{") => return self.brace_display(),
            _ => return Err(self.invalid_syntax()),
        };
        self.next();
        Ok(Expr { kind, pos })
    }

    fn paren(&mut self) -> PResult<Expr> {
        let open = self.next();
        let start = Self::span(&open);
        self.depth += 1;
        let r = self.paren_body(start);
        self.depth -= 1;
        r
    }

    fn paren_body(&mut self, start: Pos) -> PResult<Expr> {
        if self.eat_op(")") {
            return Ok(Expr { kind: ExprKind::Tuple(Vec::new()), pos: self.pos_from(start) });
        }
        if self.at_kw("yield") {
            let e = self.yield_expr()?;
            self.expect_op(")")?;
            return Ok(e);
        }
        let first =
            if self.at_op("*") { self.star_expression()? } else { self.named_expression()? };
        if self.at_kw("for") {
            let gens = self.comprehension_clauses()?;
            self.close_comprehension(")")?;
            let pos = self.pos_from(start);
            return Ok(Expr { kind: ExprKind::GeneratorExp(Box::new(first), gens), pos });
        }
        if self.eat_op(")") {
            if let ExprKind::Starred(_) = first.kind {
                return Err(SyntaxError::new(
                    "cannot use starred expression here",
                    first.pos.line,
                    first.pos.col,
                    first.pos.end_col,
                ));
            }
            // a parenthesized expression keeps its inner span, as CPython's AST does
            return Ok(first);
        }
        if !self.at_op(",") {
            return Err(self.missing_comma(&first));
        }
        let mut elts = vec![first];
        while self.eat_op(",") {
            if self.at_op(")") {
                break;
            }
            let e = self.star_expression()?;
            if !self.at_op(",") && !self.at_op(")") {
                return Err(self.missing_comma(&e));
            }
            elts.push(e);
        }
        self.expect_op(")")?;
        Ok(Expr { kind: ExprKind::Tuple(elts), pos: self.pos_from(start) })
    }

    fn list_display(&mut self) -> PResult<Expr> {
        let start = Self::span(&self.next());
        self.depth += 1;
        let r = (|| {
            if self.eat_op("]") {
                return Ok(Expr { kind: ExprKind::List(Vec::new()), pos: self.pos_from(start) });
            }
            let first = self.star_or_named()?;
            if self.at_kw("for") {
                let gens = self.comprehension_clauses()?;
                self.close_comprehension("]")?;
                return Ok(Expr {
                    kind: ExprKind::ListComp(Box::new(first), gens),
                    pos: self.pos_from(start),
                });
            }
            let elts = self.display_items(first, "]")?;
            Ok(Expr { kind: ExprKind::List(elts), pos: self.pos_from(start) })
        })();
        self.depth -= 1;
        r
    }

    fn star_or_named(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            self.star_expression()
        } else {
            self.named_expression()
        }
    }

    /// The rest of a list or set display after its first element, through `close`.
    fn display_items(&mut self, first: Expr, close: &str) -> PResult<Vec<Expr>> {
        let mut elts = vec![first];
        loop {
            if self.eat_op(close) {
                return Ok(elts);
            }
            if !self.eat_op(",") {
                let last = elts.last().expect("one").clone();
                return Err(self.missing_comma(&last));
            }
            if self.eat_op(close) {
                return Ok(elts);
            }
            elts.push(self.star_or_named()?);
        }
    }

    fn brace_display(&mut self) -> PResult<Expr> {
        let start = Self::span(&self.next());
        self.depth += 1;
        let r = self.brace_body(start);
        self.depth -= 1;
        r
    }

    fn brace_body(&mut self, start: Pos) -> PResult<Expr> {
        if self.eat_op("}") {
            return Ok(Expr {
                kind: ExprKind::Dict(Vec::new(), Vec::new()),
                pos: self.pos_from(start),
            });
        }
        if self.at_op("**") {
            return self.dict_items(start, None);
        }
        let first = self.star_or_named()?;
        if self.eat_op(":") {
            let value = self.expression()?;
            if self.at_kw("for") {
                let gens = self.comprehension_clauses()?;
                self.close_comprehension("}")?;
                let kind = ExprKind::DictComp(Box::new(first), Box::new(value), gens);
                return Ok(Expr { kind, pos: self.pos_from(start) });
            }
            return self.dict_items(start, Some((first, value)));
        }
        if self.at_kw("for") {
            let gens = self.comprehension_clauses()?;
            self.close_comprehension("}")?;
            return Ok(Expr {
                kind: ExprKind::SetComp(Box::new(first), gens),
                pos: self.pos_from(start),
            });
        }
        let elts = self.display_items(first, "}")?;
        Ok(Expr { kind: ExprKind::Set(elts), pos: self.pos_from(start) })
    }

    fn dict_items(&mut self, start: Pos, first: Option<(Expr, Expr)>) -> PResult<Expr> {
        let mut keys = Vec::new();
        let mut values = Vec::new();
        let mut pending = first;
        loop {
            if let Some((k, v)) = pending.take() {
                keys.push(Some(k));
                values.push(v);
            } else if self.eat_op("**") {
                keys.push(None);
                values.push(self.bitwise_or()?);
            } else {
                let k = self.expression()?;
                if !self.at_op(":") {
                    let mut e = SyntaxError::new(
                        "':' expected after dictionary key",
                        k.pos.end_line,
                        k.pos.end_col.saturating_sub(1),
                        k.pos.end_col.saturating_sub(1),
                    );
                    e.end_offset = -1;
                    return Err(e);
                }
                let colon = self.next();
                if self.at_op("}") || self.at_op(",") {
                    return Err(SyntaxError::new(
                        "expression expected after dictionary key and ':'",
                        colon.line,
                        colon.col,
                        colon.end_col,
                    ));
                }
                let v = self.expression()?;
                keys.push(Some(k));
                values.push(v);
            }
            if self.eat_op("}") {
                break;
            }
            if !self.eat_op(",") {
                let last = values.last().expect("one").clone();
                return Err(self.missing_comma(&last));
            }
            if self.eat_op("}") {
                break;
            }
        }
        Ok(Expr { kind: ExprKind::Dict(keys, values), pos: self.pos_from(start) })
    }
}
