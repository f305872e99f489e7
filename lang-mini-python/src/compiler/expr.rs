//! Expressions, calls, comprehensions, and the making of functions and classes.

use super::stmt::binop_number;
use super::{Access, Compiler};
use crate::ast::*;
use crate::bytecode::{self, Const, Op, MF_CLOSURE, MF_DEFAULTS, MF_KWDEFAULTS};
use crate::error::PResult;
use crate::symtable::{ScopeKind, SymScope};
use crate::token::IntValue;

impl<'a> Compiler<'a> {
    /// Compiles an expression, leaving its value on the stack.
    pub(super) fn expr(&mut self, e: &Expr) -> PResult<()> {
        let old = self.set_line(e.pos.line);
        let old_loc = self.set_loc(crate::location::Loc::of_expr(e));
        let r = self.expr_inner(e);
        self.set_loc(old_loc);
        self.set_line(old);
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> PResult<()> {
        if let Some(c) = constant_of(e) {
            self.emit_const(c);
            return Ok(());
        }
        match &e.kind {
            ExprKind::Name(n) => self.name_op(n, Access::Load),
            ExprKind::Constant(_) => unreachable!("constant_of folds every constant"),
            ExprKind::JoinedStr(parts) => self.fstring(parts)?,
            ExprKind::BoolOp(op, values) => {
                let end = self.new_label();
                let jump = match op {
                    BoolOp::And => Op::JUMP_IF_FALSE_OR_POP,
                    BoolOp::Or => Op::JUMP_IF_TRUE_OR_POP,
                };
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        self.emit_jump(jump, end);
                    }
                }
                self.place(end);
            }
            ExprKind::BinOp(l, op, r) => {
                self.expr(l)?;
                self.expr(r)?;
                self.emit(Op::BINARY_OP, binop_number(*op));
            }
            ExprKind::UnaryOp(op, v) => {
                self.expr(v)?;
                self.emit(
                    match op {
                        UnaryOp::Not => Op::UNARY_NOT,
                        UnaryOp::USub => Op::UNARY_NEGATIVE,
                        UnaryOp::UAdd => Op::UNARY_POSITIVE,
                        UnaryOp::Invert => Op::UNARY_INVERT,
                    },
                    0,
                );
            }
            ExprKind::Compare(left, ops) => self.compare(left, ops)?,
            ExprKind::Call(f, args, keywords) => self.call(f, args, keywords)?,
            ExprKind::IfExp(test, body, orelse) => {
                let else_l = self.new_label();
                let end = self.new_label();
                self.jump_if(test, false, else_l)?;
                self.expr(body)?;
                self.emit_jump(Op::JUMP, end);
                self.place(else_l);
                self.expr(orelse)?;
                self.place(end);
            }
            ExprKind::Lambda(args, body) => {
                let flags = self.defaults(args)?;
                let scope = self.table.scope_for(e);
                let qualname = self.qualname_for("<lambda>");
                self.push_unit(scope, "<lambda>", qualname, e.pos.line);
                self.set_arg_counts(args);
                self.copy_args_to_cells();
                // a lambda's code has None as its first constant (CPython's doc slot)
                self.add_const(Const::None);
                self.expr(body)?;
                self.emit(Op::RETURN_VALUE, 0);
                let code = self.pop_unit();
                self.make_function(code, flags);
            }
            ExprKind::Attribute(v, attr) => {
                self.expr(v)?;
                let i = self.attr_index(attr);
                self.emit(Op::LOAD_ATTR, i);
            }
            ExprKind::Subscript(v, index) => {
                self.expr(v)?;
                self.subscript_index(index)?;
                self.emit(Op::BINARY_SUBSCR, 0);
            }
            ExprKind::Slice(..) => return Err(self.error("invalid syntax", e.pos)),
            ExprKind::Starred(_) => {
                return Err(self.error("can't use starred expression here", e.pos))
            }
            ExprKind::Tuple(elts) => {
                if has_starred(elts) {
                    self.starred_sequence(elts, Op::BUILD_LIST, Op::LIST_EXTEND, Op::LIST_APPEND)?;
                    self.emit(Op::LIST_TO_TUPLE, 0);
                } else {
                    elts.iter().try_for_each(|x| self.expr(x))?;
                    self.emit(Op::BUILD_TUPLE, elts.len() as u32);
                }
            }
            ExprKind::List(elts) => {
                if has_starred(elts) {
                    self.starred_sequence(elts, Op::BUILD_LIST, Op::LIST_EXTEND, Op::LIST_APPEND)?;
                } else {
                    elts.iter().try_for_each(|x| self.expr(x))?;
                    self.emit(Op::BUILD_LIST, elts.len() as u32);
                }
            }
            ExprKind::Set(elts) => {
                if has_starred(elts) {
                    self.starred_sequence(elts, Op::BUILD_SET, Op::SET_UPDATE, Op::SET_ADD)?;
                } else if elts.len() > 2 && elts.iter().all(|x| constant_of(x).is_some()) {
                    // CPython folds the items into a frozenset constant (added in source
                    // order), which its constant merging rebuilds from that frozenset's
                    // iteration order, then merges it into an empty set (`SET_UPDATE`).
                    // The same three steps give the same slot order: the target set, a set
                    // filled from a list of the first set's items, the first set.
                    self.emit(Op::BUILD_SET, 0);
                    self.emit(Op::BUILD_SET, 0);
                    self.emit(Op::BUILD_LIST, 0);
                    elts.iter().try_for_each(|x| self.expr(x))?;
                    self.emit(Op::BUILD_SET, elts.len() as u32);
                    self.emit(Op::LIST_EXTEND, 1);
                    self.emit(Op::SET_UPDATE, 1);
                    self.emit(Op::SET_UPDATE, 1);
                } else {
                    elts.iter().try_for_each(|x| self.expr(x))?;
                    self.emit(Op::BUILD_SET, elts.len() as u32);
                }
            }
            ExprKind::Dict(keys, values) => self.dict(keys, values)?,
            ExprKind::ListComp(elt, gens) => {
                self.comprehension(e, "<listcomp>", Comp::List(elt), gens)?
            }
            ExprKind::SetComp(elt, gens) => {
                self.comprehension(e, "<setcomp>", Comp::Set(elt), gens)?
            }
            ExprKind::DictComp(k, v, gens) => {
                self.comprehension(e, "<dictcomp>", Comp::Dict(k, v), gens)?
            }
            ExprKind::GeneratorExp(elt, gens) => {
                self.comprehension(e, "<genexpr>", Comp::Gen(elt), gens)?
            }
            ExprKind::Yield(v) => {
                self.check_yield(e)?;
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.emit_const(Const::None),
                }
                self.emit(Op::YIELD_VALUE, 0);
            }
            ExprKind::YieldFrom(v) => {
                self.check_yield(e)?;
                self.expr(v)?;
                self.emit(Op::GET_YIELD_FROM_ITER, 0);
                self.emit_const(Const::None);
                self.emit(Op::YIELD_FROM, 0);
            }
            ExprKind::NamedExpr(target, value) => {
                self.expr(value)?;
                self.emit(Op::DUP_TOP, 0);
                if let ExprKind::Name(n) = &target.kind {
                    self.name_op(n, Access::Store);
                }
            }
        }
        Ok(())
    }

    fn check_yield(&self, e: &Expr) -> PResult<()> {
        if self.unit_ref().kind != ScopeKind::Function {
            return Err(self.error("'yield' outside function", e.pos));
        }
        Ok(())
    }

    /// Jumps to `target` when `e`'s truth is `cond`, else falls through (short-circuiting
    /// `and`, `or` and `not` without materialising booleans).
    pub(super) fn jump_if(&mut self, e: &Expr, cond: bool, target: super::Label) -> PResult<()> {
        match &e.kind {
            ExprKind::UnaryOp(UnaryOp::Not, v) => return self.jump_if(v, !cond, target),
            ExprKind::BoolOp(op, values) => {
                let is_or = *op == BoolOp::Or;
                if is_or == cond {
                    // any operand deciding `cond` jumps
                    for v in values {
                        self.jump_if(v, cond, target)?;
                    }
                } else {
                    let skip = self.new_label();
                    let (last, rest) = values.split_last().expect("two operands");
                    for v in rest {
                        self.jump_if(v, !cond, skip)?;
                    }
                    self.jump_if(last, cond, target)?;
                    self.place(skip);
                }
                return Ok(());
            }
            _ => {}
        }
        self.expr(e)?;
        let old = self.set_line(e.pos.line);
        self.emit_jump(if cond { Op::POP_JUMP_IF_TRUE } else { Op::POP_JUMP_IF_FALSE }, target);
        self.set_line(old);
        Ok(())
    }

    fn compare(&mut self, left: &Expr, ops: &[(CmpOp, Expr)]) -> PResult<()> {
        self.expr(left)?;
        if ops.len() == 1 {
            self.expr(&ops[0].1)?;
            self.compare_op(ops[0].0);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for (i, (op, right)) in ops.iter().enumerate() {
            self.expr(right)?;
            if i + 1 < ops.len() {
                self.emit(Op::DUP_TOP, 0);
                self.emit(Op::ROT_THREE, 0);
                self.compare_op(*op);
                self.emit_jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
            } else {
                self.compare_op(*op);
            }
        }
        self.emit_jump(Op::JUMP, end);
        self.place(cleanup);
        self.emit(Op::ROT_TWO, 0);
        self.emit(Op::POP_TOP, 0);
        self.place(end);
        Ok(())
    }

    fn compare_op(&mut self, op: CmpOp) {
        let (o, a) = match op {
            CmpOp::Lt => (Op::COMPARE_OP, 0),
            CmpOp::LtE => (Op::COMPARE_OP, 1),
            CmpOp::Eq => (Op::COMPARE_OP, 2),
            CmpOp::NotEq => (Op::COMPARE_OP, 3),
            CmpOp::Gt => (Op::COMPARE_OP, 4),
            CmpOp::GtE => (Op::COMPARE_OP, 5),
            CmpOp::Is => (Op::IS_OP, 0),
            CmpOp::IsNot => (Op::IS_OP, 1),
            CmpOp::In => (Op::CONTAINS_OP, 0),
            CmpOp::NotIn => (Op::CONTAINS_OP, 1),
        };
        self.emit(o, a);
    }

    /// The index of a subscript: a slice becomes `BUILD_SLICE`.
    pub(super) fn subscript_index(&mut self, index: &Expr) -> PResult<()> {
        match &index.kind {
            ExprKind::Slice(lower, upper, step) => {
                for part in [lower, upper] {
                    match part {
                        Some(p) => self.expr(p)?,
                        None => self.emit_const(Const::None),
                    }
                }
                match step {
                    Some(s) => {
                        self.expr(s)?;
                        self.emit(Op::BUILD_SLICE, 3);
                    }
                    None => self.emit(Op::BUILD_SLICE, 2),
                }
                Ok(())
            }
            ExprKind::Tuple(elts) if elts.iter().any(|e| matches!(e.kind, ExprKind::Slice(..))) => {
                for e in elts {
                    self.subscript_index(e)?;
                }
                self.emit(Op::BUILD_TUPLE, elts.len() as u32);
                Ok(())
            }
            _ => self.expr(index),
        }
    }

    /// A list or set display with `*x` items: `build` the leading plain items, then
    /// `extend` with each starred one and `add` each later plain one.
    fn starred_sequence(&mut self, elts: &[Expr], build: Op, extend: Op, add: Op) -> PResult<()> {
        let lead = elts.iter().take_while(|e| !matches!(e.kind, ExprKind::Starred(_))).count();
        for e in &elts[..lead] {
            self.expr(e)?;
        }
        self.emit(build, lead as u32);
        for e in &elts[lead..] {
            match &e.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(extend, 1);
                }
                _ => {
                    self.expr(e)?;
                    self.emit(add, 1);
                }
            }
        }
        Ok(())
    }

    fn dict(&mut self, keys: &[Option<Expr>], values: &[Expr]) -> PResult<()> {
        if keys.iter().all(|k| k.is_some()) {
            for (k, v) in keys.iter().zip(values) {
                self.expr(k.as_ref().expect("checked"))?;
                self.expr(v)?;
            }
            self.emit(Op::BUILD_MAP, keys.len() as u32);
            return Ok(());
        }
        self.emit(Op::BUILD_MAP, 0);
        for (k, v) in keys.iter().zip(values) {
            match k {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::MAP_ADD, 1);
                }
                None => {
                    self.expr(v)?;
                    self.emit(Op::DICT_UPDATE, 1);
                }
            }
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &[FPart]) -> PResult<()> {
        if parts.is_empty() {
            self.emit_const(Const::Str(String::new()));
            return Ok(());
        }
        for p in parts {
            match p {
                FPart::Lit(s) => self.emit_const(Const::Str(s.clone())),
                FPart::Value { value, conversion, spec } => {
                    self.expr(value)?;
                    let mut flags = match conversion {
                        None => 0,
                        Some('s') => 1,
                        Some('r') => 2,
                        Some(_) => 3,
                    };
                    if let Some(spec) = spec {
                        self.fstring(spec)?;
                        flags |= 4;
                    }
                    self.emit(Op::FORMAT_VALUE, flags);
                }
            }
        }
        if parts.len() > 1 {
            self.emit(Op::BUILD_STRING, parts.len() as u32);
        }
        Ok(())
    }

    fn call(&mut self, f: &Expr, args: &[Expr], keywords: &[Keyword]) -> PResult<()> {
        let mut seen: Vec<&str> = Vec::new();
        for k in keywords {
            if let Some(name) = &k.arg {
                if seen.contains(&name.as_str()) {
                    return Err(self.error(format!("keyword argument repeated: {name}"), k.pos));
                }
                seen.push(name);
            }
        }
        let dynamic = has_starred(args) || keywords.iter().any(|k| k.arg.is_none());
        if dynamic {
            self.expr(f)?;
            if has_starred(args) {
                self.starred_sequence(args, Op::BUILD_LIST, Op::LIST_EXTEND, Op::LIST_APPEND)?;
                self.emit(Op::LIST_TO_TUPLE, 0);
            } else {
                args.iter().try_for_each(|a| self.expr(a))?;
                self.emit(Op::BUILD_TUPLE, args.len() as u32);
            }
            if keywords.is_empty() {
                self.emit(Op::CALL_FUNCTION_EX, 0);
                return Ok(());
            }
            self.emit(Op::BUILD_MAP, 0);
            for k in keywords {
                match &k.arg {
                    Some(name) => {
                        self.emit_const(Const::Str(name.clone()));
                        self.expr(&k.value)?;
                        self.emit(Op::BUILD_MAP, 1);
                        self.emit(Op::DICT_MERGE, 1);
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Op::DICT_MERGE, 1);
                    }
                }
            }
            self.emit(Op::CALL_FUNCTION_EX, 1);
            return Ok(());
        }
        if let (ExprKind::Attribute(obj, attr), true) = (&f.kind, keywords.is_empty()) {
            self.expr(obj)?;
            let i = self.attr_index(attr);
            let old = self.set_line(f.pos.end_line);
            self.emit(Op::LOAD_METHOD, i);
            self.set_line(old);
            args.iter().try_for_each(|a| self.expr(a))?;
            self.emit(Op::CALL_METHOD, args.len() as u32);
            return Ok(());
        }
        self.expr(f)?;
        args.iter().try_for_each(|a| self.expr(a))?;
        if keywords.is_empty() {
            self.emit(Op::CALL_FUNCTION, args.len() as u32);
            return Ok(());
        }
        let mut names = Vec::new();
        for k in keywords {
            self.expr(&k.value)?;
            names.push(Const::Str(k.arg.clone().expect("no ** here")));
        }
        self.emit_const(Const::Tuple(names));
        self.emit(Op::CALL_FUNCTION_KW, (args.len() + keywords.len()) as u32);
        Ok(())
    }

    /// Evaluates a function's defaults; returns the `MAKE_FUNCTION` flags for them.
    fn defaults(&mut self, args: &Arguments) -> PResult<u32> {
        let mut flags = 0;
        if !args.defaults.is_empty() {
            args.defaults.iter().try_for_each(|d| self.expr(d))?;
            self.emit(Op::BUILD_TUPLE, args.defaults.len() as u32);
            flags |= MF_DEFAULTS;
        }
        let kw: Vec<(&Arg, &Expr)> = args
            .kwonlyargs
            .iter()
            .zip(&args.kw_defaults)
            .filter_map(|(a, d)| d.as_ref().map(|d| (a, d)))
            .collect();
        if !kw.is_empty() {
            for (a, d) in &kw {
                let name = self.mangled(&a.name).into_owned();
                self.emit_const(Const::Str(name));
                self.expr(d)?;
            }
            self.emit(Op::BUILD_MAP, kw.len() as u32);
            flags |= MF_KWDEFAULTS;
        }
        Ok(flags)
    }

    fn set_arg_counts(&mut self, args: &Arguments) {
        let u = self.unit();
        u.argcount = args.args.len() as u32;
        u.kwonlyargcount = args.kwonlyargs.len() as u32;
        if args.vararg.is_some() {
            u.flags |= bytecode::CO_VARARGS;
        }
        if args.kwarg.is_some() {
            u.flags |= bytecode::CO_VARKEYWORDS;
        }
    }

    /// Arguments that live in cells are copied there first.
    fn copy_args_to_cells(&mut self) {
        let params = self.scope().params.clone();
        for (i, p) in params.iter().enumerate() {
            if self.scope().scope_of(p) == SymScope::Cell {
                self.emit(Op::LOAD_FAST, i as u32);
                let c = self.cell_index(p);
                self.emit(Op::STORE_DEREF, c);
            }
        }
    }

    /// `MAKE_FUNCTION` for `code`, with its closure when it has free variables.
    fn make_function(&mut self, code: bytecode::CodeObject, mut flags: u32) {
        if !code.freevars.is_empty() {
            for name in &code.freevars {
                let i = self.cell_index(name);
                self.emit(Op::LOAD_CLOSURE, i);
            }
            self.emit(Op::BUILD_TUPLE, code.freevars.len() as u32);
            flags |= MF_CLOSURE;
        }
        self.emit_const(Const::Code(Box::new(code)));
        self.emit(Op::MAKE_FUNCTION, flags);
    }

    /// CPython's `__qualname__` of a nested definition named `name`.
    fn qualname_for(&self, name: &str) -> String {
        let parent = self.unit_ref();
        match parent.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => {
                if self.scope().scope_of(name) == SymScope::GlobalExplicit {
                    name.to_string()
                } else {
                    format!("{}.{name}", parent.qualname)
                }
            }
            ScopeKind::Function => {
                if self.scope().scope_of(name) == SymScope::GlobalExplicit {
                    name.to_string()
                } else {
                    format!("{}.<locals>.{name}", parent.qualname)
                }
            }
        }
    }

    pub(super) fn function_def(&mut self, f: &'a FunctionDef, pos: Pos) -> PResult<()> {
        for d in &f.decorators {
            self.expr(d)?;
        }
        let flags = self.defaults(&f.args)?;
        if !self.table.future_annotations {
            // annotations are evaluated (for their errors) and dropped
            for a in f.args.all() {
                if let Some(an) = &a.annotation {
                    self.expr(an)?;
                    self.emit(Op::POP_TOP, 0);
                }
            }
            if let Some(r) = &f.returns {
                self.expr(r)?;
                self.emit(Op::POP_TOP, 0);
            }
        }
        let scope = self.table.scope_for(f);
        let qualname = self.qualname_for(&f.name);
        self.push_unit(scope, &f.name, qualname, pos.line);
        self.set_arg_counts(&f.args);
        // the first constant is the docstring or None, as in CPython
        let doc = match f.body.first().map(|s| &s.kind) {
            Some(StmtKind::Expr(Expr { kind: ExprKind::Constant(Constant::Str(s)), .. })) => {
                Const::Str(s.clone())
            }
            _ => Const::None,
        };
        self.add_const(doc);
        self.copy_args_to_cells();
        self.stmts(&f.body)?;
        if !ends_in_return(&f.body) {
            let last = f.body.last().map_or(pos.line, last_line);
            let old = self.set_line(last);
            self.emit_const(Const::None);
            self.emit(Op::RETURN_VALUE, 0);
            self.set_line(old);
        }
        let code = self.pop_unit();
        self.make_function(code, flags);
        for _ in &f.decorators {
            self.emit(Op::CALL_FUNCTION, 1);
        }
        self.name_op(&f.name, Access::Store);
        Ok(())
    }

    pub(super) fn class_def(&mut self, c: &'a ClassDef, pos: Pos) -> PResult<()> {
        if let Some(k) = c.keywords.first() {
            return Err(crate::parser::unsupported_at(
                "a keyword argument in a class definition (metaclass=...)",
                k.pos,
            ));
        }
        if let Some(b) = c.bases.iter().find(|b| matches!(b.kind, ExprKind::Starred(_))) {
            return Err(crate::parser::unsupported_at("a starred base class", b.pos));
        }
        for d in &c.decorators {
            self.expr(d)?;
        }
        let scope = self.table.scope_for(c);
        let qualname = self.qualname_for(&c.name);
        self.push_unit(scope, &c.name, qualname.clone(), pos.line);
        self.unit().private = Some(c.name.clone());
        self.name_op("__name__", Access::Load);
        self.name_op("__module__", Access::Store);
        self.emit_const(Const::Str(qualname));
        self.name_op("__qualname__", Access::Store);
        self.body_with_docstring(&c.body, true)?;
        if self.scope().needs_class_closure {
            let i = self.cell_index("__class__");
            self.emit(Op::LOAD_CLOSURE, i);
        } else {
            self.emit_const(Const::None);
        }
        self.emit(Op::RETURN_VALUE, 0);
        let code = self.pop_unit();
        self.make_function(code, 0);
        self.emit_const(Const::Str(c.name.clone()));
        for b in &c.bases {
            self.expr(b)?;
        }
        // CPython's location of a class statement spans its body
        let end_line = c.body.last().map_or(pos.end_line, last_line).max(pos.end_line);
        self.set_loc(crate::location::Loc::of_pos(Pos { end_line, ..pos }));
        self.emit(Op::BUILD_CLASS, c.bases.len() as u32);
        for _ in &c.decorators {
            self.emit(Op::CALL_FUNCTION, 1);
        }
        self.name_op(&c.name, Access::Store);
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &Expr,
        name: &str,
        comp: Comp<'_>,
        gens: &[Comprehension],
    ) -> PResult<()> {
        let scope = self.table.scope_for(e);
        let qualname = self.qualname_for(name);
        self.push_unit(scope, name, qualname, e.pos.line);
        self.unit().argcount = 1;
        self.copy_args_to_cells();
        match comp {
            Comp::List(_) => self.emit(Op::BUILD_LIST, 0),
            Comp::Set(_) => self.emit(Op::BUILD_SET, 0),
            Comp::Dict(..) => self.emit(Op::BUILD_MAP, 0),
            Comp::Gen(_) => {}
        }
        self.comprehension_loop(&comp, gens, 0)?;
        if let Comp::Gen(_) = comp {
            self.emit_const(Const::None);
        }
        self.emit(Op::RETURN_VALUE, 0);
        let code = self.pop_unit();
        self.make_function(code, 0);
        self.expr(&gens[0].iter)?;
        self.emit(Op::GET_ITER, 0);
        self.emit(Op::CALL_FUNCTION, 1);
        Ok(())
    }

    fn comprehension_loop(
        &mut self,
        comp: &Comp<'_>,
        gens: &[Comprehension],
        level: usize,
    ) -> PResult<()> {
        let g = &gens[level];
        let start = self.new_label();
        let end = self.new_label();
        if level == 0 {
            self.emit(Op::LOAD_FAST, 0);
        } else {
            self.expr(&g.iter)?;
            self.emit(Op::GET_ITER, 0);
        }
        self.place(start);
        self.emit_jump(Op::FOR_ITER, end);
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, start)?;
        }
        if level + 1 < gens.len() {
            self.comprehension_loop(comp, gens, level + 1)?;
        } else {
            // the container sits below one iterator per level
            let depth = gens.len() as u32 + 1;
            match comp {
                Comp::List(elt) => {
                    self.expr(elt)?;
                    self.emit(Op::LIST_APPEND, depth);
                }
                Comp::Set(elt) => {
                    self.expr(elt)?;
                    self.emit(Op::SET_ADD, depth);
                }
                Comp::Dict(k, v) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::MAP_ADD, depth);
                }
                Comp::Gen(elt) => {
                    self.expr(elt)?;
                    self.emit(Op::YIELD_VALUE, 0);
                    self.emit(Op::POP_TOP, 0);
                }
            }
        }
        self.emit_jump(Op::JUMP, start);
        self.place(end);
        Ok(())
    }
}

/// What a comprehension builds.
enum Comp<'e> {
    List(&'e Expr),
    Set(&'e Expr),
    Dict(&'e Expr, &'e Expr),
    Gen(&'e Expr),
}

fn has_starred(elts: &[Expr]) -> bool {
    elts.iter().any(|e| matches!(e.kind, ExprKind::Starred(_)))
}

/// The constant an expression folds to: literals, `-literal` and tuples of constants.
fn constant_of(e: &Expr) -> Option<Const> {
    match &e.kind {
        ExprKind::Constant(c) => Some(match c {
            Constant::None => Const::None,
            Constant::Bool(b) => Const::Bool(*b),
            Constant::Int(IntValue::Small(v)) => Const::Int(*v),
            Constant::Int(IntValue::Big(s)) => Const::BigInt(s.clone()),
            Constant::Float(f) => Const::Float(*f),
            Constant::Str(s) => Const::Str(s.clone()),
            Constant::Ellipsis => Const::Ellipsis,
            Constant::Bytes(b) => Const::Bytes(b.clone()),
        }),
        ExprKind::UnaryOp(UnaryOp::USub, inner) => match &inner.kind {
            ExprKind::Constant(Constant::Int(v)) => Some(match crate::number::negate(v) {
                IntValue::Small(v) => Const::Int(v),
                IntValue::Big(s) => Const::BigInt(s),
            }),
            ExprKind::Constant(Constant::Float(f)) => Some(Const::Float(-f)),
            _ => None,
        },
        ExprKind::Tuple(elts) => {
            let items: Option<Vec<Const>> = elts.iter().map(constant_of).collect();
            items.map(Const::Tuple)
        }
        _ => None,
    }
}

fn ends_in_return(body: &[Stmt]) -> bool {
    matches!(body.last().map(|s| &s.kind), Some(StmtKind::Return(_)) | Some(StmtKind::Raise(..)))
}

/// The last line a statement's code is attributed to (for the implicit `return None`).
pub(super) fn last_line(s: &Stmt) -> u32 {
    match &s.kind {
        StmtKind::If(_, b, o) | StmtKind::While(_, b, o) | StmtKind::For(_, _, b, o) => {
            o.last().or(b.last()).map_or(s.pos.line, last_line)
        }
        StmtKind::Try(b, h, o, f) => f
            .last()
            .or(o.last())
            .or(h.last().and_then(|h| h.body.last()))
            .or(b.last())
            .map_or(s.pos.line, last_line),
        StmtKind::With(_, b) => b.last().map_or(s.pos.line, last_line),
        _ => s.pos.line,
    }
}
