//! Lowering of the `str` operations that are not plain externs: ordering comparisons
//! (`a < b` through `str_cmp`), repetition (`s * n`, `n * s` through `str_repeat`), slices
//! (`s[i:j]`, `s[i:j:k]` through `str_slice` / `str_slice_step`), and the builtins whose result
//! is an array (`str_split(s)`, `str_split(s, sep)`, `str_chars(s)`): an extern counts the items, a
//! `malloc_array` of that length holds them, a second extern fills it (see
//! `externs::ArrayPtr`), so the allocation is an op the JIT sees.
//!
//! Invariant: every operation here is an extern call or a few core ops; nothing new reaches
//! the IR, so the verifier, the IR interpreter, folding and the LLVM lowering need nothing
//! of their own for them.

use super::func::FnCx;
use super::LResult;
use crate::externs::strings::OMITTED;
use crate::front::ast::{BinOp, Expr, ExprKind};
use crate::ir::{Aux, Const, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{Ty, TypeTable};

/// The builtins of this module (names a program cannot redefine).
pub const STRING_BUILTINS: &[&str] = &["str_split", "str_chars"];

const STR: Ty = Ty::Ref(TypeTable::STR);

impl FnCx<'_> {
    fn call_ext(&mut self, name: &str, args: Vec<Value>, ret: Ty, span: Span) -> Option<Value> {
        self.emit(Opcode::CallExtern, args, Aux::Extern(name.into()), ret, span).map(Value::Var)
    }

    /// `left op right` when it is a string operation this module lowers: `None` otherwise.
    pub fn str_binary(
        &mut self,
        op: BinOp,
        (lv, lt): (Value, Ty),
        (rv, rt): (Value, Ty),
        span: Span,
    ) -> Option<(Value, Ty)> {
        use BinOp::*;
        match (op, lt, rt) {
            (Lt | Le | Gt | Ge, STR, STR) => {
                let c = self.call_ext("str_cmp", vec![lv, rv], Ty::Int, span)?;
                let opcode = match op {
                    Lt => Opcode::IntLt,
                    Le => Opcode::IntLe,
                    Gt => Opcode::IntGt,
                    _ => Opcode::IntGe,
                };
                let zero = Value::Const(Const::Int(0));
                let r = self.emit(opcode, vec![c, zero], Aux::None, Ty::Bool, span)?;
                Some((r.into(), Ty::Bool))
            }
            (Mul, STR, Ty::Int) => {
                Some((self.call_ext("str_repeat", vec![lv, rv], STR, span)?, STR))
            }
            (Mul, Ty::Int, STR) => {
                Some((self.call_ext("str_repeat", vec![rv, lv], STR, span)?, STR))
            }
            _ => None,
        }
    }

    /// `base[start:stop]` or `base[start:stop:step]` (omitted parts are `None`).
    pub fn slice(
        &mut self,
        base: &Expr,
        parts: [Option<&Expr>; 3],
        has_step: bool,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let (s, t) = self.expr(base, None)?;
        if let Some(r) = self.container_slice((s, t), parts, span)? {
            return Ok(r);
        }
        if t != STR {
            let msg = format!("only a str can be sliced, not {}", self.cx.program.types.display(t));
            return Err(Diagnostic::new(base.span, msg));
        }
        let [start, stop, step] = parts;
        if let Some(Expr { kind: ExprKind::Int(0), span }) = step {
            return Err(Diagnostic::new(*span, "slice step cannot be zero"));
        }
        let bound = |cx: &mut Self, e: Option<&Expr>, what: &str, omitted: i64| match e {
            Some(e) => cx.expr_as(e, Ty::Int, what),
            None => Ok(Value::Const(Const::Int(omitted))),
        };
        if !has_step || step.is_none() {
            let lo = bound(self, start, "a slice start", 0)?;
            let hi = bound(self, stop, "a slice stop", i64::MAX)?;
            let r = self.call_ext("str_slice", vec![s, lo, hi], STR, span).unwrap_or(s);
            return Ok((r, STR));
        }
        let lo = bound(self, start, "a slice start", OMITTED)?;
        let hi = bound(self, stop, "a slice stop", OMITTED)?;
        let k = bound(self, step, "a slice step", 1)?;
        let r = self.call_ext("str_slice_step", vec![s, lo, hi, k], STR, span).unwrap_or(s);
        Ok((r, STR))
    }

    /// `str_split(s)`, `str_split(s, sep)` -> `array[str]`; `str_chars(s)` -> `array[char]`.
    pub fn string_builtin(
        &mut self,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let (count, fill, elem, max_args) = match name {
            "str_split" if args.len() == 2 => ("str_split_len", "str_split_into", STR, 2),
            "str_split" => ("str_split_ws_len", "str_split_ws_into", STR, 2),
            _ => ("str_len_chars", "str_chars_into", Ty::Char, 1),
        };
        if args.is_empty() || args.len() > max_args {
            let takes = if max_args == 2 { "1 or 2 arguments" } else { "1 argument" };
            let msg = format!("'{name}' takes {takes}, {} given", args.len());
            return Err(Diagnostic::new(span, msg));
        }
        let mut vals = Vec::new();
        for (i, a) in args.iter().enumerate() {
            vals.push(self.expr_as(a, STR, &format!("argument {} of '{name}'", i + 1))?);
        }
        let at = self.cx.program.types.array(elem, false);
        let n = if count == "str_len_chars" {
            self.emit(Opcode::ArrayLen, vec![vals[0]], Aux::None, Ty::Int, span).map(Value::Var)
        } else {
            self.call_ext(count, vals.clone(), Ty::Int, span)
        };
        let n = n.unwrap_or(Value::Const(Const::Int(0)));
        let arr = self.emit(Opcode::MallocArray, vec![n], Aux::Type(at), Ty::Ref(at), span);
        let arr = arr.map(Value::Var).unwrap_or(Value::Const(Const::Null(at)));
        vals.push(arr);
        self.call_ext(fill, vals, Ty::Void, span);
        Ok((Some(arr), Ty::Ref(at)))
    }
}
