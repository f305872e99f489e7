//! Lowering of one function body: statements, control flow and SSA construction.
//!
//! SSA is built directly from the structured control flow of RPy, without a separate pass:
//! - the environment maps each local name to its current [`Value`]; only definitely assigned
//!   locals are in it, so using a local that some path did not assign is an error; a
//!   statement `hint(x, ...)` rebinds `x` to the hint's result;
//! - a join (after `if`, after a loop, after `and`/`or`) receives the environments of its
//!   predecessors; a name defined in all of them with one value passes through, a name with
//!   different values becomes a block parameter, a name missing on some path is dropped;
//! - a loop header gets a parameter for every local that is defined before the loop and
//!   assigned somewhere in its body (a syntactic scan), so back edges need no patching.
//!   `while True:` has no exit edge from the header: locals assigned before every `break` stay
//!   defined after the loop.
//!
//! An "open" block is one whose exit is not set yet: the current block, or a predecessor
//! waiting for its join. Code after `return`/`break`/`continue` is still type-checked, in a
//! block that nothing reaches; such blocks are removed at the end.

use super::{Global, LResult, ModuleCx};
use crate::front::ast::{Expr, ExprKind, FuncDecl, Stmt, StmtKind};
use crate::ir::{Aux, Block, Exit, Graph, GraphIdx, Target, Value, Var};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapType, Ty};
use std::collections::HashMap;

pub(super) type Env = HashMap<String, Value>;

/// An enclosing loop: where `continue` jumps (with the carried locals) and the `break`s met.
pub(super) struct LoopCx {
    pub header: Block,
    pub carried: Vec<String>,
    pub breaks: Vec<(Block, Env)>,
    /// How many `try` frames enclose the loop (`break`/`continue` run the `finally`s above).
    pub frames: usize,
}

/// The state of lowering one function.
pub(super) struct FnCx<'a> {
    pub cx: &'a mut ModuleCx,
    pub g: Graph,
    /// The block being appended to; `None` after `return`, `break` or `continue`.
    pub cur: Option<Block>,
    pub env: Env,
    /// The type of every local, fixed by its first assignment or declaration.
    pub local_ty: HashMap<String, Ty>,
    /// Locals in first-definition order (the order of join parameters).
    pub order: Vec<String>,
    pub loops: Vec<LoopCx>,
    /// The `try` frames and exception paths of this function (`exceptions.rs`).
    pub exc: super::exceptions::ExcFn,
}

pub(super) fn lower_function(cx: &mut ModuleCx, gi: GraphIdx, f: &FuncDecl) -> LResult<()> {
    let g = cx.program.graphs[gi].clone();
    let mut fx = FnCx {
        cx,
        g,
        cur: None,
        env: Env::new(),
        local_ty: HashMap::new(),
        order: Vec::new(),
        loops: Vec::new(),
        exc: Default::default(),
    };
    let entry = fx.g.entry;
    fx.cur = Some(entry);
    let params = fx.g.blocks[entry].params.clone();
    for ((name, _, span), v) in f.params.iter().zip(params) {
        fx.check_local_name(name, *span)?;
        if fx.local_ty.contains_key(name) {
            return Err(Diagnostic::new(*span, format!("duplicate parameter '{name}'")));
        }
        fx.g.vars[v].name = Some(name.clone());
        fx.declare_local(name, fx.g.vars[v].ty);
        fx.env.insert(name.clone(), Value::Var(v));
    }
    fx.block(&f.body)?;
    if let Some(b) = fx.cur {
        if fx.g.ret != Ty::Void {
            let msg = format!(
                "missing return at the end of '{}', which returns {}",
                f.name,
                fx.cx.program.types.display(fx.g.ret)
            );
            return Err(Diagnostic::new(f.span, msg));
        }
        fx.g.blocks[b].exit = Exit::Return(None);
    }
    if fx.cx.exc.is_some() {
        // Cleaned up by `exceptions::finish`, once it knows which calls can raise.
        let paths = std::mem::take(&mut fx.exc.paths);
        fx.cx.exc_graphs.insert(gi, paths);
    } else {
        fx.g.thread_jumps();
        fx.g.remove_unreachable_blocks();
    }
    fx.cx.program.graphs[gi] = fx.g;
    Ok(())
}

impl FnCx<'_> {
    /// The current block, creating an unreachable one after a jump so dead code is checked.
    pub fn cur_block(&mut self, span: Span) -> Block {
        match self.cur {
            Some(b) => b,
            None => {
                let b = self.g.add_block(span);
                self.cur = Some(b);
                b
            }
        }
    }

    /// Appends an op to the current block.
    pub fn emit(
        &mut self,
        opcode: Opcode,
        args: Vec<Value>,
        aux: Aux,
        ty: Ty,
        span: Span,
    ) -> Option<Var> {
        let b = self.cur_block(span);
        self.g.push_op(b, opcode, args, aux, ty, span)
    }

    /// Ends the current block with `exit`; what follows is unreachable.
    pub fn terminate(&mut self, exit: Exit, span: Span) {
        let b = self.cur_block(span);
        self.g.blocks[b].exit = exit;
        self.cur = None;
    }

    fn check_local_name(&self, name: &str, span: Span) -> LResult<()> {
        // The container prelude's locals may share a name with the user's globals.
        let global = self.cx.globals.get(name).filter(|_| !self.cx.generics.in_prelude);
        if let Some(g) = global {
            let what = match g {
                Global::Struct(_) => "a struct",
                Global::Func(_) => "a function",
                Global::Const(..) => "a constant",
            };
            return Err(Diagnostic::new(
                span,
                format!("cannot use '{name}' as a local variable: it is {what}"),
            ));
        }
        if super::is_builtin(name) {
            return Err(Diagnostic::new(
                span,
                format!("cannot use '{name}' as a local variable: it is a builtin"),
            ));
        }
        Ok(())
    }

    pub fn declare_local(&mut self, name: &str, ty: Ty) {
        if self.local_ty.insert(name.to_string(), ty).is_none() {
            self.order.push(name.to_string());
        }
    }

    /// Joins open predecessor blocks into one; the current block becomes the join.
    pub fn join(&mut self, preds: Vec<(Block, Env)>, span: Span) {
        match preds.len() {
            0 => {
                self.cur = None;
            }
            1 => {
                let (b, env) = preds.into_iter().next().unwrap();
                self.cur = Some(b);
                self.env = env;
            }
            _ => {
                let join = self.g.add_block(span);
                let mut env = Env::new();
                let mut carried = Vec::new();
                for name in &self.order {
                    let vals: Option<Vec<Value>> =
                        preds.iter().map(|(_, e)| e.get(name).copied()).collect();
                    let Some(vals) = vals else { continue };
                    if vals.iter().all(|v| *v == vals[0]) {
                        env.insert(name.clone(), vals[0]);
                    } else {
                        let p = self.g.add_param(join, self.local_ty[name], Some(name.clone()));
                        env.insert(name.clone(), Value::Var(p));
                        carried.push(name.clone());
                    }
                }
                for (b, e) in &preds {
                    let args = carried.iter().map(|n| e[n]).collect();
                    self.g.blocks[*b].exit = Exit::Goto(Target { block: join, args });
                }
                self.cur = Some(join);
                self.env = env;
            }
        }
    }

    /// Lowers a statement list.
    pub fn block(&mut self, stmts: &[Stmt]) -> LResult<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> LResult<()> {
        match &s.kind {
            StmtKind::Pass => Ok(()),
            StmtKind::Expr(e) => {
                let (v, _) = self.expr_any(e, None)?;
                // `hint(x, ...)` as a statement applies to `x` from here on, as PyPy's in-place
                // hints did: in SSA, that means rebinding `x` to the hint's result.
                if let (Some(v), Some(name)) = (v, hinted_local(e)) {
                    if self.env.contains_key(name) {
                        self.env.insert(name.to_string(), v);
                    }
                }
                Ok(())
            }
            StmtKind::Assign { target, ty, value } => {
                self.assign(target, ty.as_ref(), value, s.span)
            }
            StmtKind::AugAssign { target, op, value } => {
                self.aug_assign(target, *op, value, s.span)
            }
            StmtKind::If { cond, then, orelse } => {
                let then_b = self.g.add_block(s.span);
                let else_b = self.g.add_block(s.span);
                self.cond_branch(cond, then_b, else_b)?;
                let before = self.env.clone();
                let mut preds = Vec::new();
                self.cur = Some(then_b);
                self.block(then)?;
                if let Some(b) = self.cur {
                    preds.push((b, std::mem::replace(&mut self.env, before.clone())));
                }
                self.env = before;
                self.cur = Some(else_b);
                self.block(orelse)?;
                if let Some(b) = self.cur {
                    preds.push((b, self.env.clone()));
                }
                self.join(preds, s.span);
                Ok(())
            }
            StmtKind::While { cond, body } => self.while_loop(cond, body, s.span),
            StmtKind::For { target, iter, body, orelse } => {
                self.for_loop(target, iter, (body, orelse), s.span)
            }
            StmtKind::Raise(e) => self.raise_stmt(e.as_ref(), s.span),
            StmtKind::Try(t) => self.try_stmt(t, s.span),
            StmtKind::Break => {
                let Some(lp) = self.loops.last() else {
                    return Err(Diagnostic::new(s.span, "'break' outside a loop"));
                };
                let frames = lp.frames;
                if !self.leave_frames(frames, s.span)? {
                    return Ok(());
                }
                let b = self.cur_block(s.span);
                let env = self.env.clone();
                self.loops.last_mut().unwrap().breaks.push((b, env));
                self.cur = None;
                Ok(())
            }
            StmtKind::Continue => {
                let Some(lp) = self.loops.last() else {
                    return Err(Diagnostic::new(s.span, "'continue' outside a loop"));
                };
                let (header, frames) = (lp.header, lp.frames);
                if !self.leave_frames(frames, s.span)? {
                    return Ok(());
                }
                let lp = self.loops.last().unwrap();
                let args = lp.carried.iter().map(|n| self.env[n]).collect();
                self.terminate(Exit::Goto(Target { block: header, args }), s.span);
                Ok(())
            }
            StmtKind::Return(value) => {
                let ret = self.g.ret;
                let exit = match (value, ret) {
                    (None, Ty::Void) => Exit::Return(None),
                    (None, _) => {
                        let msg = format!(
                            "'return' needs a value of type {}",
                            self.cx.program.types.display(ret)
                        );
                        return Err(Diagnostic::new(s.span, msg));
                    }
                    (Some(e), Ty::Void) => {
                        return Err(Diagnostic::new(e.span, "this function returns no value"));
                    }
                    (Some(e), _) => {
                        let v = self.expr_as(e, ret, "returned value")?;
                        Exit::Return(Some(v))
                    }
                };
                if !self.leave_frames(0, s.span)? {
                    return Ok(());
                }
                self.terminate(exit, s.span);
                Ok(())
            }
        }
    }

    /// A loop's header block, entered from the current block: the locals defined before the
    /// loop that its body assigns (`assigned`) are carried as the header's parameters, in
    /// declaration order. Leaves the header current; returns it and the carried names.
    pub(super) fn loop_header(&mut self, assigned: &[String], span: Span) -> (Block, Vec<String>) {
        let carried: Vec<String> = self
            .order
            .iter()
            .filter(|n| self.env.contains_key(*n) && assigned.contains(n))
            .cloned()
            .collect();
        let header = self.g.add_block(span);
        let args = carried.iter().map(|n| self.env[n]).collect();
        self.terminate(Exit::Goto(Target { block: header, args }), span);
        for n in &carried {
            let p = self.g.add_param(header, self.local_ty[n], Some(n.clone()));
            self.env.insert(n.clone(), Value::Var(p));
        }
        self.cur = Some(header);
        (header, carried)
    }

    fn while_loop(&mut self, cond: &Expr, body: &[Stmt], span: Span) -> LResult<()> {
        let mut assigned = Vec::new();
        assigned_names(body, &mut assigned);
        let (header, carried) = self.loop_header(&assigned, span);
        let header_env = self.env.clone();
        let body_b = self.g.add_block(span);
        let mut preds = Vec::new();
        if matches!(cond.kind, ExprKind::Bool(true)) {
            self.terminate(Exit::Goto(Target { block: body_b, args: vec![] }), span);
        } else {
            let exit_b = self.g.add_block(span);
            self.cond_branch(cond, body_b, exit_b)?;
            preds.push((exit_b, header_env.clone()));
        }
        let frames = self.exc.depth();
        self.loops.push(LoopCx { header, carried: carried.clone(), breaks: Vec::new(), frames });
        self.cur = Some(body_b);
        self.env = header_env;
        let result = self.block(body);
        let lp = self.loops.pop().unwrap();
        result?;
        if self.cur.is_some() {
            let args = carried.iter().map(|n| self.env[n]).collect();
            self.terminate(Exit::Goto(Target { block: header, args }), span);
        }
        preds.extend(lp.breaks);
        self.join(preds, span);
        Ok(())
    }

    fn assign(
        &mut self,
        target: &Expr,
        declared: Option<&crate::front::ast::TypeExpr>,
        value: &Expr,
        span: Span,
    ) -> LResult<()> {
        match &target.kind {
            ExprKind::Name(name) => {
                self.check_local_name(name, target.span)?;
                let known = self.local_ty.get(name).copied();
                let ty = match declared {
                    Some(texpr) => {
                        let t = self.cx.resolve_type(texpr)?;
                        if t == Ty::Void {
                            return Err(Diagnostic::new(
                                texpr.span(),
                                "a variable cannot have type void",
                            ));
                        }
                        if let Some(k) = known {
                            if k != t {
                                let msg = format!(
                                    "'{name}' is already declared as {}",
                                    self.cx.program.types.display(k)
                                );
                                return Err(Diagnostic::new(target.span, msg));
                            }
                        }
                        Some(t)
                    }
                    None => known,
                };
                let v = match ty {
                    Some(t) => self.expr_as(value, t, &format!("'{name}'"))?,
                    None => {
                        if matches!(value.kind, ExprKind::None) {
                            let msg = format!("cannot infer the type of '{name}' from None; declare it: {name}: T = None");
                            return Err(Diagnostic::new(value.span, msg));
                        }
                        let (v, t) = self.expr(value, None)?;
                        self.declare_local(name, t);
                        v
                    }
                };
                if let Some(t) = ty {
                    self.declare_local(name, t);
                }
                if let Value::Var(var) = v {
                    if self.g.vars[var].name.is_none() {
                        self.g.vars[var].name = Some(name.clone());
                    }
                }
                self.env.insert(name.clone(), v);
                Ok(())
            }
            _ if declared.is_some() => {
                Err(Diagnostic::new(span, "only a plain name can be declared with a type"))
            }
            ExprKind::Tuple(targets) => self.unpack(targets, value, span),
            ExprKind::Field(obj, field) => {
                let (p, st, idx, fty) = self.field_place(obj, field, target.span)?;
                self.check_field_writable(st, field, target.span)?;
                let v = self.expr_as(value, fty, &format!("field '{field}'"))?;
                self.emit(Opcode::SetField, vec![p, v], Aux::Field(st, idx), Ty::Void, target.span);
                self.quasi_write_hook(p, st, idx, target.span);
                Ok(())
            }
            ExprKind::Index(arr, index) => {
                let base = self.expr(arr, None)?;
                if let Some(inst) = self.container_of(base.1) {
                    return self.container_setitem(inst, base.0, index, value, target.span);
                }
                let (a, at, i, elem) = self.index_place_of(base, index, target.span)?;
                self.check_array_writable(at, target.span)?;
                let v = self.expr_as(value, elem, "array item")?;
                self.emit(
                    Opcode::SetArrayItem,
                    vec![a, i, v],
                    Aux::Array(at),
                    Ty::Void,
                    target.span,
                );
                Ok(())
            }
            _ => Err(Diagnostic::new(target.span, "cannot assign to this expression")),
        }
    }

    fn aug_assign(
        &mut self,
        target: &Expr,
        op: crate::front::ast::BinOp,
        value: &Expr,
        span: Span,
    ) -> LResult<()> {
        match &target.kind {
            ExprKind::Name(name) => {
                let (old, t) = self.expr(target, None)?;
                let (new, nt) = self.binary_values(op, (old, t), value, span)?;
                self.check_assignable(nt, t, value.span, &format!("'{name}'"))?;
                if let Value::Var(var) = new {
                    if self.g.vars[var].name.is_none() {
                        self.g.vars[var].name = Some(name.clone());
                    }
                }
                self.env.insert(name.clone(), new);
                Ok(())
            }
            ExprKind::Field(obj, field) => {
                let (p, st, idx, fty) = self.field_place(obj, field, target.span)?;
                self.check_field_writable(st, field, target.span)?;
                let old = self
                    .emit(Opcode::GetField, vec![p], Aux::Field(st, idx), fty, target.span)
                    .unwrap();
                let (new, nt) = self.binary_values(op, (Value::Var(old), fty), value, span)?;
                self.check_assignable(nt, fty, value.span, &format!("field '{field}'"))?;
                self.emit(
                    Opcode::SetField,
                    vec![p, new],
                    Aux::Field(st, idx),
                    Ty::Void,
                    target.span,
                );
                self.quasi_write_hook(p, st, idx, target.span);
                Ok(())
            }
            ExprKind::Index(arr, index) => {
                let base = self.expr(arr, None)?;
                if let Some(inst) = self.container_of(base.1) {
                    let parts = (&**index, op, value);
                    return self.container_aug_assign(inst, base.0, parts, target.span);
                }
                let (a, at, i, elem) = self.index_place_of(base, index, target.span)?;
                self.check_array_writable(at, target.span)?;
                let old = self
                    .emit(Opcode::GetArrayItem, vec![a, i], Aux::Array(at), elem, target.span)
                    .unwrap();
                let (new, nt) = self.binary_values(op, (Value::Var(old), elem), value, span)?;
                self.check_assignable(nt, elem, value.span, "array item")?;
                self.emit(
                    Opcode::SetArrayItem,
                    vec![a, i, new],
                    Aux::Array(at),
                    Ty::Void,
                    target.span,
                );
                Ok(())
            }
            _ => Err(Diagnostic::new(target.span, "cannot assign to this expression")),
        }
    }

    /// Assigns a lowered value to the local `name` (declaring it on first assignment).
    pub fn bind_name(&mut self, name: &str, (v, t): (Value, Ty), span: Span) -> LResult<()> {
        self.check_local_name(name, span)?;
        match self.local_ty.get(name).copied() {
            Some(k) => self.check_assignable(t, k, span, &format!("'{name}'"))?,
            None => self.declare_local(name, t),
        }
        if let Value::Var(var) = v {
            if self.g.vars[var].name.is_none() {
                self.g.vars[var].name = Some(name.to_string());
            }
        }
        self.env.insert(name.to_string(), v);
        Ok(())
    }

    fn check_field_writable(
        &self,
        st: crate::types::HeapTypeIdx,
        field: &str,
        span: Span,
    ) -> LResult<()> {
        let def = self.cx.program.types.struct_def(st);
        if def.immutable {
            let msg =
                format!("cannot assign to field '{field}' of immutable struct '{}'", def.name);
            return Err(Diagnostic::new(span, msg));
        }
        if let Some(pretty) = self.container_name(Ty::Ref(st)) {
            // The prelude's `@in_bounds` helpers rely on the fields' invariant.
            let msg = format!(
                "cannot assign to field '{field}' of {pretty}: a container's fields belong \
                 to its methods"
            );
            return Err(Diagnostic::new(span, msg));
        }
        Ok(())
    }

    fn check_array_writable(&self, at: crate::types::HeapTypeIdx, span: Span) -> LResult<()> {
        if let HeapType::Array(a) = self.cx.program.types.heap(at) {
            if a.immutable {
                let msg = format!(
                    "cannot assign into an item of {}: it is immutable",
                    self.cx.program.types.display(Ty::Ref(at))
                );
                return Err(Diagnostic::new(span, msg));
            }
        }
        Ok(())
    }
}

/// The local `x` of a statement `hint(x, ...)`.
fn hinted_local(e: &Expr) -> Option<&str> {
    let ExprKind::Call { callee, args, .. } = &e.kind else { return None };
    match (&callee.kind, args.first().map(|a| &a.kind)) {
        (ExprKind::Name(h), Some(ExprKind::Name(x))) if h == "hint" => Some(x),
        _ => None,
    }
}

/// The names a target binds: a name, or the names of a tuple target.
pub(super) fn target_names(target: &Expr, out: &mut Vec<String>) {
    match &target.kind {
        ExprKind::Name(n) if !out.contains(n) => out.push(n.clone()),
        ExprKind::Tuple(items) => items.iter().for_each(|t| target_names(t, out)),
        _ => {}
    }
}

/// Names assigned (as plain locals) anywhere in `stmts`, nested blocks included.
pub(super) fn assigned_names(stmts: &[Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Assign { target, .. } | StmtKind::AugAssign { target, .. } => {
                target_names(target, out);
            }
            StmtKind::For { target, body, orelse, .. } => {
                target_names(target, out);
                assigned_names(body, out);
                assigned_names(orelse, out);
            }
            StmtKind::If { then, orelse, .. } => {
                assigned_names(then, out);
                assigned_names(orelse, out);
            }
            StmtKind::While { body, .. } => assigned_names(body, out),
            StmtKind::Try(t) => {
                assigned_names(&t.body, out);
                for h in &t.handlers {
                    if let Some((n, _)) = &h.name {
                        if !out.contains(n) {
                            out.push(n.clone());
                        }
                    }
                    assigned_names(&h.body, out);
                }
                assigned_names(&t.orelse, out);
                assigned_names(t.finally.as_deref().unwrap_or_default(), out);
            }
            _ => {}
        }
    }
}
