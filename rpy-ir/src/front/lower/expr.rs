//! Lowering of expressions: type checking and op emission.
//!
//! Types flow bottom-up, with an optional expected type pushed down for the few forms that
//! cannot type themselves (`None`, `[]`, array literals in typed positions). RPy has no
//! implicit conversions: `int` and `float` do not mix, conditions must be `bool`. Pointers
//! convert implicitly only upward (a struct to one of its ancestors). A comparison chain
//! `a < b < c` is control flow (`chain_branch`), as `and` is; tuples are in `tuples.rs`.

use super::func::FnCx;
use super::{Global, LResult};
use crate::front::ast::{BinOp, Expr, ExprKind, TypeExpr, UnOp};
use crate::ir::{Aux, Block, Const, Exit, Target, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapType, HeapTypeIdx, StructDef, Ty, TypeTable};

/// Matches constructor arguments (positional in field order, then keywords) to field indexes.
pub(super) fn match_fields<'e>(
    def: &StructDef,
    args: &'e [Expr],
    kwargs: &'e [(String, Expr, Span)],
    span: Span,
) -> LResult<Vec<(usize, &'e Expr)>> {
    if args.len() > def.fields.len() {
        let msg = format!(
            "struct '{}' has {} fields, {} values given",
            def.name,
            def.fields.len(),
            args.len()
        );
        return Err(Diagnostic::new(span, msg));
    }
    let mut out: Vec<(usize, &Expr)> = args.iter().enumerate().collect();
    for (name, e, kspan) in kwargs {
        let Some(idx) = def.field_index(name) else {
            return Err(Diagnostic::new(
                *kspan,
                format!("struct '{}' has no field '{name}'", def.name),
            ));
        };
        if out.iter().any(|(i, _)| *i == idx as usize) {
            return Err(Diagnostic::new(*kspan, format!("field '{name}' is given twice")));
        }
        out.push((idx as usize, e));
    }
    Ok(out)
}

impl FnCx<'_> {
    fn types(&self) -> &TypeTable {
        &self.cx.program.types
    }

    fn show(&self, t: Ty) -> String {
        self.show_ty(t)
    }

    /// Lowers an expression that must produce a value.
    pub fn expr(&mut self, e: &Expr, expected: Option<Ty>) -> LResult<(Value, Ty)> {
        let (v, t) = self.expr_any(e, expected)?;
        match v {
            Some(v) => Ok((v, t)),
            None => Err(Diagnostic::new(e.span, "this expression has no value")),
        }
    }

    /// Lowers an expression that must produce a value assignable to `want`.
    pub fn expr_as(&mut self, e: &Expr, want: Ty, what: &str) -> LResult<Value> {
        let (v, t) = self.expr(e, Some(want))?;
        self.check_assignable(t, want, e.span, what)?;
        Ok(v)
    }

    /// An error unless `got` may be used where `want` is expected.
    pub fn check_assignable(&self, got: Ty, want: Ty, span: Span, what: &str) -> LResult<()> {
        if self.types().assignable(got, want) {
            return Ok(());
        }
        Err(Diagnostic::new(
            span,
            format!("{what} has type {}, found {}", self.show(want), self.show(got)),
        ))
    }

    fn expect_bool(&mut self, e: &Expr) -> LResult<Value> {
        let (v, t) = self.expr(e, Some(Ty::Bool))?;
        if t != Ty::Bool {
            return Err(Diagnostic::new(e.span, format!("expected bool, found {}", self.show(t))));
        }
        Ok(v)
    }

    /// Lowers a condition straight into control flow: jumps to `then_b` or `else_b` (both
    /// open blocks without parameters). `and`, `or` and `not` become branches, not values.
    pub fn cond_branch(&mut self, e: &Expr, then_b: Block, else_b: Block) -> LResult<()> {
        let target = |b| Target { block: b, args: vec![] };
        match &e.kind {
            ExprKind::Binary(BinOp::And, a, b) => {
                let mid = self.g.add_block(e.span);
                self.cond_branch(a, mid, else_b)?;
                self.cur = Some(mid);
                self.cond_branch(b, then_b, else_b)
            }
            ExprKind::Binary(BinOp::Or, a, b) => {
                let mid = self.g.add_block(e.span);
                self.cond_branch(a, then_b, mid)?;
                self.cur = Some(mid);
                self.cond_branch(b, then_b, else_b)
            }
            ExprKind::Unary(UnOp::Not, a) => self.cond_branch(a, else_b, then_b),
            ExprKind::Compare { first, rest } => self.chain_branch(first, rest, then_b, else_b),
            _ => {
                let c = self.expect_bool(e)?;
                let exit =
                    Exit::Branch { cond: c, if_true: target(then_b), if_false: target(else_b) };
                self.terminate(exit, e.span);
                Ok(())
            }
        }
    }

    /// A comparison chain `a < b <= c` straight into control flow: each comparison in turn,
    /// the first false one jumping to `else_b`; every operand is evaluated once, and the ones
    /// after a false comparison not at all (as in Python).
    fn chain_branch(
        &mut self,
        first: &Expr,
        rest: &[(BinOp, Span, Expr)],
        then_b: Block,
        else_b: Block,
    ) -> LResult<()> {
        let target = |b| Target { block: b, args: vec![] };
        let mut left = self.expr(first, None)?;
        for (i, (op, span, rhs)) in rest.iter().enumerate() {
            let right = self.expr(rhs, Some(left.1))?;
            let (c, _) = self.binary_on(*op, left, right, *span)?;
            let next = if i + 1 == rest.len() { then_b } else { self.g.add_block(*span) };
            let exit = Exit::Branch { cond: c, if_true: target(next), if_false: target(else_b) };
            self.terminate(exit, *span);
            if next != then_b {
                self.cur = Some(next);
            }
            left = right;
        }
        Ok(())
    }

    /// Lowers an expression; `None` for calls of void functions.
    pub fn expr_any(&mut self, e: &Expr, expected: Option<Ty>) -> LResult<(Option<Value>, Ty)> {
        let some = |v: Value, t: Ty| Ok((Some(v), t));
        match &e.kind {
            ExprKind::Int(i) => some(Const::Int(*i).into(), Ty::Int),
            ExprKind::Float(f) => some(Const::float(*f).into(), Ty::Float),
            ExprKind::Bool(b) => some(Const::Bool(*b).into(), Ty::Bool),
            ExprKind::Char(c) => some(Const::Char(*c).into(), Ty::Char),
            ExprKind::Str(s) => {
                let p = self.cx.program.intern_str(s);
                some(Const::Prebuilt(p).into(), Ty::Ref(TypeTable::STR))
            }
            ExprKind::None => match expected {
                Some(Ty::Ref(t)) => some(Const::Null(t).into(), Ty::Ref(t)),
                _ => Err(Diagnostic::new(e.span, "cannot infer the type of None here")),
            },
            ExprKind::Name(n) => {
                let (v, t) = self.name(n, e.span)?;
                some(v, t)
            }
            ExprKind::Unary(op, a) => {
                let (v, t) = self.unary(*op, a, e.span)?;
                some(v, t)
            }
            ExprKind::Binary(BinOp::And | BinOp::Or, ..) => {
                let (v, t) = self.bool_value(e)?;
                some(v, t)
            }
            ExprKind::Binary(op, a, b) => {
                let (av, at) = self.expr(a, None).or_else(|err| {
                    // `None == x`: type the right side first.
                    if matches!(a.kind, ExprKind::None) {
                        let (_, bt) = self.expr(b, None)?;
                        self.expr(a, Some(bt))
                    } else {
                        Err(err)
                    }
                })?;
                let (v, t) = self.binary_values(*op, (av, at), b, e.span)?;
                some(v, t)
            }
            ExprKind::Field(obj, field) => {
                let (p, st, idx, fty) = self.field_place(obj, field, e.span)?;
                let v =
                    self.emit(Opcode::GetField, vec![p], Aux::Field(st, idx), fty, e.span).unwrap();
                some(v.into(), fty)
            }
            ExprKind::Index(arr, index) => {
                let (a, t) = self.expr(arr, None)?;
                if let Some(items) = super::tuples::tuple_items(self.types(), t) {
                    let (v, t) = self.tuple_item((a, t), &items, index, e.span)?;
                    return some(v, t);
                }
                if let Some(inst) = self.container_of(t) {
                    let (v, t) = self.container_getitem(inst, a, index, e.span)?;
                    return some(v, t);
                }
                let (a, at, i, elem) = self.index_on((a, t), index, e.span)?;
                let v = self
                    .emit(Opcode::GetArrayItem, vec![a, i], Aux::Array(at), elem, e.span)
                    .unwrap();
                some(v.into(), elem)
            }
            ExprKind::IsA(x, texpr) => {
                let (v, from, to) = self.struct_pair(x, texpr, "isa")?;
                if !self.types().is_subtype(to, from) && !self.types().is_subtype(from, to) {
                    return Err(self.unrelated(from, to, e.span));
                }
                let r = self
                    .emit(Opcode::InstanceOf, vec![v], Aux::Type(to), Ty::Bool, e.span)
                    .unwrap();
                some(r.into(), Ty::Bool)
            }
            ExprKind::As(x, texpr) => {
                let (v, from, to) = self.struct_pair(x, texpr, "as")?;
                if self.types().is_subtype(from, to) {
                    return some(v, Ty::Ref(to));
                }
                if !self.types().is_subtype(to, from) {
                    return Err(self.unrelated(from, to, e.span));
                }
                let r =
                    self.emit(Opcode::Cast, vec![v], Aux::Type(to), Ty::Ref(to), e.span).unwrap();
                some(r.into(), Ty::Ref(to))
            }
            ExprKind::ArrayType(_) => {
                Err(Diagnostic::new(e.span, "an array type can only be called: array[T](length)"))
            }
            ExprKind::Slice { base, start, stop, step, has_step } => {
                let parts = [start.as_deref(), stop.as_deref(), step.as_deref()];
                let (v, t) = self.slice(base, parts, *has_step, e.span)?;
                some(v, t)
            }
            ExprKind::ArrayLit(items) => {
                if let Some(inst) = expected.and_then(|t| self.container_of(t)) {
                    let (v, t) = self.list_literal(inst, items, e.span)?;
                    return some(v, t);
                }
                let (v, t) = self.array_literal(items, expected, e.span)?;
                some(v, t)
            }
            ExprKind::IfElse { cond, then, orelse } => {
                let then_b = self.g.add_block(e.span);
                let else_b = self.g.add_block(e.span);
                self.cond_branch(cond, then_b, else_b)?;
                self.cur = Some(then_b);
                let (tv, tt) = self.expr(then, expected)?;
                let then_end = self.cur_block(e.span);
                self.cur = Some(else_b);
                let (ev, et) = self.expr(orelse, expected.or(Some(tt)))?;
                let else_end = self.cur_block(e.span);
                let t = if self.types().assignable(et, tt) {
                    tt
                } else if self.types().assignable(tt, et) {
                    et
                } else {
                    let msg = format!(
                        "the two sides of 'if ... else' have types {} and {}",
                        self.show(tt),
                        self.show(et)
                    );
                    return Err(Diagnostic::new(e.span, msg));
                };
                let r = self.value_join(&[(then_end, tv), (else_end, ev)], t, e.span);
                some(r, t)
            }
            ExprKind::Call { callee, args, kwargs } => {
                self.call(callee, args, kwargs, expected, e.span)
            }
            ExprKind::DictLit(pairs) => {
                let (v, t) = self.dict_literal(pairs, expected, e.span)?;
                some(v, t)
            }
            ExprKind::Tuple(items) => {
                let (v, t) = self.tuple_literal(items, expected, e.span)?;
                some(v, t)
            }
            ExprKind::Compare { .. } => {
                let (v, t) = self.bool_value(e)?;
                some(v, t)
            }
        }
    }

    /// Joins open blocks each passing one value; the join block (current afterwards) has one
    /// parameter of type `t`.
    pub fn value_join(&mut self, preds: &[(Block, Value)], t: Ty, span: Span) -> Value {
        let join = self.g.add_block(span);
        let p = self.g.add_param(join, t, None);
        for (b, v) in preds {
            self.g.blocks[*b].exit = Exit::Goto(Target { block: join, args: vec![*v] });
        }
        self.cur = Some(join);
        Value::Var(p)
    }

    /// `a and b` / `a or b` as a value.
    fn bool_value(&mut self, e: &Expr) -> LResult<(Value, Ty)> {
        let t_b = self.g.add_block(e.span);
        let f_b = self.g.add_block(e.span);
        self.cond_branch(e, t_b, f_b)?;
        let r = self.value_join(
            &[(t_b, Const::Bool(true).into()), (f_b, Const::Bool(false).into())],
            Ty::Bool,
            e.span,
        );
        Ok((r, Ty::Bool))
    }

    fn name(&mut self, n: &str, span: Span) -> LResult<(Value, Ty)> {
        if let Some(v) = self.env.get(n) {
            return Ok((*v, self.local_ty[n]));
        }
        if self.local_ty.contains_key(n) {
            return Err(Diagnostic::new(
                span,
                format!("variable '{n}' may be used before it is assigned"),
            ));
        }
        match self.cx.globals.get(n).copied() {
            Some(Global::Const(k, t)) => Ok((k.into(), t)),
            Some(Global::Func(g)) => {
                Ok((Const::Func(g).into(), Ty::Func(self.cx.program.graph_sig(g))))
            }
            Some(Global::Struct(_)) => {
                Err(Diagnostic::new(span, format!("struct '{n}' is not a value")))
            }
            None if super::is_builtin(n) => {
                Err(Diagnostic::new(span, format!("'{n}' can only be called")))
            }
            None => Err(Diagnostic::new(span, format!("undefined name '{n}'"))),
        }
    }

    fn unary(&mut self, op: UnOp, a: &Expr, span: Span) -> LResult<(Value, Ty)> {
        let (v, t) = self.expr(a, None)?;
        let opcode = match (op, t) {
            (UnOp::Neg, Ty::Int) => Opcode::IntNeg,
            (UnOp::Neg, Ty::Float) => Opcode::FloatNeg,
            (UnOp::Invert, Ty::Int) => Opcode::IntInvert,
            (UnOp::Not, Ty::Bool) => Opcode::BoolNot,
            _ => {
                let sym = match op {
                    UnOp::Neg => "-",
                    UnOp::Invert => "~",
                    UnOp::Not => "not",
                };
                return Err(Diagnostic::new(
                    span,
                    format!("operator '{sym}' cannot be applied to {}", self.show(t)),
                ));
            }
        };
        let r = self.emit(opcode, vec![v], Aux::None, t, span).unwrap();
        Ok((r.into(), t))
    }

    /// `left op right` where the left operand is already lowered.
    pub fn binary_values(
        &mut self,
        op: BinOp,
        left: (Value, Ty),
        right: &Expr,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let lt = left.1;
        if matches!(op, BinOp::And | BinOp::Or) {
            return Err(Diagnostic::new(span, format!("'{}' cannot be used here", op.symbol())));
        }
        if let Some(r) = self.container_binary(op, left, right, span)? {
            return Ok(r);
        }
        let right = self.expr(right, Some(lt))?;
        self.binary_on(op, left, right, span)
    }

    /// `left op right` on lowered operands.
    pub fn binary_on(
        &mut self,
        op: BinOp,
        left: (Value, Ty),
        right: (Value, Ty),
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let ((lv, lt), (rv, rt)) = (left, right);
        self.refuse_container_eq(op, lt, span)?;
        self.refuse_container_eq(op, rt, span)?;
        if let Some(r) = self.str_binary(op, (lv, lt), (rv, rt), span) {
            return Ok(r);
        }
        let mismatch = |s: &Self| {
            Diagnostic::new(
                span,
                format!(
                    "operator '{}' cannot be applied to {} and {}",
                    op.symbol(),
                    s.show(lt),
                    s.show(rt)
                ),
            )
        };
        use BinOp::*;
        let (opcode, ty) = match (lt, rt) {
            (Ty::Int, Ty::Int) => match op {
                Add => (Opcode::IntAdd, Ty::Int),
                Sub => (Opcode::IntSub, Ty::Int),
                Mul => (Opcode::IntMul, Ty::Int),
                FloorDiv => (Opcode::IntFloorDiv, Ty::Int),
                Mod => (Opcode::IntMod, Ty::Int),
                BitAnd => (Opcode::IntAnd, Ty::Int),
                BitOr => (Opcode::IntOr, Ty::Int),
                BitXor => (Opcode::IntXor, Ty::Int),
                Shl => (Opcode::IntLshift, Ty::Int),
                Shr => (Opcode::IntRshift, Ty::Int),
                Eq => (Opcode::IntEq, Ty::Bool),
                Ne => (Opcode::IntNe, Ty::Bool),
                Lt => (Opcode::IntLt, Ty::Bool),
                Le => (Opcode::IntLe, Ty::Bool),
                Gt => (Opcode::IntGt, Ty::Bool),
                Ge => (Opcode::IntGe, Ty::Bool),
                Div => {
                    return Err(Diagnostic::new(
                        span,
                        "'/' divides floats; use '//' for integer division",
                    ))
                }
                _ => return Err(mismatch(self)),
            },
            (Ty::Float, Ty::Float) => match op {
                Add => (Opcode::FloatAdd, Ty::Float),
                Sub => (Opcode::FloatSub, Ty::Float),
                Mul => (Opcode::FloatMul, Ty::Float),
                Div => (Opcode::FloatTrueDiv, Ty::Float),
                Eq => (Opcode::FloatEq, Ty::Bool),
                Ne => (Opcode::FloatNe, Ty::Bool),
                Lt => (Opcode::FloatLt, Ty::Bool),
                Le => (Opcode::FloatLe, Ty::Bool),
                Gt => (Opcode::FloatGt, Ty::Bool),
                Ge => (Opcode::FloatGe, Ty::Bool),
                _ => return Err(mismatch(self)),
            },
            (Ty::Char, Ty::Char) => match op {
                Eq => (Opcode::CharEq, Ty::Bool),
                Ne => (Opcode::CharNe, Ty::Bool),
                Lt => (Opcode::CharLt, Ty::Bool),
                Le => (Opcode::CharLe, Ty::Bool),
                Gt => (Opcode::CharGt, Ty::Bool),
                Ge => (Opcode::CharGe, Ty::Bool),
                _ => return Err(mismatch(self)),
            },
            (Ty::Bool, Ty::Bool) => match op {
                Eq => (Opcode::BoolEq, Ty::Bool),
                Ne => (Opcode::BoolNe, Ty::Bool),
                _ => return Err(mismatch(self)),
            },
            (Ty::Ref(a), Ty::Ref(b))
                if a == TypeTable::STR && b == TypeTable::STR && matches!(op, Add | Eq | Ne) =>
            {
                let name = if op == Add { "str_concat" } else { "str_eq" };
                let rty = if op == Add { lt } else { Ty::Bool };
                let r = self
                    .emit(Opcode::CallExtern, vec![lv, rv], Aux::Extern(name.into()), rty, span)
                    .unwrap();
                if op == Ne {
                    let n = self
                        .emit(Opcode::BoolNot, vec![r.into()], Aux::None, Ty::Bool, span)
                        .unwrap();
                    return Ok((n.into(), Ty::Bool));
                }
                return Ok((r.into(), rty));
            }
            (Ty::Ref(_), Ty::Ref(_)) | (Ty::Func(_), Ty::Func(_))
                if matches!(op, Eq | Ne | Is | IsNot) =>
            {
                if !self.types().assignable(lt, rt) && !self.types().assignable(rt, lt) {
                    return Err(mismatch(self));
                }
                let eq = matches!(op, Eq | Is);
                let null_test = match (lv, rv) {
                    (_, Value::Const(Const::Null(_))) => Some(lv),
                    (Value::Const(Const::Null(_)), _) => Some(rv),
                    _ => None,
                };
                let (opcode, args) = match null_test {
                    Some(x) => (if eq { Opcode::PtrIsNull } else { Opcode::PtrNonNull }, vec![x]),
                    None => (if eq { Opcode::PtrEq } else { Opcode::PtrNe }, vec![lv, rv]),
                };
                let r = self.emit(opcode, args, Aux::None, Ty::Bool, span).unwrap();
                return Ok((r.into(), Ty::Bool));
            }
            _ => return Err(mismatch(self)),
        };
        let r = self.emit(opcode, vec![lv, rv], Aux::None, ty, span).unwrap();
        Ok((r.into(), ty))
    }

    /// The pointer, its struct type, the field index and type of `obj.field`.
    pub fn field_place(
        &mut self,
        obj: &Expr,
        field: &str,
        span: Span,
    ) -> LResult<(Value, HeapTypeIdx, u32, Ty)> {
        let base = self.expr(obj, None)?;
        self.field_place_of(base, field, span)
    }

    /// [`FnCx::field_place`] of an object already lowered.
    pub fn field_place_of(
        &mut self,
        (p, t): (Value, Ty),
        field: &str,
        span: Span,
    ) -> LResult<(Value, HeapTypeIdx, u32, Ty)> {
        if super::tuples::tuple_items(self.types(), t).is_some() {
            let msg = "a tuple's items are read by index (t[0]), it has no fields";
            return Err(Diagnostic::new(span, msg));
        }
        let st = match t {
            Ty::Ref(s) if self.types().as_struct(s).is_some() => s,
            _ => return Err(Diagnostic::new(span, format!("{} has no fields", self.show(t)))),
        };
        let def = self.types().struct_def(st);
        let Some(idx) = def.field_index(field) else {
            return Err(Diagnostic::new(
                span,
                format!("struct '{}' has no field '{field}'", def.name),
            ));
        };
        let fty = def.fields[idx as usize].ty;
        Ok((p, st, idx, fty))
    }

    /// The array, its type, the index and the item type of `arr[index]`, the array lowered.
    pub fn index_place_of(
        &mut self,
        (a, t): (Value, Ty),
        index: &Expr,
        span: Span,
    ) -> LResult<(Value, HeapTypeIdx, Value, Ty)> {
        if super::tuples::tuple_items(self.types(), t).is_some() {
            return Err(Diagnostic::new(
                span,
                "a tuple is immutable: its items cannot be assigned",
            ));
        }
        self.index_on((a, t), index, span)
    }

    /// The array, its type, the index and the item type of `arr[index]`, the array lowered.
    pub fn index_on(
        &mut self,
        (a, t): (Value, Ty),
        index: &Expr,
        span: Span,
    ) -> LResult<(Value, HeapTypeIdx, Value, Ty)> {
        let (at, elem) = match t {
            Ty::Ref(at) => match self.types().heap(at) {
                HeapType::Array(def) => (at, def.elem),
                HeapType::Struct(_) => {
                    return Err(Diagnostic::new(
                        span,
                        format!("{} cannot be indexed", self.show(t)),
                    ))
                }
            },
            _ => return Err(Diagnostic::new(span, format!("{} cannot be indexed", self.show(t)))),
        };
        let (i, it) = self.expr(index, Some(Ty::Int))?;
        if it != Ty::Int {
            return Err(Diagnostic::new(
                index.span,
                format!("an index must be an int, found {}", self.show(it)),
            ));
        }
        Ok((a, at, i, elem))
    }

    fn struct_pair(
        &mut self,
        x: &Expr,
        texpr: &TypeExpr,
        kw: &str,
    ) -> LResult<(Value, HeapTypeIdx, HeapTypeIdx)> {
        let (v, t) = self.expr(x, None)?;
        let target = self.cx.resolve_type(texpr)?;
        match (t, target) {
            (Ty::Ref(a), Ty::Ref(b))
                if self.types().as_struct(a).is_some() && self.types().as_struct(b).is_some() =>
            {
                Ok((v, a, b))
            }
            _ => Err(Diagnostic::new(
                x.span,
                format!(
                    "'{kw}' needs a struct and a struct type, found {} and {}",
                    self.show(t),
                    self.show(target)
                ),
            )),
        }
    }

    pub fn unrelated(&self, a: HeapTypeIdx, b: HeapTypeIdx, span: Span) -> Diagnostic {
        Diagnostic::new(
            span,
            format!(
                "{} and {} are unrelated structs",
                self.show(Ty::Ref(a)),
                self.show(Ty::Ref(b))
            ),
        )
    }

    pub(super) fn array_literal(
        &mut self,
        items: &[Expr],
        expected: Option<Ty>,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let mut at = match expected {
            Some(Ty::Ref(t)) if self.types().as_array(t).is_some() => Some(t),
            _ => None,
        };
        let mut values = Vec::new();
        for it in items {
            let elem = at.and_then(|t| self.types().as_array(t)).map(|a| a.elem);
            let (v, t) = self.expr(it, elem)?;
            match elem {
                Some(e) => self.check_assignable(t, e, it.span, "array item")?,
                None => at = Some(self.cx.program.types.array(t, false)),
            }
            values.push(v);
        }
        let Some(at) = at else {
            return Err(Diagnostic::new(span, "cannot infer the type of an empty array literal"));
        };
        let len = Const::Int(values.len() as i64).into();
        let a =
            self.emit(Opcode::MallocArray, vec![len], Aux::Type(at), Ty::Ref(at), span).unwrap();
        for (i, v) in values.into_iter().enumerate() {
            let args = vec![a.into(), Const::Int(i as i64).into(), v];
            self.emit(Opcode::SetArrayItem, args, Aux::Array(at), Ty::Void, span);
        }
        Ok((a.into(), Ty::Ref(at)))
    }
}
