//! Methods: declaration, overriding, and calls dispatched by class.
//!
//! Vocabulary: a method `m` *declared* by struct `S` is the graph `S.m` (a name no RPy
//! function can have) whose first parameter `self` has type `S`. `m` *resolves* in `S` to the
//! declaration found first walking from `S` up its parents. An *override* of `m` is a
//! declaration in a strict subclass; it must have the same parameters (after `self`) and
//! result as the declaration it overrides, and no struct may have a field and a method of
//! the same name (in itself or its ancestors), so `obj.name(...)` is never ambiguous.
//!
//! Calls:
//! - `obj.m(args)` where `obj` has static type `S`: if no strict subclass of `S` declares
//!   `m`, a direct `call` of the declaration `m` resolves to in `S` (no dispatch at all);
//!   otherwise a *dispatch chain*: for each strict subclass `T` of `S` declaring `m`, deepest
//!   first, `instanceof(obj, T)` branching to `call T.m(cast(obj, T), args)`; the last
//!   `else` calls the declaration resolved in `S`. Arguments are evaluated once, before it.
//! - `Parent.m(obj, args)`: a direct call of the declaration `m` resolves to in `Parent`
//!   (calling the parent's version from an override, as Python 2 and RPython spell it; there
//!   is no `super()`).
//! - `obj.f(args)` where `f` is a field of function type: a call through the pointer.
//!
//! Why instance tests rather than a `switch` on `typeof` or a table of function pointers:
//! the JIT folds `instanceof` (and the `cast` after it) when it knows the receiver's class —
//! a constant, a class promoted with `hint(x, promote_class=True)`, or a virtual object — so
//! the residual code keeps only the direct call of the right method, which it follows like
//! any call; a table would need a `call_indirect` on a read of class data. One range test
//! covers a subclass and all its descendants (tags of a subtree are contiguous, see
//! `layout.rs`), so the chain has one test per overriding class, not per class, and names no
//! tags, which the IR does not fix (they come from the final type table). In translated code
//! the tests share one load of the header word, and there is none when nothing overrides.
//! A null receiver passes every test (instanceof is false) and reaches the declaration of
//! `S` with `self` null, as it would with no overrides: it fails where `self` is used.

use super::func::FnCx;
use super::{Global, LResult, ModuleCx};
use crate::front::ast::{Expr, ExprKind, FuncDecl, Item, Module};
use crate::ir::{Aux, Exit, Graph, GraphIdx, Target, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapTypeIdx, Ty};
use std::collections::HashMap;

/// Every method declaration: (struct, name) to its graph and the position of its `def`.
#[derive(Default)]
pub(super) struct MethodTable {
    declared: HashMap<(HeapTypeIdx, String), (GraphIdx, Span)>,
}

impl MethodTable {
    /// The declaration `name` resolves to in `st`: its struct and graph.
    fn resolve(
        &self,
        types: &crate::types::TypeTable,
        st: HeapTypeIdx,
        name: &str,
    ) -> Option<(HeapTypeIdx, GraphIdx)> {
        let mut cur = Some(st);
        while let Some(s) = cur {
            if let Some((g, _)) = self.declared.get(&(s, name.to_string())) {
                return Some((s, *g));
            }
            cur = types.struct_def(s).parent;
        }
        None
    }
}

impl ModuleCx {
    /// Declares the graph of every method (after structs and functions), then checks
    /// overrides and field names.
    pub(super) fn declare_methods(&mut self, module: &Module) {
        for item in &module.items {
            let Item::Struct(s) = item else { continue };
            let Some(&Global::Struct(st)) = self.globals.get(&s.name) else { continue };
            for f in &s.methods {
                let Some((params, ret)) = self.signature(f) else { continue };
                let key = (st, f.name.clone());
                if self.methods.declared.contains_key(&key) {
                    let msg = format!("method '{}' is already defined in '{}'", f.name, s.name);
                    self.errors.push(Diagnostic::new(f.span, msg));
                    continue;
                }
                if self.program.types.struct_def(st).field_index(&f.name).is_some() {
                    let msg = format!(
                        "'{}' is a field of '{}': a method cannot have the same name",
                        f.name, s.name
                    );
                    self.errors.push(Diagnostic::new(f.span, msg));
                    continue;
                }
                let name = format!("{}.{}", s.name, f.name);
                let g = self.program.add_graph(Graph::new(name, params, ret, f.span));
                self.methods.declared.insert(key, (g, f.span));
            }
        }
        self.check_overrides(module);
    }

    /// Each override has the signature of what it overrides; no field of a struct has the
    /// name of a method of an ancestor.
    fn check_overrides(&mut self, module: &Module) {
        let mut decls: Vec<_> =
            self.methods.declared.iter().map(|(k, v)| (k.clone(), *v)).collect();
        decls.sort_by_key(|(_, (_, span))| (span.line, span.col));
        for ((st, name), (g, span)) in decls {
            let types = &self.program.types;
            let Some(parent) = types.struct_def(st).parent else { continue };
            let Some((base, bg)) = self.methods.resolve(types, parent, &name) else { continue };
            let (mine, theirs) = (&self.program.graphs[g], &self.program.graphs[bg]);
            if mine.params[1..] != theirs.params[1..] || mine.ret != theirs.ret {
                let msg = format!(
                    "method '{}.{name}' overrides '{}.{name}' with a different signature: \
                     {} instead of {}",
                    types.struct_def(st).name,
                    types.struct_def(base).name,
                    self.show_sig(g),
                    self.show_sig(bg),
                );
                self.errors.push(Diagnostic::new(span, msg));
            }
        }
        for item in &module.items {
            let Item::Struct(s) = item else { continue };
            let Some(&Global::Struct(st)) = self.globals.get(&s.name) else { continue };
            let Some(parent) = self.program.types.struct_def(st).parent else { continue };
            for (field, _, fspan) in &s.fields {
                if let Some((base, _)) = self.methods.resolve(&self.program.types, parent, field) {
                    let msg = format!(
                        "field '{field}' of '{}' has the name of a method of '{}'",
                        s.name,
                        self.program.types.struct_def(base).name
                    );
                    self.errors.push(Diagnostic::new(*fspan, msg));
                }
            }
        }
    }

    /// `(T1, T2) -> R` of a method, without `self`.
    fn show_sig(&self, g: GraphIdx) -> String {
        let graph = &self.program.graphs[g];
        let types = &self.program.types;
        let params: Vec<String> =
            graph.params[1..].iter().map(|t| types.display(*t).to_string()).collect();
        format!("({}) -> {}", params.join(", "), types.display(graph.ret))
    }

    /// The graph of the method `f` of struct `owner`, if it was declared.
    pub(super) fn method_graph(&self, owner: &str, f: &FuncDecl) -> Option<GraphIdx> {
        let Some(&Global::Struct(st)) = self.globals.get(owner) else { return None };
        let (g, span) = self.methods.declared.get(&(st, f.name.clone()))?;
        (*span == f.span).then_some(*g)
    }
}

impl FnCx<'_> {
    /// `base.name(args)`: a method call, a parent's method (`Parent.name(obj, ...)`), a
    /// container method (`front/lower/containers.rs`), or a call through a function-pointer
    /// field. `dot` is the position of the `.`.
    pub fn attribute_call(
        &mut self,
        (base, name, dot): (&Expr, &str, Span),
        args: &[Expr],
        kwargs: &[(String, Expr, Span)],
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        if let ExprKind::Name(n) = &base.kind {
            if !self.local_ty.contains_key(n) {
                if let Some(Global::Struct(st)) = self.cx.globals.get(n).copied() {
                    return self.parent_call(st, name, dot, args, kwargs, span);
                }
            }
        }
        let (recv, t) = self.expr(base, None)?;
        self.method_call_on((recv, t), (base.span, name, dot), args, kwargs, span)
    }

    /// `recv.name(args)` with the receiver already lowered (`base_span` is where it was
    /// written): the rest of [`Self::attribute_call`].
    pub fn method_call_on(
        &mut self,
        (recv, t): (Value, Ty),
        (base_span, name, dot): (Span, &str, Span),
        args: &[Expr],
        kwargs: &[(String, Expr, Span)],
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        if let Some(inst) = self.container_receiver(t, name) {
            return self.container_method(inst, recv, name, args, kwargs, span);
        }
        if let Some(err) = super::containers::not_a_container(name, &self.show_ty(t), span) {
            return Err(err);
        }
        let st = match t {
            Ty::Ref(s) if self.cx.program.types.as_struct(s).is_some() => s,
            _ => {
                let shown = self.cx.program.types.display(t).to_string();
                return Err(Diagnostic::new(dot, format!("{shown} has no methods")));
            }
        };
        if super::tuples::tuple_items(&self.cx.program.types, t).is_some() {
            return Err(Diagnostic::new(dot, "a tuple has no methods"));
        }
        let def = self.cx.program.types.struct_def(st);
        if let Some(idx) = def.field_index(name) {
            let fty = def.fields[idx as usize].ty;
            let f = self.emit(Opcode::GetField, vec![recv], Aux::Field(st, idx), fty, dot);
            return self.call_pointer((f.unwrap().into(), fty), base_span, args, kwargs, span);
        }
        let Some((_, g)) = self.cx.methods.resolve(&self.cx.program.types, st, name) else {
            let msg = format!("struct '{}' has no field or method '{name}'", def.name);
            return Err(Diagnostic::new(dot, msg));
        };
        self.no_kwargs(kwargs)?;
        let params = self.cx.program.graphs[g].params[1..].to_vec();
        let what = format!("method '{}.{name}'", def.name);
        let vals = self.call_args(args, &params, &what, span)?;
        self.dispatch(recv, st, name, &vals, span)
    }

    /// `Parent.name(obj, args)`: the declaration `name` resolves to in `Parent`, called
    /// directly (no dispatch).
    fn parent_call(
        &mut self,
        st: HeapTypeIdx,
        name: &str,
        dot: Span,
        args: &[Expr],
        kwargs: &[(String, Expr, Span)],
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let sname = self.cx.program.types.struct_def(st).name.clone();
        let Some((_, g)) = self.cx.methods.resolve(&self.cx.program.types, st, name) else {
            let msg = format!("struct '{sname}' has no method '{name}'");
            return Err(Diagnostic::new(dot, msg));
        };
        self.no_kwargs(kwargs)?;
        let mut params = self.cx.program.graphs[g].params.clone();
        params[0] = Ty::Ref(st);
        let ret = self.cx.program.graphs[g].ret;
        let vals = self.call_args(args, &params, &format!("'{sname}.{name}'"), span)?;
        let r = self.emit(Opcode::Call, vals, Aux::Graph(g), ret, span);
        self.check_after_call(Some(g), span)?;
        Ok((r.map(Value::Var), ret))
    }

    /// Calls method `name` on `recv` of static type `st` with the lowered `args`: a direct
    /// call, or the dispatch chain of the module header; each call is followed by its
    /// exception check (`check_after_call`).
    fn dispatch(
        &mut self,
        recv: Value,
        st: HeapTypeIdx,
        name: &str,
        args: &[Value],
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let types = &self.cx.program.types;
        let (_, default) = self.cx.methods.resolve(types, st, name).expect("resolved by caller");
        let ret = self.cx.program.graphs[default].ret;
        let depth = |mut t: HeapTypeIdx| {
            let mut d = 0;
            while let Some(p) = types.struct_def(t).parent {
                d += 1;
                t = p;
            }
            d
        };
        let mut overrides: Vec<(usize, HeapTypeIdx, GraphIdx)> = self
            .cx
            .methods
            .declared
            .iter()
            .filter(|((t, m), _)| m == name && *t != st && types.is_subtype(*t, st))
            .map(|((t, _), (g, _))| (depth(*t), *t, *g))
            .collect();
        // Deepest first (a subclass's test before its parent's); then a fixed order.
        overrides.sort_by_key(|(d, t, _)| (std::cmp::Reverse(*d), *t));
        let call = |fx: &mut Self, g: GraphIdx, recv: Value| -> LResult<Option<Value>> {
            let vals = std::iter::once(recv).chain(args.iter().copied()).collect();
            let r = fx.emit(Opcode::Call, vals, Aux::Graph(g), ret, span).map(Value::Var);
            fx.check_after_call(Some(g), span)?;
            Ok(r)
        };
        if overrides.is_empty() {
            return Ok((call(self, default, recv)?, ret));
        }
        let join = self.g.add_block(span);
        let result = (ret != Ty::Void).then(|| Value::Var(self.g.add_param(join, ret, None)));
        let goto =
            |r: Option<Value>| Exit::Goto(Target { block: join, args: r.into_iter().collect() });
        for (_, t, g) in overrides {
            let (yes, no) = (self.g.add_block(span), self.g.add_block(span));
            let c = self.emit(Opcode::InstanceOf, vec![recv], Aux::Type(t), Ty::Bool, span);
            let to = |b| Target { block: b, args: vec![] };
            let exit = Exit::Branch { cond: c.unwrap().into(), if_true: to(yes), if_false: to(no) };
            self.terminate(exit, span);
            self.cur = Some(yes);
            let cast = self.emit(Opcode::Cast, vec![recv], Aux::Type(t), Ty::Ref(t), span);
            let r = call(self, g, cast.unwrap().into())?;
            self.terminate(goto(r), span);
            self.cur = Some(no);
        }
        let r = call(self, default, recv)?;
        self.terminate(goto(r), span);
        self.cur = Some(join);
        Ok((result, ret))
    }
}

/// The methods of `module`'s structs with the name of their struct, in source order.
pub(super) fn methods_of(module: &Module) -> impl Iterator<Item = (&str, &FuncDecl)> {
    module.items.iter().flat_map(|item| match item {
        Item::Struct(s) => s.methods.iter().map(|m| (s.name.as_str(), m)).collect::<Vec<_>>(),
        _ => Vec::new(),
    })
}
