//! Fixed-arity tuples: `tuple[int, str]`, `(a, b)`, `t[0]`, `a, b = t`, `return a, b`.
//!
//! A tuple type is an immutable struct, one per list of item types, named as the type is
//! written (`tuple[int, str]`: a name no RPy struct can have) with fields `_0`, `_1`, ...
//! Making a tuple is a `malloc` and one `setfield` per item; reading item `k` is a `getfield`.
//! So the JIT keeps a tuple made and consumed in one compilation virtual (no allocation), and
//! reads of a constant tuple fold like any immutable struct's.
//!
//! Invariants: a tuple has at least one item, no item is `void`; items are read by a constant
//! index only (an int literal, possibly negative as in Python, or a module constant), so every
//! read is a field read whose type is known; tuples are immutable (no item assignment) and
//! have no fields by name. `a, b = (x, y)` with a tuple literal on the right assigns the items
//! without making the tuple (so `a, b = b, a` swaps without allocating).

use super::func::FnCx;
use super::{Global, LResult};
use crate::front::ast::{Expr, ExprKind};
use crate::ir::{Aux, Const, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{Field, HeapTypeIdx, Ty, TypeTable};

/// The prefix of every tuple struct's name.
const TUPLE_PREFIX: &str = "tuple[";

/// The struct of tuples with these item types, declared on first use.
pub(super) fn tuple_struct(types: &mut TypeTable, items: &[Ty]) -> HeapTypeIdx {
    let names: Vec<String> = items.iter().map(|t| types.display(*t).to_string()).collect();
    let name = format!("{TUPLE_PREFIX}{}]", names.join(", "));
    if let Some(t) = types.struct_by_name(&name) {
        return t;
    }
    let t = types.declare_struct(&name, true).expect("tuple names are not declared twice");
    let fields =
        items.iter().enumerate().map(|(i, ty)| Field { name: format!("_{i}"), ty: *ty }).collect();
    types.set_fields(t, None, fields);
    t
}

/// The item types of `t` if it is a tuple type.
pub(super) fn tuple_items(types: &TypeTable, t: Ty) -> Option<Vec<Ty>> {
    let Ty::Ref(s) = t else { return None };
    let def = types.as_struct(s)?;
    if !def.name.starts_with(TUPLE_PREFIX) {
        return None;
    }
    Some(def.fields.iter().map(|f| f.ty).collect())
}

impl FnCx<'_> {
    /// `(a, b, ...)`: each item lowered in order (typed by `expected` if it is a tuple type of
    /// the same arity), then the tuple made.
    pub fn tuple_literal(
        &mut self,
        items: &[Expr],
        expected: Option<Ty>,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let want = expected
            .and_then(|t| tuple_items(&self.cx.program.types, t))
            .filter(|w| w.len() == items.len());
        let mut values = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let (v, t) = self.expr(item, want.as_ref().map(|w| w[i]))?;
            let t = match &want {
                Some(w) if self.cx.program.types.assignable(t, w[i]) => w[i],
                _ => t,
            };
            values.push((v, t));
        }
        Ok(self.make_tuple(&values, span))
    }

    /// Allocates a tuple of these items.
    pub fn make_tuple(&mut self, items: &[(Value, Ty)], span: Span) -> (Value, Ty) {
        let tys: Vec<Ty> = items.iter().map(|(_, t)| *t).collect();
        let st = tuple_struct(&mut self.cx.program.types, &tys);
        let p = self.emit(Opcode::Malloc, vec![], Aux::Type(st), Ty::Ref(st), span).unwrap();
        for (i, (v, _)) in items.iter().enumerate() {
            let aux = Aux::Field(st, i as u32);
            self.emit(Opcode::SetField, vec![p.into(), *v], aux, Ty::Void, span);
        }
        (p.into(), Ty::Ref(st))
    }

    /// `t[k]` with the tuple lowered and `k` a constant.
    pub fn tuple_item(
        &mut self,
        (t, tt): (Value, Ty),
        items: &[Ty],
        index: &Expr,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let k = match &index.kind {
            ExprKind::Int(k) => Some(*k),
            ExprKind::Name(n) if !self.env.contains_key(n) => match self.cx.globals.get(n) {
                Some(Global::Const(Const::Int(k), _)) => Some(*k),
                _ => None,
            },
            _ => None,
        };
        let Some(k) = k else {
            let msg = "a tuple index must be a constant int (an int literal or a module constant)";
            return Err(Diagnostic::new(index.span, msg));
        };
        let n = items.len() as i64;
        let i = if k < 0 { k + n } else { k };
        if !(0..n).contains(&i) {
            let shown = self.cx.program.types.display(tt).to_string();
            let msg = format!("tuple index {k} out of range for {shown} ({n} items)");
            return Err(Diagnostic::new(index.span, msg));
        }
        let Ty::Ref(st) = tt else { unreachable!("tuples are structs") };
        let ty = items[i as usize];
        let aux = Aux::Field(st, i as u32);
        let v = self.emit(Opcode::GetField, vec![t], aux, ty, span).unwrap();
        Ok((v.into(), ty))
    }

    /// `a, b = value`: unpacking into plain names.
    pub fn unpack(&mut self, targets: &[Expr], value: &Expr, span: Span) -> LResult<()> {
        if let ExprKind::Tuple(items) = &value.kind {
            // Every item is evaluated before any name is bound (`a, b = b, a`).
            self.check_arity(targets.len(), items.len(), value.span)?;
            let mut values = Vec::new();
            for (target, item) in targets.iter().zip(items) {
                let known = self.target_type(target);
                values.push(self.expr(item, known)?);
            }
            for (target, v) in targets.iter().zip(values) {
                self.bind_target(target, v)?;
            }
            return Ok(());
        }
        let v = self.expr(value, None)?;
        self.unpack_value(targets, v, value.span, span)
    }

    /// Binds the items of the lowered tuple `v` (from the expression at `value_span`) to
    /// `targets`, plain names.
    pub fn unpack_value(
        &mut self,
        targets: &[Expr],
        (v, t): (Value, Ty),
        value_span: Span,
        span: Span,
    ) -> LResult<()> {
        let Some(items) = tuple_items(&self.cx.program.types, t) else {
            let shown = self.cx.program.types.display(t).to_string();
            let msg = format!("cannot unpack {shown}: only a tuple can be unpacked");
            return Err(Diagnostic::new(value_span, msg));
        };
        self.check_arity(targets.len(), items.len(), value_span)?;
        let Ty::Ref(st) = t else { unreachable!("tuples are structs") };
        for (i, (target, ty)) in targets.iter().zip(items).enumerate() {
            let aux = Aux::Field(st, i as u32);
            let item = self.emit(Opcode::GetField, vec![v], aux, ty, span).unwrap();
            self.bind_target(target, (item.into(), ty))?;
        }
        Ok(())
    }

    fn check_arity(&self, targets: usize, items: usize, span: Span) -> LResult<()> {
        if targets == items {
            return Ok(());
        }
        let msg = format!("cannot unpack {items} items into {targets} names");
        Err(Diagnostic::new(span, msg))
    }

    /// The declared type of a name target, if it has one.
    fn target_type(&self, target: &Expr) -> Option<Ty> {
        match &target.kind {
            ExprKind::Name(n) => self.local_ty.get(n).copied(),
            _ => None,
        }
    }

    /// Assigns a lowered value to a plain name, or unpacks it into a nested tuple of names
    /// (the parser allows nothing else here).
    pub fn bind_target(&mut self, target: &Expr, (v, t): (Value, Ty)) -> LResult<()> {
        if let ExprKind::Tuple(names) = &target.kind {
            return self.unpack_value(names, (v, t), target.span, target.span);
        }
        let ExprKind::Name(name) = &target.kind else {
            return Err(Diagnostic::new(target.span, "only names can be unpacked into"));
        };
        self.bind_name(name, (v, t), target.span)
    }
}
