//! Statements: assignments, control flow, `try`, `with`, and the unwinding of `FBlock`s
//! by `return`, `break` and `continue`.

use super::{Access, Compiler, FBlock, FEntry};
use crate::ast::*;
use crate::bytecode::{Const, Op, INPLACE};
use crate::error::PResult;
use crate::location::Loc;
use crate::symtable::ScopeKind;

impl<'a> Compiler<'a> {
    pub(super) fn stmts(&mut self, body: &'a [Stmt]) -> PResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &'a Stmt) -> PResult<()> {
        let old = self.set_line(s.pos.line);
        // CPython's location of a compound statement spans its body
        let end_line = super::expr::last_line(s).max(s.pos.end_line);
        let old_loc = self.set_loc(Loc::of_pos(Pos { end_line, ..s.pos }));
        let r = self.stmt_inner(s);
        self.set_loc(old_loc);
        self.set_line(old);
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> PResult<()> {
        match &s.kind {
            StmtKind::Expr(e) if self.interactive && self.units.len() == 1 => {
                self.expr(e)?;
                self.emit(Op::PRINT_EXPR, 0);
            }
            StmtKind::Expr(e) => {
                if matches!(e.kind, ExprKind::Constant(_)) {
                    return Ok(()); // a docstring or bare constant: no code, as CPython
                }
                self.expr(e)?;
                self.emit(Op::POP_TOP, 0);
            }
            StmtKind::Assign(targets, value) => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::DUP_TOP, 0);
                    }
                    self.store(t)?;
                }
            }
            StmtKind::AugAssign(target, op, value) => self.aug_assign(target, *op, value)?,
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.store(target)?;
                }
                let module_or_class = self.unit_ref().kind != ScopeKind::Function;
                if module_or_class && !self.table.future_annotations {
                    // evaluated for its errors; `__annotations__` is outside the subset
                    if !*simple {
                        self.target_parts(target)?;
                    }
                    self.expr(annotation)?;
                    self.emit(Op::POP_TOP, 0);
                } else if !*simple && value.is_none() {
                    self.target_parts(target)?;
                }
            }
            StmtKind::If(test, body, orelse) => {
                let end = self.new_label();
                let else_l = if orelse.is_empty() { end } else { self.new_label() };
                self.jump_if(test, false, else_l)?;
                self.stmts(body)?;
                if !orelse.is_empty() {
                    self.emit_jump(Op::JUMP, end);
                    self.place(else_l);
                    self.stmts(orelse)?;
                }
                self.place(end);
            }
            StmtKind::While(test, body, orelse) => {
                let start = self.new_label();
                let else_l = self.new_label();
                let exit = self.new_label();
                self.place(start);
                if !is_true_constant(test) {
                    self.jump_if(test, false, else_l)?;
                }
                self.push_fblock(FBlock::While(start, exit));
                self.stmts(body)?;
                self.pop_fblock();
                self.emit_jump(Op::JUMP, start);
                self.place(else_l);
                self.stmts(orelse)?;
                self.place(exit);
            }
            StmtKind::For(target, iter, body, orelse) => {
                let start = self.new_label();
                let end = self.new_label();
                let exit = self.new_label();
                self.expr(iter)?;
                self.emit(Op::GET_ITER, 0);
                self.place(start);
                self.emit_jump(Op::FOR_ITER, end);
                self.store(target)?;
                self.push_fblock(FBlock::For(start, exit));
                self.stmts(body)?;
                self.pop_fblock();
                self.emit_jump(Op::JUMP, start);
                self.place(end);
                self.stmts(orelse)?;
                self.place(exit);
            }
            StmtKind::Pass => {}
            StmtKind::Break | StmtKind::Continue => self.break_continue(s)?,
            StmtKind::Return(value) => {
                if self.unit_ref().kind != ScopeKind::Function {
                    return Err(self.error("'return' outside function", s.pos));
                }
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.emit_const(Const::None),
                }
                self.return_through_blocks()?;
            }
            StmtKind::FunctionDef(f) => self.function_def(f, s.pos)?,
            StmtKind::ClassDef(c) => self.class_def(c, s.pos)?,
            StmtKind::Raise(exc, cause) => {
                let mut n = 0;
                if let Some(e) = exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::RAISE_VARARGS, n);
            }
            StmtKind::Try(body, handlers, orelse, finalbody) => {
                if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)?;
                } else {
                    self.try_finally(body, handlers, orelse, finalbody)?;
                }
            }
            StmtKind::With(items, body) => self.with(items, body)?,
            StmtKind::Assert(test, msg) => {
                let end = self.new_label();
                self.jump_if(test, true, end)?;
                // CPython raises at the test's location
                self.set_loc(Loc::of_expr(test));
                self.emit(Op::LOAD_ASSERTION_ERROR, 0);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.emit(Op::CALL_FUNCTION, 1);
                }
                self.emit(Op::RAISE_VARARGS, 1);
                self.place(end);
            }
            StmtKind::Delete(targets) => targets.iter().try_for_each(|t| self.delete(t))?,
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let i = self.name_index(&a.name);
                    self.emit(Op::IMPORT_NAME, i);
                    self.name_op(a.asname.as_deref().unwrap_or(&a.name), Access::Store);
                }
            }
            StmtKind::ImportFrom(module, aliases) => {
                if module == "__future__" {
                    return Ok(()); // compile-time directives (checked in `check_future_imports`)
                }
                let i = self.name_index(module);
                self.emit(Op::IMPORT_NAME, i);
                for a in aliases {
                    let i = self.name_index(&a.name);
                    self.emit(Op::IMPORT_FROM, i);
                    self.name_op(a.asname.as_deref().unwrap_or(&a.name), Access::Store);
                }
                self.emit(Op::POP_TOP, 0);
            }
        }
        Ok(())
    }

    /// Evaluates the parts of a non-simple annotated target (`a.b: int` evaluates `a`).
    fn target_parts(&mut self, target: &Expr) -> PResult<()> {
        match &target.kind {
            ExprKind::Attribute(v, _) => {
                self.expr(v)?;
                self.emit(Op::POP_TOP, 0);
            }
            ExprKind::Subscript(v, i) => {
                self.expr(v)?;
                self.emit(Op::POP_TOP, 0);
                self.expr(i)?;
                self.emit(Op::POP_TOP, 0);
            }
            _ => {}
        }
        Ok(())
    }

    /// Stores the value on top of the stack into a target.
    pub(super) fn store(&mut self, t: &Expr) -> PResult<()> {
        let old = self.set_loc(Loc::of_expr(t));
        let r = self.store_inner(t);
        self.set_loc(old);
        r
    }

    fn store_inner(&mut self, t: &Expr) -> PResult<()> {
        match &t.kind {
            ExprKind::Name(n) => self.name_op(n, Access::Store),
            ExprKind::Attribute(v, attr) => {
                self.expr(v)?;
                let i = self.attr_index(attr);
                self.emit(Op::STORE_ATTR, i);
            }
            ExprKind::Subscript(v, index) => {
                self.expr(v)?;
                self.subscript_index(index)?;
                self.emit(Op::STORE_SUBSCR, 0);
            }
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                let starred: Vec<usize> = elts
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| matches!(e.kind, ExprKind::Starred(_)))
                    .map(|(i, _)| i)
                    .collect();
                match starred.as_slice() {
                    [] => self.emit(Op::UNPACK_SEQUENCE, elts.len() as u32),
                    [i] => {
                        let (before, after) = (*i as u32, (elts.len() - i - 1) as u32);
                        if before > 255 || after > 255 {
                            return Err(self.error(
                                "too many expressions in star-unpacking assignment",
                                t.pos,
                            ));
                        }
                        self.emit(Op::UNPACK_EX, before | after << 8);
                    }
                    _ => {
                        return Err(self.error("multiple starred expressions in assignment", t.pos))
                    }
                }
                for e in elts {
                    match &e.kind {
                        ExprKind::Starred(inner) => self.store(inner)?,
                        _ => self.store(e)?,
                    }
                }
            }
            ExprKind::Starred(_) => {
                return Err(
                    self.error("starred assignment target must be in a list or tuple", t.pos)
                );
            }
            _ => unreachable!("the parser checked the target"),
        }
        Ok(())
    }

    fn delete(&mut self, t: &Expr) -> PResult<()> {
        match &t.kind {
            ExprKind::Name(n) => self.name_op(n, Access::Delete),
            ExprKind::Attribute(v, attr) => {
                self.expr(v)?;
                let i = self.attr_index(attr);
                self.emit(Op::DELETE_ATTR, i);
            }
            ExprKind::Subscript(v, index) => {
                self.expr(v)?;
                self.subscript_index(index)?;
                self.emit(Op::DELETE_SUBSCR, 0);
            }
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                elts.iter().try_for_each(|e| self.delete(e))?
            }
            _ => unreachable!("the parser checked the target"),
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &Expr, op: BinOp, value: &Expr) -> PResult<()> {
        let arg = binop_number(op) + INPLACE;
        match &target.kind {
            ExprKind::Name(n) => {
                let stmt_loc = self.set_loc(Loc::of_expr(target));
                self.name_op(n, Access::Load);
                self.set_loc(stmt_loc);
                self.expr(value)?;
                self.emit(Op::BINARY_OP, arg);
                self.name_op(n, Access::Store);
            }
            ExprKind::Attribute(v, attr) => {
                let stmt_loc = self.set_loc(Loc::of_expr(target));
                self.expr(v)?;
                self.emit(Op::DUP_TOP, 0);
                let i = self.attr_index(attr);
                self.emit(Op::LOAD_ATTR, i);
                self.set_loc(stmt_loc);
                self.expr(value)?;
                self.emit(Op::BINARY_OP, arg);
                self.emit(Op::ROT_TWO, 0);
                self.emit(Op::STORE_ATTR, i);
            }
            ExprKind::Subscript(v, index) => {
                let stmt_loc = self.set_loc(Loc::of_expr(target));
                self.expr(v)?;
                self.subscript_index(index)?;
                self.emit(Op::DUP_TOP_TWO, 0);
                self.emit(Op::BINARY_SUBSCR, 0);
                self.set_loc(stmt_loc);
                self.expr(value)?;
                self.emit(Op::BINARY_OP, arg);
                self.emit(Op::ROT_THREE, 0);
                self.emit(Op::STORE_SUBSCR, 0);
            }
            _ => unreachable!("the parser checked the target"),
        }
        Ok(())
    }

    fn break_continue(&mut self, s: &Stmt) -> PResult<()> {
        let is_break = matches!(s.kind, StmtKind::Break);
        let saved_fblocks = self.unit_ref().fblocks.clone();
        let saved_handlers = self.unit_ref().handlers.clone();
        let mut result = Err(self.error(
            if is_break { "'break' outside loop" } else { "'continue' not properly in loop" },
            s.pos,
        ));
        while let Some(entry) = self.unit().fblocks.pop() {
            match entry.block {
                FBlock::While(start, exit) | FBlock::For(start, exit) => {
                    let is_for = matches!(entry.block, FBlock::For(..));
                    if is_break {
                        if is_for {
                            self.emit(Op::POP_TOP, 0);
                        }
                        self.emit_jump(Op::JUMP, exit);
                    } else {
                        self.emit_jump(Op::JUMP, start);
                    }
                    result = Ok(());
                    break;
                }
                _ => self.unwind_one(&entry, false)?,
            }
        }
        self.unit().fblocks = saved_fblocks;
        self.unit().handlers = saved_handlers;
        result
    }

    /// Unwinds every block and returns the value on top of the stack (the `RETURN_VALUE`
    /// is outside every handler, as the blocks it leaves are).
    fn return_through_blocks(&mut self) -> PResult<()> {
        let preserve_tos = true;
        let saved_fblocks = self.unit_ref().fblocks.clone();
        let saved_handlers = self.unit_ref().handlers.clone();
        while let Some(entry) = self.unit().fblocks.pop() {
            if let FBlock::For(..) = entry.block {
                if preserve_tos {
                    self.emit(Op::ROT_TWO, 0);
                }
                self.emit(Op::POP_TOP, 0);
                continue;
            }
            self.unwind_one(&entry, preserve_tos)?;
        }
        self.unit().handlers.clear();
        self.emit(Op::RETURN_VALUE, 0);
        self.unit().fblocks = saved_fblocks;
        self.unit().handlers = saved_handlers;
        Ok(())
    }

    /// The code that leaves one block early (the block is already popped).
    fn unwind_one(&mut self, entry: &FEntry<'a>, preserve_tos: bool) -> PResult<()> {
        self.unit().handlers.truncate(entry.handlers_outside);
        match &entry.block {
            FBlock::While(..) | FBlock::TryExcept => {}
            FBlock::For(..) => {
                if preserve_tos {
                    self.emit(Op::ROT_TWO, 0);
                }
                self.emit(Op::POP_TOP, 0);
            }
            FBlock::FinallyTry(body) => {
                self.stmts(body)?;
            }
            FBlock::FinallyEnd => {
                // stack: prev exc [value]
                if preserve_tos {
                    self.emit(Op::ROT_TWO, 0);
                }
                self.emit(Op::POP_TOP, 0);
                if preserve_tos {
                    self.emit(Op::ROT_TWO, 0);
                }
                self.emit(Op::POP_EXCEPT, 0);
            }
            FBlock::HandlerCleanup(name) => {
                if let Some(n) = name {
                    self.clear_name(n);
                }
                if preserve_tos {
                    self.emit(Op::ROT_TWO, 0);
                }
                self.emit(Op::POP_EXCEPT, 0);
            }
            FBlock::With => {
                if preserve_tos {
                    self.emit(Op::ROT_TWO, 0);
                }
                self.call_exit_with_nones();
            }
        }
        Ok(())
    }

    /// `name = None; del name` (the end of `except E as name`).
    fn clear_name(&mut self, name: &str) {
        self.emit_const(Const::None);
        self.name_op(name, Access::Store);
        self.name_op(name, Access::Delete);
    }

    /// `exit(None, None, None)` with the bound `__exit__` on top; pops it.
    fn call_exit_with_nones(&mut self) {
        for _ in 0..3 {
            self.emit_const(Const::None);
        }
        self.emit(Op::CALL_FUNCTION, 3);
        self.emit(Op::POP_TOP, 0);
    }

    /// The code of a cleanup handler: `prev exc` on the stack; restore `prev`, re-raise.
    fn cleanup_handler_code(&mut self) {
        self.emit(Op::ROT_TWO, 0);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 0);
    }

    fn try_except(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
    ) -> PResult<()> {
        let end = self.new_label();
        let else_l = self.new_label();
        self.push_fblock(FBlock::TryExcept);
        let (h_body, l_body) = self.push_handler(0);
        self.stmts(body)?;
        self.pop_handler(h_body);
        self.pop_fblock();
        self.emit_jump(Op::JUMP, else_l);

        // the handler: stack [exc]
        self.place(l_body);
        // leaving a clause early leaves this cleanup handler too
        let outside_cleanup = self.unit_ref().handlers.len();
        let (h_cleanup, l_cleanup) = self.push_handler(0);
        self.emit(Op::PUSH_EXC_INFO, 0);
        for h in handlers {
            let old = self.set_line(h.pos.line);
            let next = self.new_label();
            if let Some(t) = &h.typ {
                self.expr(t)?;
                self.emit(Op::CHECK_EXC_MATCH, 0);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, next);
            } else if !std::ptr::eq(h, handlers.last().expect("one")) {
                return Err(self.error("default 'except:' must be last", h.pos));
            }
            match &h.name {
                Some(n) => {
                    self.name_op(n, Access::Store);
                    self.push_fblock_outside(
                        FBlock::HandlerCleanup(Some(n.clone())),
                        outside_cleanup,
                    );
                    let (h_name, l_name) = self.push_handler(0);
                    self.stmts(&h.body)?;
                    self.pop_handler(h_name);
                    self.pop_fblock();
                    self.leave_clause(outside_cleanup, Some(n), end);
                    // the named handler's cleanup: stack [prev exc2]
                    let outer = self.unit_ref().handlers.len() - 1;
                    let saved = self.unit_ref().handlers.clone();
                    self.unit().handlers.truncate(outer);
                    self.place(l_name);
                    self.clear_name(n);
                    self.cleanup_handler_code();
                    self.unit().handlers = saved;
                }
                None => {
                    self.emit(Op::POP_TOP, 0);
                    self.push_fblock_outside(FBlock::HandlerCleanup(None), outside_cleanup);
                    self.stmts(&h.body)?;
                    self.pop_fblock();
                    self.leave_clause(outside_cleanup, None, end);
                }
            }
            self.place(next);
            self.set_line(old);
        }
        self.emit(Op::RERAISE, 0);
        self.pop_handler(h_cleanup);
        self.place(l_cleanup);
        self.cleanup_handler_code();

        self.place(else_l);
        self.stmts(orelse)?;
        self.place(end);
        Ok(())
    }

    /// The normal end of an `except` clause: outside the clause's handlers, restore the
    /// previously handled exception, clear the `as` name, jump to the end of the `try`.
    fn leave_clause(&mut self, outside: usize, name: Option<&str>, end: super::Label) {
        let saved = self.unit_ref().handlers.clone();
        self.unit().handlers.truncate(outside);
        self.emit(Op::POP_EXCEPT, 0);
        if let Some(n) = name {
            self.clear_name(n);
        }
        self.emit_jump(Op::JUMP, end);
        self.unit().handlers = saved;
    }

    fn try_finally(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> PResult<()> {
        let end = self.new_label();
        self.push_fblock(FBlock::FinallyTry(finalbody));
        let (h_fin, l_fin) = self.push_handler(0);
        if handlers.is_empty() {
            self.stmts(body)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.pop_handler(h_fin);
        self.pop_fblock();
        self.stmts(finalbody)?;
        self.emit_jump(Op::JUMP, end);

        // exceptional path: stack [exc]
        self.place(l_fin);
        self.emit(Op::PUSH_EXC_INFO, 0);
        self.push_fblock(FBlock::FinallyEnd);
        let (h_cleanup, l_cleanup) = self.push_handler(1);
        self.stmts(finalbody)?;
        self.emit(Op::RERAISE, 0);
        self.pop_handler(h_cleanup);
        self.pop_fblock();
        self.place(l_cleanup);
        self.cleanup_handler_code();
        self.place(end);
        Ok(())
    }

    fn with(&mut self, items: &'a [(Expr, Option<Expr>)], body: &'a [Stmt]) -> PResult<()> {
        let Some(((ctx, target), rest)) = items.split_first() else {
            return self.stmts(body);
        };
        let end = self.new_label();
        let suppress = self.new_label();
        self.expr(ctx)?;
        self.emit(Op::BEFORE_WITH, 0);
        self.push_fblock(FBlock::With);
        let (h_with, l_with) = self.push_handler(1);
        match target {
            Some(t) => self.store(t)?,
            None => self.emit(Op::POP_TOP, 0),
        }
        if rest.is_empty() {
            self.stmts(body)?;
        } else {
            self.with(rest, body)?;
        }
        self.pop_handler(h_with);
        self.pop_fblock();
        self.call_exit_with_nones();
        self.emit_jump(Op::JUMP, end);

        // exceptional path: stack [exit exc]
        self.place(l_with);
        self.emit(Op::PUSH_EXC_INFO, 0);
        let (h_cleanup, l_cleanup) = self.push_handler(1);
        self.emit(Op::WITH_EXCEPT_START, 0);
        self.emit_jump(Op::POP_JUMP_IF_TRUE, suppress);
        self.emit(Op::RERAISE, 0);
        self.pop_handler(h_cleanup);
        self.place(suppress);
        self.emit(Op::POP_TOP, 0);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::POP_TOP, 0);
        self.emit_jump(Op::JUMP, end);
        self.place(l_cleanup);
        self.cleanup_handler_code();
        self.place(end);
        Ok(())
    }
}

/// `while True:` and `while 1:` need no test.
fn is_true_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Constant(Constant::Bool(b)) => *b,
        ExprKind::Constant(Constant::Int(crate::token::IntValue::Small(v))) => *v != 0,
        _ => false,
    }
}

/// `BINARY_OP`'s number for an operator (the order of `bytecode::BINARY_OPS`).
pub(super) fn binop_number(op: BinOp) -> u32 {
    match op {
        BinOp::Add => 0,
        BinOp::Sub => 1,
        BinOp::Mult => 2,
        BinOp::Div => 3,
        BinOp::FloorDiv => 4,
        BinOp::Mod => 5,
        BinOp::Pow => 6,
        BinOp::LShift => 7,
        BinOp::RShift => 8,
        BinOp::BitOr => 9,
        BinOp::BitXor => 10,
        BinOp::BitAnd => 11,
    }
}
