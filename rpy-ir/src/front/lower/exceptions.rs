//! Exceptions, lowered away by the front end (PyPy's exception transform): the IR has no
//! exceptions, only the ops below.
//!
//! Vocabulary and invariants:
//! - **Prelude.** A module that mentions exceptions (a `try` or `raise`, `ovfcheck`, or one of
//!   the built-in class names) gets the built-in structs [`BUILTIN_CLASSES`] — the root
//!   `Exception` with field `message: str`, and its direct subclasses — and one prebuilt
//!   **exception state** object of struct `ExceptionState` whose one field `current` holds the
//!   pending exception (null: none); `Program::exc_state` names it. A module that never
//!   mentions exceptions gets none of this, so its IR is what it was before exceptions existed.
//!   User classes derive from `Exception` (`struct MyError(ValueError):`, more fields allowed);
//!   only such structs are raised and caught.
//! - **Raising** inside a `try` of the same function is a jump: the exception is a block
//!   argument (the pseudo-local [`EXC`]) of the try's *landing* block, nothing is stored.
//!   Outside any `try`, `raise` stores the exception into the state and returns a dummy value
//!   of the function's result type (a *propagation exit*).
//! - **After a call** that can raise, the caller reads the state: `getfield`, `ptr_nonzero`, a
//!   branch (a *check site*). On the exception path, inside a `try`, the state is cleared and
//!   control goes to the landing block; outside, the function returns a dummy (the state stays
//!   set: the exception propagates). Externs never raise. A call through a function pointer
//!   counts as can-raise (signatures do not say whether a function raises).
//! - **Which graphs can raise** is the least fixpoint, over the call graph, of "a propagation
//!   exit is reachable from the entry when the check sites after calls of graphs that cannot
//!   raise are taken as never raising" ([`finish`]); the check sites of such calls are then
//!   removed and their blocks merged back, so code that never raises carries no checks.
//! - **Invariant:** no exception is pending when a function is entered, nor when a call
//!   returns normally; a host that calls a graph reads and clears the state after it
//!   ([`crate::runtime::uncaught`]).
//! - **Handlers** test the landing's exception with `instanceof`, clause by clause; `as e`
//!   binds a `cast` to the clause's class (or the nearest common ancestor of a tuple's). No
//!   clause matching re-raises. `finally` bodies are lowered once per way out: normal exit,
//!   exception (then re-raised), and each `return`/`break`/`continue` leaving the `try`.
//! - A `raise` of anything but a fresh construction (`raise E(...)`) is preceded by a
//!   `typeof`, so raising a null exception fails at once (null dereference).
//! - `ovfcheck(a OP b)` is the overflow op (`int_add_ovf`...) and a branch to a raise of
//!   `OverflowError("integer overflow")`, then the ordinary wrapping op.

use super::func::{Env, FnCx};
use super::{Global, LResult, ModuleCx};
use crate::front::ast::{BinOp, Expr, ExprKind, Item, Module, Stmt, StmtKind, TryStmt, UnOp};
use crate::ir::{Aux, Block, Const, Exit, GraphIdx, Prebuilt, PrebuiltIdx, Target, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{Field, HeapTypeIdx, Ty, TypeTable};
use std::collections::HashMap;

/// The root exception class and its built-in direct subclasses.
pub const BUILTIN_CLASSES: &[&str] = &[
    "Exception",
    "ValueError",
    "IndexError",
    "KeyError",
    "OverflowError",
    "ZeroDivisionError",
    "TypeError",
    "RuntimeError",
    "StopIteration",
    "AssertionError",
];

/// The pseudo-local carrying the exception into a landing block (not a valid RPy name).
const EXC: &str = "$exc";

/// The prelude's types and the exception state of a module that uses exceptions.
#[derive(Clone, Copy, Debug)]
pub(super) struct ExcTypes {
    /// `Exception`.
    root: HeapTypeIdx,
    /// `OverflowError` (raised by `ovfcheck`).
    overflow: HeapTypeIdx,
    /// `ExceptionState`, the type of the state object.
    state_ty: HeapTypeIdx,
    /// The state object.
    state: PrebuiltIdx,
}

/// What [`finish`] needs of one lowered graph (block numbers before clean-up).
#[derive(Clone, Debug, Default)]
pub(super) struct ExcPaths {
    /// Check sites: the block ending in the branch, and the graph called (`None`: indirect).
    sites: Vec<(Block, Option<GraphIdx>)>,
    /// Blocks returning with an exception pending.
    exits: Vec<Block>,
}

/// An enclosing `try` of the code being lowered.
#[derive(Clone, Debug)]
struct Frame {
    /// `Some(body)` for the frame of a `finally`, `None` for the frame of the handlers.
    finally: Option<Vec<Stmt>>,
    /// Blocks jumping to the landing, with their environments (holding [`EXC`]).
    landing: Vec<(Block, Env)>,
}

/// The exception state of one function's lowering.
#[derive(Clone, Debug, Default)]
pub(super) struct ExcFn {
    frames: Vec<Frame>,
    /// The exceptions of the enclosing handlers (innermost last), for a bare `raise`.
    handling: Vec<Value>,
    /// Check sites and propagation exits, for [`finish`].
    pub paths: ExcPaths,
}

impl ExcFn {
    /// How many `try` frames enclose the current point.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }
}

/// Declares the prelude if `module` mentions exceptions (see the module documentation).
pub(super) fn declare_prelude(cx: &mut ModuleCx, module: &Module) {
    if !module.items.iter().any(item_uses_exceptions) {
        return;
    }
    let types = &mut cx.program.types;
    let mut ids = Vec::new();
    for name in BUILTIN_CLASSES {
        let Some(id) = types.declare_struct(name, false) else { return };
        ids.push(id);
    }
    let str_field = Field { name: "message".to_string(), ty: Ty::Ref(TypeTable::STR) };
    types.set_fields(ids[0], None, vec![str_field]);
    for &id in &ids[1..] {
        types.set_fields(id, Some(ids[0]), Vec::new());
    }
    let Some(state_ty) = types.declare_struct("ExceptionState", false) else { return };
    let current = Field { name: "current".to_string(), ty: Ty::Ref(ids[0]) };
    types.set_fields(state_ty, None, vec![current]);
    let state = cx.program.prebuilt.push(Prebuilt::Struct(state_ty, vec![Const::Null(ids[0])]));
    cx.program.prebuilt_names.insert(state, "exception_state".to_string());
    cx.program.exc_state = Some(state);
    for (name, &id) in BUILTIN_CLASSES.iter().zip(&ids) {
        cx.globals.insert(name.to_string(), Global::Struct(id));
    }
    cx.exc = Some(ExcTypes { root: ids[0], overflow: ids[4], state_ty, state });
}

fn item_uses_exceptions(item: &Item) -> bool {
    match item {
        Item::Struct(s) => {
            s.parent.as_ref().is_some_and(|(p, _)| BUILTIN_CLASSES.contains(&&**p))
                || s.fields.iter().any(|f| type_mentions(&f.1))
                || s.methods.iter().any(func_uses_exceptions)
        }
        Item::Func(f) => func_uses_exceptions(f),
        Item::Const(c) => {
            expr_uses_exceptions(&c.value) || c.ty.as_ref().is_some_and(type_mentions)
        }
    }
}

fn func_uses_exceptions(f: &crate::front::ast::FuncDecl) -> bool {
    let types = f.params.iter().map(|p| &p.1).chain(&f.ret);
    types.into_iter().any(type_mentions) || stmts_use_exceptions(&f.body)
}

fn type_mentions(t: &crate::front::ast::TypeExpr) -> bool {
    use crate::front::ast::TypeExpr;
    match t {
        TypeExpr::Name(n, _) => BUILTIN_CLASSES.contains(&n.as_str()),
        // Containers raise IndexError and KeyError.
        TypeExpr::Generic { .. } => true,
        TypeExpr::Array { elem, .. } => type_mentions(elem),
        TypeExpr::Tuple { elems, .. } => elems.iter().any(type_mentions),
        TypeExpr::Func { params, ret, .. } => {
            params.iter().any(type_mentions) || ret.as_deref().is_some_and(type_mentions)
        }
    }
}

fn stmts_use_exceptions(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Raise(_) | StmtKind::Try(_) => true,
        StmtKind::Expr(e) | StmtKind::Return(Some(e)) => expr_uses_exceptions(e),
        StmtKind::Assign { target, ty, value } => {
            expr_uses_exceptions(target)
                || expr_uses_exceptions(value)
                || ty.as_ref().is_some_and(type_mentions)
        }
        StmtKind::AugAssign { target, value, .. } => {
            expr_uses_exceptions(target) || expr_uses_exceptions(value)
        }
        StmtKind::If { cond, then, orelse } => {
            expr_uses_exceptions(cond) || stmts_use_exceptions(then) || stmts_use_exceptions(orelse)
        }
        StmtKind::While { cond, body } => expr_uses_exceptions(cond) || stmts_use_exceptions(body),
        StmtKind::For { target, iter, body, orelse } => {
            expr_uses_exceptions(target)
                || expr_uses_exceptions(iter)
                || stmts_use_exceptions(body)
                || stmts_use_exceptions(orelse)
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Return(None) | StmtKind::Pass => false,
    })
}

fn expr_uses_exceptions(e: &Expr) -> bool {
    let any = |es: &[Expr]| es.iter().any(expr_uses_exceptions);
    match &e.kind {
        ExprKind::Name(n) => n == "ovfcheck" || BUILTIN_CLASSES.contains(&n.as_str()),
        ExprKind::Binary(_, a, b) => expr_uses_exceptions(a) || expr_uses_exceptions(b),
        ExprKind::Unary(_, a) | ExprKind::Field(a, _) => expr_uses_exceptions(a),
        ExprKind::Call { callee, args, kwargs } => {
            expr_uses_exceptions(callee)
                || any(args)
                || kwargs.iter().any(|(_, e, _)| expr_uses_exceptions(e))
        }
        ExprKind::Index(a, b) => expr_uses_exceptions(a) || expr_uses_exceptions(b),
        ExprKind::Slice { base, start, stop, step, .. } => {
            expr_uses_exceptions(base)
                || [start, stop, step].into_iter().flatten().any(|e| expr_uses_exceptions(e))
        }
        ExprKind::IsA(a, t) | ExprKind::As(a, t) => expr_uses_exceptions(a) || type_mentions(t),
        ExprKind::ArrayType(t) => type_mentions(t),
        ExprKind::DictLit(pairs) => {
            pairs.iter().any(|(k, v)| expr_uses_exceptions(k) || expr_uses_exceptions(v))
        }
        ExprKind::ArrayLit(items) | ExprKind::Tuple(items) => any(items),
        ExprKind::Compare { first, rest } => {
            expr_uses_exceptions(first) || rest.iter().any(|(_, _, e)| expr_uses_exceptions(e))
        }
        ExprKind::IfElse { cond, then, orelse } => {
            expr_uses_exceptions(cond) || expr_uses_exceptions(then) || expr_uses_exceptions(orelse)
        }
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Bool(_)
        | ExprKind::Char(_)
        | ExprKind::Str(_)
        | ExprKind::None => false,
    }
}

/// After every function is lowered: which graphs can raise (a fixpoint), then removal of the
/// check sites after calls of graphs that cannot, then each graph's clean-up.
pub(super) fn finish(cx: &mut ModuleCx) {
    let paths = std::mem::take(&mut cx.exc_graphs);
    let mut raises: HashMap<GraphIdx, bool> = paths.keys().map(|g| (*g, false)).collect();
    let callee_raises = |raises: &HashMap<GraphIdx, bool>, c: Option<GraphIdx>| {
        c.is_none_or(|g| raises.get(&g).copied().unwrap_or(false))
    };
    // A worklist over the call graph: a graph is looked at again only when one it calls
    // starts to raise (each graph at most once per callee).
    let mut callers: HashMap<GraphIdx, Vec<GraphIdx>> = HashMap::new();
    for (g, p) in &paths {
        for c in p.sites.iter().filter_map(|(_, c)| *c) {
            callers.entry(c).or_default().push(*g);
        }
    }
    let mut work: Vec<GraphIdx> = paths.keys().copied().collect();
    while let Some(g) = work.pop() {
        let p = &paths[&g];
        if raises[&g] {
            continue;
        }
        let graph = &cx.program.graphs[g];
        let mut quiet = cranelift_entity::EntitySet::<Block>::new();
        for (b, c) in &p.sites {
            if !callee_raises(&raises, *c) {
                quiet.insert(*b);
            }
        }
        let mut exits = cranelift_entity::EntitySet::<Block>::new();
        p.exits.iter().for_each(|b| {
            exits.insert(*b);
        });
        let mut seen = cranelift_entity::EntitySet::<Block>::new();
        let mut stack = vec![graph.entry];
        let mut found = false;
        while let Some(b) = stack.pop() {
            if !seen.insert(b) {
                continue;
            }
            if exits.contains(b) {
                found = true;
                break;
            }
            match &graph.blocks[b].exit {
                Exit::Branch { if_false, .. } if quiet.contains(b) => stack.push(if_false.block),
                exit => stack.extend(exit.targets().iter().map(|t| t.block)),
            }
        }
        if found {
            raises.insert(g, true);
            work.extend(callers.get(&g).into_iter().flatten().copied());
        }
    }
    for (g, p) in &paths {
        let graph = &mut cx.program.graphs[*g];
        for (b, callee) in p.sites.iter().rev() {
            if callee_raises(&raises, *callee) {
                continue;
            }
            // Drop `getfield` + `ptr_nonzero` and the branch; the continuation has this block
            // as its only predecessor (it was made for the check), so it merges into it.
            let Exit::Branch { if_false, .. } = graph.blocks[*b].exit.clone() else {
                unreachable!("a check site ends in its branch")
            };
            let ops = &mut graph.blocks[*b].ops;
            ops.truncate(ops.len() - 2);
            let cont = if_false.block;
            let moved = std::mem::take(&mut graph.blocks[cont].ops);
            let exit = std::mem::replace(&mut graph.blocks[cont].exit, Exit::Return(None));
            graph.blocks[*b].ops.extend(moved);
            graph.blocks[*b].exit = exit;
        }
    }
    for g in paths.keys() {
        let graph = &mut cx.program.graphs[*g];
        graph.thread_jumps();
        graph.remove_unreachable_blocks();
    }
}

impl FnCx<'_> {
    fn exc_types(&self, span: Span) -> LResult<ExcTypes> {
        self.cx.exc.ok_or_else(|| Diagnostic::new(span, "exceptions are not declared"))
    }

    /// Whether struct `t` descends from `Exception`.
    fn is_exception(&self, t: HeapTypeIdx) -> bool {
        self.cx.exc.is_some_and(|x| self.cx.program.types.is_subtype(t, x.root))
    }

    /// The exception class named `name` at `span`, or an error.
    fn exception_class(&self, name: &str, span: Span) -> LResult<HeapTypeIdx> {
        match self.cx.globals.get(name) {
            Some(Global::Struct(t)) if self.is_exception(*t) => Ok(*t),
            Some(Global::Struct(_)) => Err(Diagnostic::new(
                span,
                format!("'{name}' is not an exception class: it does not derive from Exception"),
            )),
            _ => Err(Diagnostic::new(span, format!("unknown exception class '{name}'"))),
        }
    }

    /// `raise e` or a bare `raise`.
    pub fn raise_stmt(&mut self, e: Option<&Expr>, span: Span) -> LResult<()> {
        let Some(e) = e else {
            let Some(&v) = self.exc.handling.last() else {
                return Err(Diagnostic::new(span, "bare 'raise' outside an 'except' handler"));
            };
            return self.raise_value(v, span);
        };
        if let ExprKind::Name(n) = &e.kind {
            if let Some(Global::Struct(_)) = self.cx.globals.get(n) {
                let msg = format!("raise an instance of the class: raise {n}(message=\"...\")");
                return Err(Diagnostic::new(e.span, msg));
            }
        }
        let (v, t) = self.expr(e, None)?;
        let is_exc = matches!(t, Ty::Ref(s) if self.is_exception(s));
        if !is_exc {
            let msg = format!(
                "can only raise an exception (a struct deriving from Exception), found {}",
                self.cx.program.types.display(t)
            );
            return Err(Diagnostic::new(e.span, msg));
        }
        let fresh = matches!(&e.kind, ExprKind::Call { callee, .. }
            if matches!(&callee.kind, ExprKind::Name(n)
                if matches!(self.cx.globals.get(n), Some(Global::Struct(_)))));
        if !fresh {
            // Raising null fails here, as a null dereference.
            self.emit(Opcode::TypeOf, vec![v], Aux::None, Ty::Int, span);
        }
        self.raise_value(v, span)
    }

    /// Raises the exception `v` (non-null): a jump to the innermost landing, or a
    /// propagation exit.
    fn raise_value(&mut self, v: Value, span: Span) -> LResult<()> {
        let x = self.exc_types(span)?;
        if self.exc.frames.is_empty() {
            let state = Const::Prebuilt(x.state).into();
            self.emit(Opcode::SetField, vec![state, v], Aux::Field(x.state_ty, 0), Ty::Void, span);
            return self.propagate(span);
        }
        self.declare_exc_local(x.root);
        self.env.insert(EXC.to_string(), v);
        let b = self.cur_block(span);
        let env = self.env.clone();
        self.env.remove(EXC);
        self.exc.frames.last_mut().unwrap().landing.push((b, env));
        self.cur = None;
        Ok(())
    }

    fn declare_exc_local(&mut self, root: HeapTypeIdx) {
        if self.local_ty.insert(EXC.to_string(), Ty::Ref(root)).is_none() {
            self.order.push(EXC.to_string());
        }
    }

    /// Returns a dummy of the result type, leaving the pending exception to the caller.
    fn propagate(&mut self, span: Span) -> LResult<()> {
        let value = match self.g.ret {
            Ty::Void => None,
            Ty::Int => Some(Const::Int(0)),
            Ty::Float => Some(Const::float(0.0)),
            Ty::Bool => Some(Const::Bool(false)),
            Ty::Char => Some(Const::Char('\0')),
            Ty::Ref(t) => Some(Const::Null(t)),
            Ty::Func(sig) => {
                let program = &self.cx.program;
                let same = program.graphs.keys().find(|g| program.graph_sig(*g) == sig);
                let Some(g) = same else {
                    let msg = format!(
                        "an exception cannot leave '{}': it returns a function pointer and no \
                         function of that type exists to return in its place",
                        self.g.name
                    );
                    return Err(Diagnostic::new(span, msg));
                };
                Some(Const::Func(g))
            }
        };
        let b = self.cur_block(span);
        self.exc.paths.exits.push(b);
        self.terminate(Exit::Return(value.map(Value::Const)), span);
        Ok(())
    }

    /// After a call (of graph `callee`, or indirect): the check site, if exceptions exist.
    pub fn check_after_call(&mut self, callee: Option<GraphIdx>, span: Span) -> LResult<()> {
        let Some(x) = self.cx.exc else { return Ok(()) };
        let state: Value = Const::Prebuilt(x.state).into();
        let e = self
            .emit(Opcode::GetField, vec![state], Aux::Field(x.state_ty, 0), Ty::Ref(x.root), span)
            .unwrap();
        let pending = self.emit(Opcode::PtrNonNull, vec![e.into()], Aux::None, Ty::Bool, span);
        let (landing, cont) = (self.g.add_block(span), self.g.add_block(span));
        let site = self.cur_block(span);
        let exit = Exit::Branch {
            cond: pending.unwrap().into(),
            if_true: Target { block: landing, args: vec![] },
            if_false: Target { block: cont, args: vec![] },
        };
        self.terminate(exit, span);
        self.exc.paths.sites.push((site, callee));
        let env = self.env.clone();
        self.cur = Some(landing);
        if self.exc.frames.is_empty() {
            self.propagate(span)?;
        } else {
            let null = Const::Null(x.root).into();
            self.emit(
                Opcode::SetField,
                vec![state, null],
                Aux::Field(x.state_ty, 0),
                Ty::Void,
                span,
            );
            self.raise_value(e.into(), span)?;
        }
        self.env = env;
        self.cur = Some(cont);
        Ok(())
    }

    /// Runs the `finally` bodies of the frames above `depth`, innermost first, as a
    /// `return`, `break` or `continue` leaves them; false if one of them does not finish
    /// (it returned or raised), so the jump is not made.
    pub fn leave_frames(&mut self, depth: usize, span: Span) -> LResult<bool> {
        let mut i = self.exc.frames.len();
        while i > depth {
            i -= 1;
            if let Some(body) = self.exc.frames[i].finally.clone() {
                let above = self.exc.frames.split_off(i);
                let r = self.block(&body);
                self.exc.frames.extend(above);
                r?;
                if self.cur.is_none() {
                    return Ok(false);
                }
            }
        }
        let _ = span;
        Ok(true)
    }

    /// A `try` statement (see the module documentation).
    pub fn try_stmt(&mut self, t: &TryStmt, span: Span) -> LResult<()> {
        let x = self.exc_types(span)?;
        if let Some(body) = &t.finally {
            self.exc.frames.push(Frame { finally: Some(body.clone()), landing: Vec::new() });
        }
        let mut normal = Vec::new();
        if t.handlers.is_empty() {
            self.block(&t.body)?;
        } else {
            self.exc.frames.push(Frame { finally: None, landing: Vec::new() });
            let r = self.block(&t.body);
            let frame = self.exc.frames.pop().unwrap();
            r?;
            if self.cur.is_some() {
                self.block(&t.orelse)?;
                if let Some(b) = self.cur {
                    normal.push((b, self.env.clone()));
                }
            }
            self.handlers(t, frame.landing, x, &mut normal, span)?;
            self.join(normal, span);
        }
        let Some(body) = &t.finally else { return Ok(()) };
        let frame = self.exc.frames.pop().unwrap();
        if self.cur.is_some() {
            self.block(body)?;
        }
        let after = (self.cur, std::mem::take(&mut self.env));
        if !frame.landing.is_empty() {
            self.join(frame.landing, span);
            let exc = self.env.remove(EXC).expect("a landing carries the exception");
            self.block(body)?;
            if self.cur.is_some() {
                self.raise_value(exc, span)?;
            }
        }
        (self.cur, self.env) = after;
        Ok(())
    }

    /// The handlers of `t`, entered from `landing`; normal exits are added to `normal`.
    fn handlers(
        &mut self,
        t: &TryStmt,
        landing: Vec<(Block, Env)>,
        x: ExcTypes,
        normal: &mut Vec<(Block, Env)>,
        span: Span,
    ) -> LResult<()> {
        // Check the clauses' classes even when nothing can reach them.
        let mut classes: Vec<Vec<HeapTypeIdx>> = Vec::new();
        for h in &t.handlers {
            let mut cs = Vec::new();
            for (name, cspan) in &h.classes {
                let c = self.exception_class(name, *cspan)?;
                self.check_reachable(c, name, &classes, *cspan)?;
                cs.push(c);
            }
            classes.push(cs);
        }
        // Nothing raises in the body: the handlers are still type-checked, in blocks nothing
        // reaches (removed at the end), and their exits join nothing.
        let dead = landing.is_empty();
        let saved = (self.cur, self.env.clone());
        let exc = if dead {
            self.cur = None;
            Value::Const(Const::Null(x.root))
        } else {
            self.join(landing, span);
            self.env.remove(EXC).expect("a landing carries the exception")
        };
        let env = self.env.clone();
        let mut exits = Vec::new();
        for (h, cs) in t.handlers.iter().zip(&classes) {
            let body_b = self.g.add_block(h.span);
            let next_b = self.g.add_block(h.span);
            if cs.is_empty() {
                self.terminate(Exit::Goto(Target { block: body_b, args: vec![] }), h.span);
            } else {
                for (i, &c) in cs.iter().enumerate() {
                    let is =
                        self.emit(Opcode::InstanceOf, vec![exc], Aux::Type(c), Ty::Bool, h.span);
                    let other = if i + 1 == cs.len() { next_b } else { self.g.add_block(h.span) };
                    let exit = Exit::Branch {
                        cond: is.unwrap().into(),
                        if_true: Target { block: body_b, args: vec![] },
                        if_false: Target { block: other, args: vec![] },
                    };
                    self.terminate(exit, h.span);
                    self.cur = Some(other);
                }
            }
            self.cur = Some(body_b);
            self.env = env.clone();
            if let Some((name, nspan)) = &h.name {
                let class = self.common_ancestor(cs, x.root);
                let bound = if class == x.root {
                    exc
                } else {
                    let ty = Ty::Ref(class);
                    self.emit(Opcode::Cast, vec![exc], Aux::Type(class), ty, h.span).unwrap().into()
                };
                self.bind_local(name, bound, Ty::Ref(class), *nspan)?;
            }
            self.exc.handling.push(exc);
            let r = self.block(&h.body);
            self.exc.handling.pop();
            r?;
            if let Some(b) = self.cur {
                exits.push((b, self.env.clone()));
            }
            self.cur = Some(next_b);
            self.env = env.clone();
            if cs.is_empty() {
                self.cur = None;
                break;
            }
        }
        if self.cur.is_some() && !dead {
            self.raise_value(exc, span)?;
        }
        if dead {
            (self.cur, self.env) = saved;
        } else {
            normal.extend(exits);
        }
        Ok(())
    }

    /// An error if an earlier handler (its classes in `earlier`) catches every `c`.
    fn check_reachable(
        &self,
        c: HeapTypeIdx,
        name: &str,
        earlier: &[Vec<HeapTypeIdx>],
        span: Span,
    ) -> LResult<()> {
        let types = &self.cx.program.types;
        let Some(&d) = earlier.iter().flatten().find(|&&d| types.is_subtype(c, d)) else {
            return Ok(());
        };
        let msg = format!(
            "this handler is unreachable: '{name}' is caught by the handler for '{}' above",
            types.struct_def(d).name
        );
        Err(Diagnostic::new(span, msg))
    }

    /// The nearest class every one of `classes` derives from (`root` for none).
    fn common_ancestor(&self, classes: &[HeapTypeIdx], root: HeapTypeIdx) -> HeapTypeIdx {
        let types = &self.cx.program.types;
        let Some((&first, rest)) = classes.split_first() else { return root };
        let mut cand = Some(first);
        while let Some(c) = cand {
            if rest.iter().all(|&r| types.is_subtype(r, c)) {
                return c;
            }
            cand = types.struct_def(c).parent;
        }
        root
    }

    /// Binds the local `name` (of an `except ... as name`) to `v` of type `ty`.
    fn bind_local(&mut self, name: &str, v: Value, ty: Ty, span: Span) -> LResult<()> {
        if self.cx.globals.contains_key(name) || super::BUILTINS.contains(&name) {
            let msg = format!("cannot use '{name}' as a local variable: it is a global name");
            return Err(Diagnostic::new(span, msg));
        }
        match self.local_ty.get(name) {
            Some(&known) if known != ty => {
                let msg = format!(
                    "'{name}' is already declared as {}, the handler binds {}",
                    self.cx.program.types.display(known),
                    self.cx.program.types.display(ty)
                );
                return Err(Diagnostic::new(span, msg));
            }
            Some(_) => {}
            None => {
                self.local_ty.insert(name.to_string(), ty);
                self.order.push(name.to_string());
            }
        }
        self.env.insert(name.to_string(), v);
        Ok(())
    }

    /// `ovfcheck(a OP b)`: the value, or `OverflowError` raised.
    pub fn ovfcheck(&mut self, e: &Expr, span: Span) -> LResult<(Option<Value>, Ty)> {
        let x = self.exc_types(span)?;
        let (check, op, args) = match &e.kind {
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Shl), a, b) => {
                let (check, wrap) = match op {
                    BinOp::Add => (Opcode::IntAddOvf, Opcode::IntAdd),
                    BinOp::Sub => (Opcode::IntSubOvf, Opcode::IntSub),
                    BinOp::Mul => (Opcode::IntMulOvf, Opcode::IntMul),
                    _ => (Opcode::IntLshiftOvf, Opcode::IntLshift),
                };
                let a = self.int_operand(a)?;
                let b = self.int_operand(b)?;
                (check, wrap, vec![a, b])
            }
            ExprKind::Unary(UnOp::Neg, a) => {
                (Opcode::IntNegOvf, Opcode::IntNeg, vec![self.int_operand(a)?])
            }
            _ => {
                let msg = "'ovfcheck' takes an int '+', '-', '*' or '<<', or a unary '-'";
                return Err(Diagnostic::new(e.span, msg));
            }
        };
        let ovf = self.emit(check, args.clone(), Aux::None, Ty::Bool, e.span).unwrap();
        let (raise_b, cont) = (self.g.add_block(span), self.g.add_block(span));
        let exit = Exit::Branch {
            cond: ovf.into(),
            if_true: Target { block: raise_b, args: vec![] },
            if_false: Target { block: cont, args: vec![] },
        };
        self.terminate(exit, span);
        let env = self.env.clone();
        self.cur = Some(raise_b);
        let err = self.new_exception(x.overflow, "integer overflow", span);
        self.raise_value(err, span)?;
        self.env = env;
        self.cur = Some(cont);
        let r = self.emit(op, args, Aux::None, Ty::Int, e.span).unwrap();
        Ok((Some(r.into()), Ty::Int))
    }

    fn int_operand(&mut self, e: &Expr) -> LResult<Value> {
        let (v, t) = self.expr(e, Some(Ty::Int))?;
        if t != Ty::Int {
            let msg = format!(
                "'ovfcheck' works on int operands, found {}",
                self.cx.program.types.display(t)
            );
            return Err(Diagnostic::new(e.span, msg));
        }
        Ok(v)
    }

    /// A fresh exception of class `class` with `message`.
    fn new_exception(&mut self, class: HeapTypeIdx, message: &str, span: Span) -> Value {
        let p = self.emit(Opcode::Malloc, vec![], Aux::Type(class), Ty::Ref(class), span).unwrap();
        let text = Const::Prebuilt(self.cx.program.intern_str(message)).into();
        self.emit(Opcode::SetField, vec![p.into(), text], Aux::Field(class, 0), Ty::Void, span);
        p.into()
    }
}
