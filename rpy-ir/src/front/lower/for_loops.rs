//! `for` loops: `for x in range(...)`, over a `str`, an array, a `list[T]`, a dict's keys,
//! values or items (`container_walks.rs`), each optionally numbered by `enumerate`;
//! `break`, `continue` and `else` as in Python.
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
//! - a dict's entries ([`Entries`]): the counter is an entry number; the header finds the
//!   next live entry at or after it (the prelude's `dict_next`, which also raises
//!   `RuntimeError` when the dict's size changed), and the body's top reads it and sets the
//!   counter past it.
//!
//! `enumerate(x)` / `enumerate(x, start)` (or `start=`) around any of these adds a second
//! hidden counter (`enum#N`, from `start`, default 0), bound to the first name of the
//! two-name target and advanced with the walk's own; the second name (or tuple of names)
//! takes the item.
//!
//! The loop variable is bound from the item each time round: a name, or a tuple of names
//! (the items must then be tuples). After the loop it keeps its last value; it is unbound
//! after a loop that never ran (so using it then is the "may be used before it is assigned"
//! error). The `else` block runs when the loop ends by its test, not by `break`.

use super::container_walks::{ContainerWalk, Entries, Item, ListSeq};
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
    /// A dict's live entries in insertion order.
    Entries(Entries),
}

/// How `enumerate(x, start)` numbers a loop: the start (0 if absent) and the two parts of
/// the target.
struct Numbering<'e> {
    start: Option<&'e Expr>,
    index: &'e Expr,
    item: &'e Expr,
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
    /// A `list[T]`: its length is read each time round.
    List(ListSeq),
}

impl SeqKind {
    /// The type of the items.
    fn item_ty(self) -> Ty {
        match self {
            SeqKind::Array(_, elem) => elem,
            SeqKind::List(l) => l.elem,
        }
    }

    /// Whether the length cannot change while the loop runs (then it is read once).
    fn fixed_length(self) -> bool {
        match self {
            SeqKind::Array(..) => true,
            SeqKind::List(_) => false,
        }
    }

    /// Emits the read of the length of `seq`.
    fn length(self, fx: &mut FnCx, seq: Value, span: Span) -> Value {
        match self {
            SeqKind::Array(..) => {
                fx.emit(Opcode::ArrayLen, vec![seq], Aux::None, Ty::Int, span).unwrap().into()
            }
            SeqKind::List(l) => l.length(fx, seq, span),
        }
    }

    /// Emits the read of the item of `seq` at `index` (known to be in bounds).
    fn item(self, fx: &mut FnCx, seq: Value, index: Value, span: Span) -> Value {
        match self {
            SeqKind::Array(at, elem) => fx
                .emit(Opcode::GetArrayItem, vec![seq, index], Aux::Array(at), elem, span)
                .unwrap()
                .into(),
            SeqKind::List(l) => l.item(fx, seq, index, span),
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
        let (iter, numbering) = self.enumerate_of(iter, target)?;
        let (walk, start) = self.walk(iter)?;
        let counter = format!("for#{}", self.g.blocks.len());
        self.declare_local(&counter, Ty::Int);
        self.env.insert(counter.clone(), start);
        let mut assigned = vec![counter.clone()];
        let mut number = None;
        if let Some(n) = numbering {
            // After the iterable, as Python evaluates `enumerate(x, start)`.
            let first = match n.start {
                Some(a) => self.expr_as(a, Ty::Int, "the start of enumerate()")?,
                None => Const::Int(0).into(),
            };
            let name = format!("enum#{}", self.g.blocks.len());
            self.declare_local(&name, Ty::Int);
            self.env.insert(name.clone(), first);
            assigned.push(name.clone());
            number = Some((name, n.index, n.item));
        }
        target_names(target, &mut assigned);
        assigned_names(body, &mut assigned);
        let (header, carried) = self.loop_header(&assigned, span);
        let header_env = self.env.clone();
        let body_b = self.g.add_block(span);
        let exit_b = self.g.add_block(span);
        let k = self.env[&counter];
        let at = self.loop_test(&walk, k, (body_b, exit_b), iter.span)?;

        self.cur = Some(body_b);
        let (item, next) = self.next_item(&walk, at, iter.span);
        self.env.insert(counter.clone(), next);
        let mut target = target;
        if let Some((name, index_target, item_target)) = &number {
            let i = self.env[name];
            let one = Const::Int(1).into();
            let next = self.emit(Opcode::IntAdd, vec![i, one], Aux::None, Ty::Int, span).unwrap();
            self.env.insert(name.clone(), next.into());
            self.bind_target(index_target, (i, Ty::Int))?;
            target = item_target;
        }
        self.bind_item(target, item, iter.span)?;
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
        // The counters are dead after the loop: no join parameter for them.
        preds.iter_mut().for_each(|(_, env)| {
            env.remove(&counter);
            if let Some((name, ..)) = &number {
                env.remove(name);
            }
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
        let (seq, t) = match self.container_walk(iter)? {
            Ok(ContainerWalk::Dict(entries)) => {
                return Ok((Walk::Entries(entries), Const::Int(0).into()))
            }
            Ok(ContainerWalk::List(l, seq)) => {
                let walk =
                    Walk::Indexed(Sequence { seq: l, kind: SeqKind::List(seq), fixed_len: None });
                return Ok((walk, Const::Int(0).into()));
            }
            Err(lowered) => lowered,
        };
        let kind = match t {
            Ty::Ref(at) => self.cx.program.types.as_array(at).map(|a| SeqKind::Array(at, a.elem)),
            _ => None,
        };
        let Some(kind) = kind else {
            let shown = self.show_ty(t);
            let msg = format!(
                "cannot iterate over {shown}: a 'for' loop walks range(...), a str, an array, \
                 a list or a dict"
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

    /// Ends the header: to `body_b` while the walk goes on, else to `exit_b`. Returns the
    /// position the body reads at: the counter, or a dict walk's next live entry.
    fn loop_test(
        &mut self,
        walk: &Walk,
        k: Value,
        (body_b, exit_b): (Block, Block),
        span: Span,
    ) -> LResult<Value> {
        let target = |b| Target { block: b, args: vec![] };
        let test_at = |fx: &mut Self, k: Value, opcode, bound: Value| {
            let c = fx.emit(opcode, vec![k, bound], Aux::None, Ty::Bool, span).unwrap();
            let exit =
                Exit::Branch { cond: c.into(), if_true: target(body_b), if_false: target(exit_b) };
            fx.terminate(exit, span);
        };
        let test = |fx: &mut Self, opcode, bound| test_at(fx, k, opcode, bound);
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
            Walk::Entries(entries) => {
                let e = entries.next(self, k, span)?;
                test_at(self, e, Opcode::IntGe, Const::Int(0).into());
                return Ok(e);
            }
        }
        Ok(k)
    }

    /// At the top of the body: the item at position `k` and the counter's next value.
    fn next_item(&mut self, walk: &Walk, k: Value, span: Span) -> (Item, Value) {
        let (item, step) = match walk {
            Walk::Range { step, .. } => (Item::One(k, Ty::Int), *step),
            Walk::Indexed(s) => {
                let v = s.kind.item(self, s.seq, k, span);
                (Item::One(v, s.kind.item_ty()), Const::Int(1).into())
            }
            Walk::Entries(entries) => (entries.item(self, k, span), Const::Int(1).into()),
        };
        let next = self.emit(Opcode::IntAdd, vec![k, step], Aux::None, Ty::Int, span).unwrap();
        (item, next.into())
    }

    /// Binds the loop's target (a name or a tuple of names) to one step's item.
    fn bind_item(&mut self, target: &Expr, item: Item, iter_span: Span) -> LResult<()> {
        match (item, &target.kind) {
            (Item::One(v, t), ExprKind::Tuple(names)) => {
                self.unpack_value(names, (v, t), iter_span, target.span)
            }
            (Item::One(v, t), _) => self.bind_target(target, (v, t)),
            (Item::Pair(k, v), ExprKind::Tuple(names)) => {
                if names.len() != 2 {
                    let msg = format!("cannot unpack 2 items into {} names", names.len());
                    return Err(Diagnostic::new(iter_span, msg));
                }
                self.bind_item(&names[0], Item::One(k.0, k.1), iter_span)?;
                self.bind_item(&names[1], Item::One(v.0, v.1), iter_span)
            }
            (Item::Pair(k, v), _) => {
                let pair = self.make_tuple(&[k, v], iter_span);
                self.bind_target(target, pair)
            }
        }
    }

    /// `enumerate(x)` / `enumerate(x, start)` as the iterable: `x`, and how the loop is
    /// numbered.
    fn enumerate_of<'e>(
        &self,
        iter: &'e Expr,
        target: &'e Expr,
    ) -> LResult<(&'e Expr, Option<Numbering<'e>>)> {
        let ExprKind::Call { callee, args, kwargs } = &iter.kind else { return Ok((iter, None)) };
        let ExprKind::Name(n) = &callee.kind else { return Ok((iter, None)) };
        if n != "enumerate" || self.local_ty.contains_key(n) {
            return Ok((iter, None));
        }
        let mut start = args.get(1);
        for (name, value, kspan) in kwargs {
            if name != "start" || start.is_some() {
                let msg = match name.as_str() {
                    "start" => "enumerate() got multiple values for 'start'".to_string(),
                    _ => format!("unexpected keyword argument '{name}'"),
                };
                return Err(Diagnostic::new(*kspan, msg));
            }
            start = Some(value);
        }
        if args.is_empty() || args.len() > 2 {
            let msg = format!("enumerate() takes 1 or 2 arguments, {} given", args.len());
            return Err(Diagnostic::new(iter.span, msg));
        }
        let (index, item) = match &target.kind {
            ExprKind::Tuple(names) if names.len() == 2 => (&names[0], &names[1]),
            _ => {
                let msg = "the target of a loop over enumerate(...) is two names: for i, x in ...";
                return Err(Diagnostic::new(target.span, msg));
            }
        };
        Ok((&args[0], Some(Numbering { start, index, item })))
    }
}
