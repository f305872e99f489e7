//! `for` loops: `for x in range(...)`, over a `str`, over an array; `break`, `continue` and
//! `else` as in Python.
//!
//! Every loop is a counter: a hidden local (named `for#N`, a name no RPy local can have)
//! carried by the loop header like any local the body assigns. The header tests it, the top
//! of the body reads the item and advances the counter *before* the user's code, so
//! `continue` is a plain jump to the header and the counter is never out of step. What the
//! loop walks is a [`Walk`]:
//! - `range(stop)`, `range(start, stop)`, `range(start, stop, step)`: the counter is the
//!   item; `counter < stop` for a positive step, `counter > stop` for a negative one. A
//!   constant step (a literal or a module constant) picks the test at translation time, and a
//!   zero one is a located error; any other step picks it at run time from its sign, and a
//!   zero step stops the run when the loop starts (an `int_floordiv` by the step: the run
//!   fails with "integer division by zero" at the step argument). `start`, `stop` and `step`
//!   are evaluated once, before the loop, as Python does. The counter wraps like every `int`,
//!   so a range that ends within one step of the int limits does not stop.
//! - a sequence read by index ([`Sequence`]): the counter runs from 0 while it is below the
//!   sequence's length, and the item is read at the counter. This is the iteration protocol:
//!   a container plugs in by adding a [`SeqKind`] with its length and item reads (arrays and
//!   `str` read their length once, as they cannot grow; a growable list reads it each time
//!   round, as Python's list iterator does).
//!
//! The loop variable is bound from the item each time round: a name, or a tuple of names
//! (the items must then be tuples). After the loop it keeps its last value; it is unbound
//! after a loop that never ran (so using it then is the "may be used before it is assigned"
//! error). The `else` block runs when the loop ends by its test, not by `break`.

use super::func::{assigned_names, target_names, FnCx, LoopCx};
use super::{Global, LResult};
use crate::front::ast::{Expr, ExprKind, Stmt};
use crate::ir::{Aux, Block, Const, Exit, Target, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapTypeIdx, Ty};

/// What a `for` loop walks, its parts evaluated before the loop.
enum Walk {
    /// `range(start, stop, step)`: the counter is the item.
    Range { stop: Value, step: Value, direction: Direction },
    /// Items read by index.
    Indexed(Sequence),
}

/// Which way a range counts.
#[derive(Clone, Copy)]
enum Direction {
    Up,
    Down,
    /// Known at run time: the value is `step > 0`.
    BySign(Value),
}

/// A sequence walked by index from 0.
struct Sequence {
    seq: Value,
    kind: SeqKind,
    /// The length read before the loop, for sequences that cannot grow.
    fixed_len: Option<Value>,
}

/// The containers a `for` loop walks by index, and how to read each one's length and items.
#[derive(Clone, Copy)]
enum SeqKind {
    /// An array or a `str` (`arraylen`, `getarrayitem`): fixed length.
    Array(HeapTypeIdx, Ty),
}

impl SeqKind {
    /// The type of the items.
    fn item_ty(self) -> Ty {
        match self {
            SeqKind::Array(_, elem) => elem,
        }
    }

    /// Whether the length cannot change while the loop runs (then it is read once).
    fn fixed_length(self) -> bool {
        match self {
            SeqKind::Array(..) => true,
        }
    }

    /// Emits the read of the length of `seq`.
    fn length(self, fx: &mut FnCx, seq: Value, span: Span) -> Value {
        match self {
            SeqKind::Array(..) => {
                fx.emit(Opcode::ArrayLen, vec![seq], Aux::None, Ty::Int, span).unwrap().into()
            }
        }
    }

    /// Emits the read of the item of `seq` at `index` (known to be in bounds).
    fn item(self, fx: &mut FnCx, seq: Value, index: Value, span: Span) -> Value {
        match self {
            SeqKind::Array(at, elem) => fx
                .emit(Opcode::GetArrayItem, vec![seq, index], Aux::Array(at), elem, span)
                .unwrap()
                .into(),
        }
    }
}

impl FnCx<'_> {
    /// `for target in iter: body else: orelse`.
    pub fn for_loop(
        &mut self,
        target: &Expr,
        iter: &Expr,
        (body, orelse): (&[Stmt], &[Stmt]),
        span: Span,
    ) -> LResult<()> {
        let (walk, start) = self.walk(iter)?;
        let counter = format!("for#{}", self.g.blocks.len());
        self.declare_local(&counter, Ty::Int);
        self.env.insert(counter.clone(), start);

        let mut assigned = vec![counter.clone()];
        target_names(target, &mut assigned);
        assigned_names(body, &mut assigned);
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
        let header_env = self.env.clone();
        let body_b = self.g.add_block(span);
        let exit_b = self.g.add_block(span);
        let k = self.env[&counter];
        self.loop_test(&walk, k, (body_b, exit_b), iter.span);

        self.cur = Some(body_b);
        let (item, item_ty, next) = self.next_item(&walk, k, iter.span);
        self.env.insert(counter.clone(), next);
        match &target.kind {
            ExprKind::Tuple(names) => {
                self.unpack_value(names, (item, item_ty), iter.span, target.span)?
            }
            _ => self.bind_target(target, (item, item_ty))?,
        }
        let frames = self.exc.depth();
        self.loops.push(LoopCx { header, carried: carried.clone(), breaks: Vec::new(), frames });
        let result = self.block(body);
        let lp = self.loops.pop().expect("pushed above");
        result?;
        if self.cur.is_some() {
            let args = carried.iter().map(|n| self.env[n]).collect();
            self.terminate(Exit::Goto(Target { block: header, args }), span);
        }

        self.cur = Some(exit_b);
        self.env = header_env;
        self.block(orelse)?;
        let mut preds = Vec::new();
        if let Some(b) = self.cur {
            preds.push((b, self.env.clone()));
        }
        preds.extend(lp.breaks);
        // The counter is dead after the loop: no join parameter for it.
        preds.iter_mut().for_each(|(_, env)| {
            env.remove(&counter);
        });
        self.join(preds, span);
        Ok(())
    }

    /// What `iter` walks and the counter's first value; the parts are evaluated here, before
    /// the loop.
    fn walk(&mut self, iter: &Expr) -> LResult<(Walk, Value)> {
        if let ExprKind::Call { callee, args, kwargs } = &iter.kind {
            if let ExprKind::Name(n) = &callee.kind {
                if n == "range" && !self.local_ty.contains_key(n) {
                    if let Some((name, _, kspan)) = kwargs.first() {
                        let msg = format!("unexpected keyword argument '{name}'");
                        return Err(Diagnostic::new(*kspan, msg));
                    }
                    return self.range(args, iter.span);
                }
            }
        }
        let (seq, t) = self.expr(iter, None)?;
        let kind = match t {
            Ty::Ref(at) => self.cx.program.types.as_array(at).map(|a| SeqKind::Array(at, a.elem)),
            _ => None,
        };
        let Some(kind) = kind else {
            let shown = self.cx.program.types.display(t).to_string();
            let msg = format!(
                "cannot iterate over {shown}: a 'for' loop walks range(...), a str or an array"
            );
            return Err(Diagnostic::new(iter.span, msg));
        };
        let fixed_len = kind.fixed_length().then(|| kind.length(self, seq, iter.span));
        let walk = Walk::Indexed(Sequence { seq, kind, fixed_len });
        Ok((walk, Const::Int(0).into()))
    }

    /// `range(stop)`, `range(start, stop)`, `range(start, stop, step)`.
    fn range(&mut self, args: &[Expr], span: Span) -> LResult<(Walk, Value)> {
        if args.is_empty() || args.len() > 3 {
            let msg = format!("range() takes 1 to 3 arguments, {} given", args.len());
            return Err(Diagnostic::new(span, msg));
        }
        let mut vals = Vec::new();
        for (i, a) in args.iter().enumerate() {
            vals.push(self.expr_as(a, Ty::Int, &format!("argument {} of range()", i + 1))?);
        }
        let (start, stop) = match vals.len() {
            1 => (Const::Int(0).into(), vals[0]),
            _ => (vals[0], vals[1]),
        };
        let Some(step_expr) = args.get(2) else {
            return Ok((
                Walk::Range { stop, step: Const::Int(1).into(), direction: Direction::Up },
                start,
            ));
        };
        let step = vals[2];
        let direction = match self.constant_int(step_expr) {
            Some(0) => {
                return Err(Diagnostic::new(step_expr.span, "range() step must not be zero"));
            }
            Some(k) if k > 0 => Direction::Up,
            Some(_) => Direction::Down,
            None => {
                // A zero step stops the run here, before the loop.
                let zero = Const::Int(0).into();
                self.emit(
                    Opcode::IntFloorDiv,
                    vec![zero, step],
                    Aux::None,
                    Ty::Int,
                    step_expr.span,
                );
                let up = self.emit(Opcode::IntGt, vec![step, zero], Aux::None, Ty::Bool, span);
                Direction::BySign(up.unwrap().into())
            }
        };
        Ok((Walk::Range { stop, step, direction }, start))
    }

    /// The value of an int literal or an int module constant.
    fn constant_int(&self, e: &Expr) -> Option<i64> {
        match &e.kind {
            ExprKind::Int(k) => Some(*k),
            ExprKind::Name(n) if !self.local_ty.contains_key(n) => match self.cx.globals.get(n) {
                Some(Global::Const(Const::Int(k), _)) => Some(*k),
                _ => None,
            },
            _ => None,
        }
    }

    /// Ends the header: to `body_b` while the walk goes on, else to `exit_b`.
    fn loop_test(&mut self, walk: &Walk, k: Value, (body_b, exit_b): (Block, Block), span: Span) {
        let target = |b| Target { block: b, args: vec![] };
        let test = |fx: &mut Self, opcode, bound| {
            let c = fx.emit(opcode, vec![k, bound], Aux::None, Ty::Bool, span).unwrap();
            let exit =
                Exit::Branch { cond: c.into(), if_true: target(body_b), if_false: target(exit_b) };
            fx.terminate(exit, span);
        };
        match walk {
            Walk::Range { stop, direction: Direction::Up, .. } => test(self, Opcode::IntLt, *stop),
            Walk::Range { stop, direction: Direction::Down, .. } => {
                test(self, Opcode::IntGt, *stop)
            }
            Walk::Range { stop, direction: Direction::BySign(up), .. } => {
                let (up_b, down_b) = (self.g.add_block(span), self.g.add_block(span));
                let exit =
                    Exit::Branch { cond: *up, if_true: target(up_b), if_false: target(down_b) };
                self.terminate(exit, span);
                self.cur = Some(up_b);
                test(self, Opcode::IntLt, *stop);
                self.cur = Some(down_b);
                test(self, Opcode::IntGt, *stop);
            }
            Walk::Indexed(s) => {
                let len = match s.fixed_len {
                    Some(n) => n,
                    None => s.kind.length(self, s.seq, span),
                };
                test(self, Opcode::IntLt, len);
            }
        }
    }

    /// At the top of the body: the item at counter `k`, its type, and the counter's next value.
    fn next_item(&mut self, walk: &Walk, k: Value, span: Span) -> (Value, Ty, Value) {
        let (item, ty, step) = match walk {
            Walk::Range { step, .. } => (k, Ty::Int, *step),
            Walk::Indexed(s) => {
                (s.kind.item(self, s.seq, k, span), s.kind.item_ty(), Const::Int(1).into())
            }
        };
        let next = self.emit(Opcode::IntAdd, vec![k, step], Aux::None, Ty::Int, span).unwrap();
        (item, ty, next.into())
    }
}
