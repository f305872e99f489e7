//! Module-level constants: `const NAME = expr`, evaluated at compile time.
//!
//! A constant is a scalar literal (possibly computed from other constants with arithmetic), a
//! string, `None` of a declared pointer type, a function name, or a prebuilt struct or array
//! whose parts are constants. Prebuilt objects exist before the program runs; a prebuilt struct
//! with mutable fields is how RPy programs keep global state.

use super::{Global, LResult, ModuleCx};
use crate::front::ast::{BinOp, Expr, ExprKind, Item, Module, UnOp};
use crate::ir::{Const, Prebuilt};
use crate::span::Diagnostic;
use crate::types::{HeapType, Ty, TypeTable};

impl ModuleCx {
    pub(super) fn eval_consts(&mut self, module: &Module) {
        for item in &module.items {
            let Item::Const(c) = item else { continue };
            let declared = match &c.ty {
                Some(t) => match self.resolve_type(t) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        self.errors.push(e);
                        continue;
                    }
                },
                None => None,
            };
            match self.const_expr(&c.value, declared) {
                Ok((k, ty)) => {
                    let ty = match declared {
                        Some(d) if !self.program.types.assignable(ty, d) => {
                            let msg = format!(
                                "constant '{}' is declared {} but its value is {}",
                                c.name,
                                self.program.types.display(d),
                                self.program.types.display(ty)
                            );
                            self.errors.push(Diagnostic::new(c.value.span, msg));
                            continue;
                        }
                        Some(d) => d,
                        None => ty,
                    };
                    if let Const::Prebuilt(p) = k {
                        self.program.prebuilt_names.entry(p).or_insert_with(|| c.name.clone());
                    }
                    self.define(&c.name, c.span, Global::Const(k, ty));
                }
                Err(e) => self.errors.push(e),
            }
        }
    }

    /// Evaluates a constant expression; `expected` types `None` and array literals.
    pub(super) fn const_expr(&mut self, e: &Expr, expected: Option<Ty>) -> LResult<(Const, Ty)> {
        let not_const = || Diagnostic::new(e.span, "this expression is not a constant");
        Ok(match &e.kind {
            ExprKind::Int(i) => (Const::Int(*i), Ty::Int),
            ExprKind::Float(f) => (Const::float(*f), Ty::Float),
            ExprKind::Bool(b) => (Const::Bool(*b), Ty::Bool),
            ExprKind::Char(c) => (Const::Char(*c), Ty::Char),
            ExprKind::Str(s) => {
                (Const::Prebuilt(self.program.intern_str(s)), Ty::Ref(TypeTable::STR))
            }
            ExprKind::None => match expected {
                Some(Ty::Ref(t)) => (Const::Null(t), Ty::Ref(t)),
                _ => return Err(Diagnostic::new(e.span, "cannot infer the type of None here")),
            },
            ExprKind::Name(n) => match self.globals.get(n) {
                Some(Global::Const(k, t)) => (*k, *t),
                Some(Global::Func(g)) => {
                    let g = *g;
                    (Const::Func(g), Ty::Func(self.program.graph_sig(g)))
                }
                Some(Global::Struct(_)) => return Err(not_const()),
                None => return Err(Diagnostic::new(e.span, format!("undefined name '{n}'"))),
            },
            ExprKind::Unary(op, a) => {
                let (k, t) = self.const_expr(a, None)?;
                match (op, k) {
                    (UnOp::Neg, Const::Int(i)) => (Const::Int(i.wrapping_neg()), t),
                    (UnOp::Neg, Const::Float(f)) => (Const::float(-f64::from_bits(f)), t),
                    (UnOp::Invert, Const::Int(i)) => (Const::Int(!i), t),
                    (UnOp::Not, Const::Bool(b)) => (Const::Bool(!b), t),
                    _ => return Err(not_const()),
                }
            }
            ExprKind::Binary(op, a, b) => {
                let (ka, _) = self.const_expr(a, None)?;
                let (kb, _) = self.const_expr(b, None)?;
                fold_binary(*op, ka, kb).map_err(|m| Diagnostic::new(e.span, m))?
            }
            ExprKind::Call { callee, args, kwargs } => {
                let ExprKind::Name(n) = &callee.kind else {
                    return Err(not_const());
                };
                let Some(Global::Struct(s)) = self.globals.get(n).copied() else {
                    return Err(not_const());
                };
                let def = self.program.types.struct_def(s).clone();
                let mut values: Vec<Option<Const>> = vec![None; def.fields.len()];
                let named = super::expr::match_fields(&def, args, kwargs, e.span)?;
                for (idx, arg) in named {
                    let fty = def.fields[idx].ty;
                    let (k, t) = self.const_expr(arg, Some(fty))?;
                    if !self.program.types.assignable(t, fty) {
                        return Err(self.field_type_error(arg, &def.fields[idx].name, fty, t));
                    }
                    values[idx] = Some(k);
                }
                let fields = values
                    .into_iter()
                    .zip(&def.fields)
                    .map(|(v, f)| v.or_else(|| Const::zero(f.ty)))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        Diagnostic::new(
                            e.span,
                            "a prebuilt struct must give every function-pointer field a value",
                        )
                    })?;
                let p = self.program.prebuilt.push(Prebuilt::Struct(s, fields));
                (Const::Prebuilt(p), Ty::Ref(s))
            }
            ExprKind::ArrayLit(items) => {
                let (arr, elem) = match expected {
                    Some(Ty::Ref(t)) => match self.program.types.heap(t) {
                        HeapType::Array(a) => (Some(t), Some(a.elem)),
                        _ => (None, None),
                    },
                    _ => (None, None),
                };
                let mut consts = Vec::new();
                let mut elem = elem;
                for it in items {
                    let (k, t) = self.const_expr(it, elem)?;
                    match elem {
                        Some(et) if !self.program.types.assignable(t, et) => {
                            let msg = format!(
                                "array item of type {} where {} is expected",
                                self.program.types.display(t),
                                self.program.types.display(et)
                            );
                            return Err(Diagnostic::new(it.span, msg));
                        }
                        None => elem = Some(t),
                        _ => {}
                    }
                    consts.push(k);
                }
                let Some(elem) = elem else {
                    return Err(Diagnostic::new(
                        e.span,
                        "cannot infer the type of an empty array literal",
                    ));
                };
                let arr = arr.unwrap_or_else(|| self.program.types.array(elem, true));
                let p = self.program.prebuilt.push(Prebuilt::Array(arr, consts));
                (Const::Prebuilt(p), Ty::Ref(arr))
            }
            ExprKind::DictLit(pairs) => self.const_dict(pairs, expected, e.span)?,
            _ => return Err(not_const()),
        })
    }

    pub(super) fn field_type_error(
        &self,
        arg: &Expr,
        field: &str,
        want: Ty,
        got: Ty,
    ) -> Diagnostic {
        let t = &self.program.types;
        Diagnostic::new(
            arg.span,
            format!("field '{field}' has type {}, found {}", t.display(want), t.display(got)),
        )
    }
}

fn fold_binary(op: BinOp, a: Const, b: Const) -> Result<(Const, Ty), String> {
    use Const::*;
    let int = |v: i64| Ok((Int(v), Ty::Int));
    match (a, b) {
        (Int(x), Int(y)) => match op {
            BinOp::Add => int(x.wrapping_add(y)),
            BinOp::Sub => int(x.wrapping_sub(y)),
            BinOp::Mul => int(x.wrapping_mul(y)),
            BinOp::FloorDiv => crate::fold::int_floordiv(x, y)
                .map_or(Err("division by zero in a constant".into()), int),
            BinOp::Mod => {
                crate::fold::int_mod(x, y).map_or(Err("modulo by zero in a constant".into()), int)
            }
            BinOp::BitAnd => int(x & y),
            BinOp::BitOr => int(x | y),
            BinOp::BitXor => int(x ^ y),
            BinOp::Shl if (0..64).contains(&y) => int(x << y),
            BinOp::Shr if (0..64).contains(&y) => int(x >> y),
            _ => Err(format!("operator '{}' is not supported in constants", op.symbol())),
        },
        (Float(x), Float(y)) => {
            let (x, y) = (f64::from_bits(x), f64::from_bits(y));
            let v = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                _ => {
                    return Err(format!("operator '{}' is not supported in constants", op.symbol()))
                }
            };
            Ok((Const::float(v), Ty::Float))
        }
        _ => Err(format!("operator '{}' is not supported on these constants", op.symbol())),
    }
}
