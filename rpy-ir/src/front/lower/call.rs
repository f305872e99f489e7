//! Lowering of calls: builtins (`len`, `ord`, `chr`, `int`, `float`, `hint`, `isinstance`,
//! `id`), struct construction, array allocation, direct calls, calls through function pointers
//! and externs; `obj.m(...)` goes to `methods.rs`.
//!
//! `isinstance(x, C)` is the instance test, `x isa C` its older spelling: both are the one
//! `instanceof` op, with the same checks (`C` a struct related to `x`'s type; a tuple
//! `(A, B)` of such structs tests each in turn). `id(obj)` is the object's address as an
//! int (`cast_ptr_to_int`; 0 for None): equal for the same object while it lives, different
//! from run to run.

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
        if let ExprKind::Field(base, name) = &callee.kind {
            return self.attribute_call((base, name, callee.span), args, kwargs, span);
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
                if super::strings::STRING_BUILTINS.contains(&name.as_str()) {
                    self.no_kwargs(kwargs)?;
                    return self.string_builtin(name, args, span);
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
                    let types = &mut self.cx.program.types;
                    let params: Vec<Ty> = ext.params.iter().map(|p| p.intern(types)).collect();
                    let ret = ext.ret.intern(types);
                    let vals = self.call_args(args, &params, &format!("'{name}'"), span)?;
                    let r =
                        self.emit(Opcode::CallExtern, vals, Aux::Extern(name.clone()), ret, span);
                    return Ok((r.map(Value::Var), ret));
                }
            }
        }
        let f = self.expr(callee, None)?;
        self.call_pointer(f, callee.span, args, kwargs, span)
    }

    /// A call through the lowered function pointer `f` (the callee at `callee_span`).
    pub fn call_pointer(
        &mut self,
        (f, ft): (Value, Ty),
        callee_span: Span,
        args: &[Expr],
        kwargs: &Kwargs,
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let Ty::Func(sig) = ft else {
            let msg = format!("{} cannot be called", self.cx.program.types.display(ft));
            return Err(Diagnostic::new(callee_span, msg));
        };
        self.no_kwargs(kwargs)?;
        let s = self.cx.program.types.signature(sig).clone();
        let mut vals = vec![f];
        vals.extend(self.call_args(args, &s.params, "the function", span)?);
        let r = self.emit(Opcode::CallIndirect, vals, Aux::Sig(sig), s.ret, span);
        self.check_after_call(None, span)?;
        Ok((r.map(Value::Var), s.ret))
    }

    pub fn no_kwargs(&self, kwargs: &Kwargs) -> LResult<()> {
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

    pub fn call_args(
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
        match name {
            "isinstance" => return self.isinstance(args, span),
            "range" => {
                let msg = "range() is only the iterable of a 'for' loop: for i in range(n)";
                return Err(Diagnostic::new(span, msg));
            }
            "enumerate" => {
                let msg =
                    "enumerate() is only the iterable of a 'for' loop: for i, x in enumerate(l)";
                return Err(Diagnostic::new(span, msg));
            }
            _ => {}
        }
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
            ("id", Ty::Ref(_)) => (Opcode::CastPtrToInt, Ty::Int),
            _ => return Err(bad(self)),
        };
        let r = self.emit(opcode, vec![v], Aux::None, rt, span).unwrap();
        Ok((Some(r.into()), rt))
    }

    /// `isinstance(x, C)` or `isinstance(x, (A, B, ...))`.
    fn isinstance(&mut self, args: &[Expr], span: Span) -> LResult<(Option<Value>, Ty)> {
        self.arity(args, 2, "'isinstance'", span)?;
        let classes: Vec<&Expr> = match &args[1].kind {
            ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![&args[1]],
        };
        let (v, t) = self.expr(&args[0], None)?;
        let types = &self.cx.program.types;
        let from = match t {
            Ty::Ref(s) if types.as_struct(s).is_some() => s,
            _ => {
                let msg = format!("'isinstance' needs a struct, found {}", types.display(t));
                return Err(Diagnostic::new(args[0].span, msg));
            }
        };
        let mut tests = Vec::new();
        for c in classes {
            let to = match &c.kind {
                ExprKind::Name(n) => match self.cx.globals.get(n) {
                    Some(Global::Struct(s)) => Some(*s),
                    _ => None,
                },
                _ => None,
            };
            let Some(to) = to else {
                let msg = "the second argument of 'isinstance' is a struct name or a tuple of them";
                return Err(Diagnostic::new(c.span, msg));
            };
            let types = &self.cx.program.types;
            if !types.is_subtype(to, from) && !types.is_subtype(from, to) {
                return Err(self.unrelated(from, to, c.span));
            }
            tests.push(to);
        }
        let mut preds = Vec::new();
        for (i, to) in tests.iter().enumerate() {
            let c = self.emit(Opcode::InstanceOf, vec![v], Aux::Type(*to), Ty::Bool, span);
            let c: Value = c.unwrap().into();
            if tests.len() == 1 {
                return Ok((Some(c), Ty::Bool));
            }
            let yes = self.g.add_block(span);
            preds.push((yes, Const::Bool(true).into()));
            let target = |b| crate::ir::Target { block: b, args: vec![] };
            let no = if i + 1 == tests.len() {
                let no = self.g.add_block(span);
                preds.push((no, Const::Bool(false).into()));
                no
            } else {
                self.g.add_block(span)
            };
            let exit =
                crate::ir::Exit::Branch { cond: c, if_true: target(yes), if_false: target(no) };
            self.terminate(exit, span);
            self.cur = Some(no);
        }
        let r = self.value_join(&preds, Ty::Bool, span);
        Ok((Some(r), Ty::Bool))
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
        if flags.likely && t != Ty::Bool {
            let msg = format!("'likely' needs a bool, found {}", self.cx.program.types.display(t));
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
