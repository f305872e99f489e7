//! Lowering of calls: builtins (`len`, `ord`, `chr`, `int`, `float`, `hint`), struct
//! construction, array allocation, direct calls, calls through function pointers and externs.

use super::func::FnCx;
use super::{Global, LResult};
use crate::externs;
use crate::front::ast::{Expr, ExprKind};
use crate::ir::{Aux, Const, HintFlags, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapType, Ty, TypeTable};

type Kwargs = [(String, Expr, Span)];

impl FnCx<'_> {
    /// Lowers `callee(args, kwargs)`.
    pub fn call(
        &mut self,
        callee: &Expr,
        args: &[Expr],
        kwargs: &Kwargs,
        expected: Option<Ty>,
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        if let ExprKind::ArrayType(texpr) = &callee.kind {
            let t = self.cx.resolve_type(texpr)?;
            let Ty::Ref(at) = t else { unreachable!("array types resolve to refs") };
            if self.cx.program.types.as_array(at).is_some_and(|a| a.immutable) {
                return Err(Diagnostic::new(
                    callee.span,
                    "cannot allocate an immutable array; use a literal",
                ));
            }
            self.no_kwargs(kwargs)?;
            self.arity(args, 1, "array allocation", span)?;
            let n = self.expr_as(&args[0], Ty::Int, "array length")?;
            let a = self.emit(Opcode::MallocArray, vec![n], Aux::Type(at), t, span).unwrap();
            return Ok((Some(a.into()), t));
        }
        if let ExprKind::Name(name) = &callee.kind {
            if !self.env.contains_key(name) && !self.local_ty.contains_key(name) {
                if !self.cx.globals.contains_key(name) {
                    if let Some(r) = self.container_builtin(name, args, expected, span)? {
                        return Ok(r);
                    }
                }
                if super::BUILTINS.contains(&name.as_str()) {
                    return self.builtin(name, args, kwargs, span);
                }
                match self.cx.globals.get(name).copied() {
                    Some(Global::Struct(s)) => return self.construct(s, args, kwargs, span),
                    Some(Global::Func(g)) => {
                        self.no_kwargs(kwargs)?;
                        let graph = &self.cx.program.graphs[g];
                        let (params, ret) = (graph.params.clone(), graph.ret);
                        let vals = self.call_args(args, &params, &format!("'{name}'"), span)?;
                        let r = self.emit(Opcode::Call, vals, Aux::Graph(g), ret, span);
                        self.check_after_call(Some(g), span)?;
                        return Ok((r.map(Value::Var), ret));
                    }
                    _ => {}
                }
                if let Some(ext) = externs::lookup(name) {
                    self.no_kwargs(kwargs)?;
                    let params: Vec<Ty> = ext.params.iter().map(|p| p.ty()).collect();
                    let ret = ext.ret.ty();
                    let vals = self.call_args(args, &params, &format!("'{name}'"), span)?;
                    let r =
                        self.emit(Opcode::CallExtern, vals, Aux::Extern(name.clone()), ret, span);
                    return Ok((r.map(Value::Var), ret));
                }
            }
        }
        let (f, ft) = match &callee.kind {
            ExprKind::Field(obj, method) => {
                let recv = self.expr(obj, None)?;
                if let Some(inst) = self.container_receiver(recv.1, method) {
                    return self.container_method(inst, recv.0, method, args, kwargs, span);
                }
                let shown = self.show_ty(recv.1);
                if let Some(err) = super::containers::not_a_container(method, &shown, span) {
                    return Err(err);
                }
                let (p, st, idx, fty) = self.field_place_of(recv, method, callee.span)?;
                let v = self.emit(Opcode::GetField, vec![p], Aux::Field(st, idx), fty, callee.span);
                (v.expect("a field read has a value").into(), fty)
            }
            _ => self.expr(callee, None)?,
        };
        let Ty::Func(sig) = ft else {
            let msg = format!("{} cannot be called", self.cx.program.types.display(ft));
            return Err(Diagnostic::new(callee.span, msg));
        };
        self.no_kwargs(kwargs)?;
        let s = self.cx.program.types.signature(sig).clone();
        let mut vals = vec![f];
        vals.extend(self.call_args(args, &s.params, "the function", span)?);
        let r = self.emit(Opcode::CallIndirect, vals, Aux::Sig(sig), s.ret, span);
        self.check_after_call(None, span)?;
        Ok((r.map(Value::Var), s.ret))
    }

    fn no_kwargs(&self, kwargs: &Kwargs) -> LResult<()> {
        match kwargs.first() {
            Some((name, _, span)) => {
                Err(Diagnostic::new(*span, format!("unexpected keyword argument '{name}'")))
            }
            None => Ok(()),
        }
    }

    fn arity(&self, args: &[Expr], n: usize, what: &str, span: Span) -> LResult<()> {
        if args.len() != n {
            let s = if n == 1 { "" } else { "s" };
            return Err(Diagnostic::new(
                span,
                format!("{what} takes {n} argument{s}, {} given", args.len()),
            ));
        }
        Ok(())
    }

    fn call_args(
        &mut self,
        args: &[Expr],
        params: &[Ty],
        what: &str,
        span: Span,
    ) -> LResult<Vec<Value>> {
        self.arity(args, params.len(), what, span)?;
        let mut vals = Vec::new();
        for (i, (a, p)) in args.iter().zip(params).enumerate() {
            vals.push(self.expr_as(a, *p, &format!("argument {} of {what}", i + 1))?);
        }
        Ok(vals)
    }

    fn construct(
        &mut self,
        s: crate::types::HeapTypeIdx,
        args: &[Expr],
        kwargs: &Kwargs,
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let def = self.cx.program.types.struct_def(s).clone();
        let given = super::expr::match_fields(&def, args, kwargs, span)?;
        for (i, f) in def.fields.iter().enumerate() {
            if matches!(f.ty, Ty::Func(_)) && !given.iter().any(|(g, _)| *g == i) {
                let msg = format!(
                    "field '{}' of '{}' must be given: a function pointer cannot be null",
                    f.name, def.name
                );
                return Err(Diagnostic::new(span, msg));
            }
        }
        let mut vals = Vec::new();
        for (idx, e) in &given {
            let f = &def.fields[*idx];
            vals.push((*idx, self.expr_as(e, f.ty, &format!("field '{}'", f.name))?));
        }
        let p = self.emit(Opcode::Malloc, vec![], Aux::Type(s), Ty::Ref(s), span).unwrap();
        for (idx, v) in vals {
            self.emit(
                Opcode::SetField,
                vec![p.into(), v],
                Aux::Field(s, idx as u32),
                Ty::Void,
                span,
            );
        }
        Ok((Some(p.into()), Ty::Ref(s)))
    }

    fn builtin(
        &mut self,
        name: &str,
        args: &[Expr],
        kwargs: &Kwargs,
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        if name == "hint" {
            return self.hint(args, kwargs, span);
        }
        if name == "ovfcheck" {
            self.no_kwargs(kwargs)?;
            self.arity(args, 1, "'ovfcheck'", span)?;
            return self.ovfcheck(&args[0], span);
        }
        self.no_kwargs(kwargs)?;
        self.arity(args, 1, &format!("'{name}'"), span)?;
        let (v, t) = self.expr(&args[0], None)?;
        if let Some(inst) = self.container_of(t).filter(|_| name == "len") {
            return Ok(self.container_len(inst, v, span));
        }
        let bad = |s: &Self| {
            Diagnostic::new(
                args[0].span,
                format!("'{name}' cannot be applied to {}", s.cx.program.types.display(t)),
            )
        };
        let (opcode, rt) = match (name, t) {
            ("len", Ty::Ref(at))
                if matches!(self.cx.program.types.heap(at), HeapType::Array(_)) =>
            {
                (Opcode::ArrayLen, Ty::Int)
            }
            ("ord", Ty::Char) => (Opcode::CastCharToInt, Ty::Int),
            ("chr", Ty::Int) => (Opcode::CastIntToChar, Ty::Char),
            ("int", Ty::Int) | ("float", Ty::Float) => return Ok((Some(v), t)),
            ("int", Ty::Float) => (Opcode::CastFloatToInt, Ty::Int),
            ("int", Ty::Char) => (Opcode::CastCharToInt, Ty::Int),
            ("int", Ty::Bool) => (Opcode::CastBoolToInt, Ty::Int),
            ("float", Ty::Int) => (Opcode::CastIntToFloat, Ty::Float),
            _ => return Err(bad(self)),
        };
        let r = self.emit(opcode, vec![v], Aux::None, rt, span).unwrap();
        Ok((Some(r.into()), rt))
    }

    /// `hint(v, flag=True, ...)` and `hint(None, global_merge_point=True)`.
    fn hint(&mut self, args: &[Expr], kwargs: &Kwargs, span: Span) -> LResult<(Option<Value>, Ty)> {
        self.arity(args, 1, "'hint'", span)?;
        let mut flags = HintFlags::default();
        for (name, value, kspan) in kwargs {
            if !matches!(value.kind, ExprKind::Bool(true)) {
                return Err(Diagnostic::new(
                    value.span,
                    format!("hint flags are written {name}=True"),
                ));
            }
            if !flags.set(name) {
                let known = HintFlags::NAMES.join(", ");
                return Err(Diagnostic::new(
                    *kspan,
                    format!("unknown hint '{name}' (known: {known})"),
                ));
            }
        }
        if kwargs.is_empty() {
            return Err(Diagnostic::new(
                span,
                "'hint' needs at least one flag, e.g. hint(x, promote=True)",
            ));
        }
        if flags.global_merge_point {
            if kwargs.len() != 1 || !matches!(args[0].kind, ExprKind::None) {
                return Err(Diagnostic::new(
                    span,
                    "write the merge point alone: hint(None, global_merge_point=True)",
                ));
            }
            self.emit(Opcode::Hint, vec![], Aux::Hint(flags), Ty::Void, span);
            return Ok((None, Ty::Void));
        }
        let (v, t) = self.expr(&args[0], None)?;
        if (flags.promote_class || flags.deepfreeze) && !t.is_ref() {
            let which = if flags.promote_class { "promote_class" } else { "deepfreeze" };
            let msg =
                format!("'{which}' needs a pointer, found {}", self.cx.program.types.display(t));
            return Err(Diagnostic::new(args[0].span, msg));
        }
        if t == Ty::Ref(TypeTable::STR) && flags.promote_class {
            return Err(Diagnostic::new(args[0].span, "'promote_class' needs a struct"));
        }
        let _ = Const::Int(0);
        let r = self.emit(Opcode::Hint, vec![v], Aux::Hint(flags), t, span).unwrap();
        Ok((Some(r.into()), t))
    }
}
