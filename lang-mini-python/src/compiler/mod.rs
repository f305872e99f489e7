//! The compiler: AST + symbol table to code objects (one per module, class body, function,
//! lambda and comprehension), as CPython 3.11's `compile.c` shapes them.
//!
//! Layout: this module holds the unit state (`Unit`: instructions with labels, constant and
//! name tables, the stack of `FBlock`s and of exception handlers) and name resolution;
//! `stmt.rs` compiles statements (loops, `try`, `with` and the unwinding that `return`,
//! `break` and `continue` do through them), `expr.rs` expressions, calls, comprehensions
//! and the making of functions and classes; `assemble.rs` turns a unit into a `CodeObject`
//! (labels to instruction indexes, stack depth, exception table).
//!
//! Vocabulary: a `Label` is a jump target not placed yet; a `HandlerId` names an exception
//! handler: its label and the stack depth it keeps. Every emitted instruction is tagged
//! with the innermost active handler (`Unit::handlers`), and the exception table is made
//! from runs of equal tags — so code inlined for a `finally` on the way out of a `try`
//! (compiled with the handler stack as it is outside) is never protected by the handler of
//! the `try` it leaves.

mod assemble;
mod expr;
mod stmt;

use std::collections::HashMap;

use crate::ast::*;
use crate::bytecode::{CodeObject, Const, Op};
use crate::error::{PResult, SyntaxError};
use crate::location::Loc;
use crate::symtable::{ScopeIdx, ScopeKind, SymScope, SymbolTable};

/// A jump target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(u32);

/// An exception handler of the unit being compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HandlerId(u32);

/// An instruction before assembly.
#[derive(Clone, Debug)]
pub(crate) enum Ins {
    /// A real instruction (jump arguments are label numbers).
    Op {
        /// The opcode.
        op: Op,
        /// The argument.
        arg: u32,
        /// Its source line.
        line: u32,
        /// Its source location.
        loc: Loc,
        /// The innermost handler protecting it.
        handler: Option<HandlerId>,
    },
    /// A label's position.
    Label(Label),
    /// The start of a handler's protected region: the handler keeps the stack depth here
    /// minus `below`.
    Setup(HandlerId, u32),
}

/// What `return`, `break` and `continue` must undo on their way out.
#[derive(Clone, Debug)]
pub(crate) enum FBlock<'a> {
    /// A `while` loop: its start and exit.
    While(Label, Label),
    /// A `for` loop (its iterator is on the stack): its start and exit.
    For(Label, Label),
    /// The body of a `try` with `except` clauses.
    TryExcept,
    /// The body of a `try` with `finally`: the finally body, inlined on the way out.
    FinallyTry(&'a [Stmt]),
    /// The exceptional copy of a finally body (`prev exc` on the stack).
    FinallyEnd,
    /// An `except` clause's body (`prev` on the stack); the `as` name is cleared on exit.
    HandlerCleanup(Option<String>),
    /// A `with` body (the bound `__exit__` on the stack).
    With,
}

/// An `FBlock` and the handler stack height outside it.
#[derive(Clone, Debug)]
pub(crate) struct FEntry<'a> {
    block: FBlock<'a>,
    handlers_outside: usize,
}

/// A code object being compiled.
pub(crate) struct Unit<'a> {
    scope: ScopeIdx,
    kind: ScopeKind,
    name: String,
    qualname: String,
    first_line: u32,
    argcount: u32,
    kwonlyargcount: u32,
    flags: u32,
    instrs: Vec<Ins>,
    consts: Vec<Const>,
    const_index: HashMap<String, u32>,
    names: Vec<String>,
    varnames: Vec<String>,
    cellvars: Vec<String>,
    freevars: Vec<String>,
    labels: u32,
    /// Handler labels and depths below their setup (by `HandlerId`).
    handler_labels: Vec<Label>,
    handlers: Vec<HandlerId>,
    fblocks: Vec<FEntry<'a>>,
    line: u32,
    /// The location of the node being compiled.
    loc: Loc,
    /// The innermost enclosing class's name, for private-name mangling.
    private: Option<String>,
}

/// Compiles a module whose symbol table is `table`.
pub fn compile_module(module: &[Stmt], table: &SymbolTable, filename: &str) -> PResult<CodeObject> {
    compile_unit(module, table, filename, false)
}

/// Compiles one input of the REPL: as a module, except that the value of an expression
/// statement at its top level is echoed (`PRINT_EXPR`, CPython's "single" mode) and a
/// leading string is not a docstring.
pub fn compile_interactive(
    module: &[Stmt],
    table: &SymbolTable,
    filename: &str,
) -> PResult<CodeObject> {
    compile_unit(module, table, filename, true)
}

fn compile_unit(
    module: &[Stmt],
    table: &SymbolTable,
    filename: &str,
    interactive: bool,
) -> PResult<CodeObject> {
    let mut c = Compiler { table, filename: filename.to_string(), units: Vec::new(), interactive };
    c.push_unit(0, "<module>", "<module>".into(), 1);
    c.check_future_imports(module)?;
    c.body_with_docstring(module, !interactive)?;
    c.emit_const(Const::None);
    c.emit(Op::RETURN_VALUE, 0);
    Ok(c.pop_unit())
}

pub(crate) struct Compiler<'a> {
    table: &'a SymbolTable,
    filename: String,
    units: Vec<Unit<'a>>,
    /// Compiling a REPL input: top-level expression statements echo their value.
    interactive: bool,
}

impl<'a> Compiler<'a> {
    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("compiling inside a unit")
    }

    fn unit_ref(&self) -> &Unit<'a> {
        self.units.last().expect("compiling inside a unit")
    }

    fn push_unit(&mut self, scope: ScopeIdx, name: &str, qualname: String, first_line: u32) {
        let s = &self.table.scopes[scope];
        let mut u = Unit {
            scope,
            kind: s.kind,
            name: name.to_string(),
            qualname,
            first_line,
            argcount: 0,
            kwonlyargcount: 0,
            flags: 0,
            instrs: Vec::new(),
            consts: Vec::new(),
            const_index: HashMap::new(),
            names: Vec::new(),
            varnames: s.params.clone(),
            cellvars: s.cellvars(),
            freevars: s.freevars(),
            labels: 0,
            handler_labels: Vec::new(),
            handlers: Vec::new(),
            fblocks: Vec::new(),
            line: first_line,
            loc: Loc::default(),
            private: self.units.last().and_then(|p| p.private.clone()),
        };
        if s.kind == ScopeKind::Function {
            u.flags |= crate::bytecode::CO_OPTIMIZED | crate::bytecode::CO_NEWLOCALS;
            if s.is_generator {
                u.flags |= crate::bytecode::CO_GENERATOR;
            }
            if self.units.iter().any(|p| p.kind == ScopeKind::Function) {
                u.flags |= crate::bytecode::CO_NESTED;
            }
        }
        self.units.push(u);
    }

    fn pop_unit(&mut self) -> CodeObject {
        let u = self.units.pop().expect("a unit to finish");
        assemble::assemble(u, &self.filename)
    }

    fn scope(&self) -> &crate::symtable::Scope {
        &self.table.scopes[self.unit_ref().scope]
    }

    fn new_label(&mut self) -> Label {
        let u = self.unit();
        u.labels += 1;
        Label(u.labels - 1)
    }

    fn place(&mut self, l: Label) {
        self.unit().instrs.push(Ins::Label(l));
    }

    fn emit(&mut self, op: Op, arg: u32) {
        let u = self.unit();
        let handler = u.handlers.last().copied();
        let line = u.line;
        let loc = u.loc;
        u.instrs.push(Ins::Op { op, arg, line, loc, handler });
    }

    fn emit_jump(&mut self, op: Op, l: Label) {
        self.emit(op, l.0);
    }

    /// A new handler whose code starts at a new label; its region starts here (the depth
    /// it keeps is the current one minus `below`).
    fn push_handler(&mut self, below: u32) -> (HandlerId, Label) {
        let l = self.new_label();
        let u = self.unit();
        let h = HandlerId(u.handler_labels.len() as u32);
        u.handler_labels.push(l);
        u.instrs.push(Ins::Setup(h, below));
        u.handlers.push(h);
        (h, l)
    }

    fn pop_handler(&mut self, h: HandlerId) {
        let popped = self.unit().handlers.pop();
        debug_assert_eq!(popped, Some(h));
    }

    fn push_fblock(&mut self, block: FBlock<'a>) {
        let handlers_outside = self.unit_ref().handlers.len();
        self.unit().fblocks.push(FEntry { block, handlers_outside });
    }

    /// Pushes a block that, when left early, also leaves the handlers above `outside`.
    fn push_fblock_outside(&mut self, block: FBlock<'a>, outside: usize) {
        self.unit().fblocks.push(FEntry { block, handlers_outside: outside });
    }

    fn pop_fblock(&mut self) {
        self.unit().fblocks.pop();
    }

    fn set_line(&mut self, line: u32) -> u32 {
        std::mem::replace(&mut self.unit().line, line)
    }

    /// Sets the location of the instructions to come; returns the previous one.
    fn set_loc(&mut self, loc: Loc) -> Loc {
        std::mem::replace(&mut self.unit().loc, loc)
    }

    fn add_const(&mut self, c: Const) -> u32 {
        let u = self.unit();
        match c.merge_key() {
            Some(k) => {
                if let Some(&i) = u.const_index.get(&k) {
                    return i;
                }
                u.consts.push(c);
                let i = u.consts.len() as u32 - 1;
                u.const_index.insert(k, i);
                i
            }
            None => {
                u.consts.push(c);
                u.consts.len() as u32 - 1
            }
        }
    }

    fn emit_const(&mut self, c: Const) {
        let i = self.add_const(c);
        self.emit(Op::LOAD_CONST, i);
    }

    /// A name as the code sees it (`__x` inside a class is `_C__x`).
    fn mangled<'n>(&self, name: &'n str) -> std::borrow::Cow<'n, str> {
        crate::symtable::mangle(self.unit_ref().private.as_deref(), name)
    }

    /// The index of an attribute name (mangled) in `names`.
    fn attr_index(&mut self, attr: &str) -> u32 {
        let m = self.mangled(attr).into_owned();
        self.name_index(&m)
    }

    fn name_index(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(i) = u.names.iter().position(|n| n == name) {
            return i as u32;
        }
        u.names.push(name.to_string());
        u.names.len() as u32 - 1
    }

    fn varname_index(&mut self, name: &str) -> u32 {
        let u = self.unit();
        if let Some(i) = u.varnames.iter().position(|n| n == name) {
            return i as u32;
        }
        u.varnames.push(name.to_string());
        u.varnames.len() as u32 - 1
    }

    fn cell_index(&self, name: &str) -> u32 {
        let u = self.unit_ref();
        if let Some(i) = u.cellvars.iter().position(|n| n == name) {
            return i as u32;
        }
        let i = u.freevars.iter().position(|n| n == name).expect("a cell or free variable");
        (u.cellvars.len() + i) as u32
    }

    /// Loads, stores or deletes a variable with the instruction its scope calls for.
    fn name_op(&mut self, name: &str, access: Access) {
        let mangled = self.mangled(name).into_owned();
        let name = mangled.as_str();
        let unit_kind = self.unit_ref().kind;
        let sym = self.scope().symbols.get(name).copied();
        let scope = sym.map_or(SymScope::GlobalImplicit, |s| s.scope);
        #[derive(PartialEq)]
        enum Kind {
            Fast,
            Deref,
            Global,
            Name,
        }
        let kind = match scope {
            SymScope::Free | SymScope::Cell => Kind::Deref,
            SymScope::Local if unit_kind == ScopeKind::Function => Kind::Fast,
            SymScope::GlobalImplicit if unit_kind == ScopeKind::Function => Kind::Global,
            SymScope::GlobalExplicit => Kind::Global,
            _ => Kind::Name,
        };
        let (op, arg) = match kind {
            Kind::Fast => {
                let i = self.varname_index(name);
                (
                    match access {
                        Access::Load => Op::LOAD_FAST,
                        Access::Store => Op::STORE_FAST,
                        Access::Delete => Op::DELETE_FAST,
                    },
                    i,
                )
            }
            Kind::Deref => {
                let i = self.cell_index(name);
                (
                    match access {
                        Access::Load if unit_kind == ScopeKind::Class => Op::LOAD_CLASSDEREF,
                        Access::Load => Op::LOAD_DEREF,
                        Access::Store => Op::STORE_DEREF,
                        Access::Delete => Op::DELETE_DEREF,
                    },
                    i,
                )
            }
            Kind::Global => {
                let i = self.name_index(name);
                (
                    match access {
                        Access::Load => Op::LOAD_GLOBAL,
                        Access::Store => Op::STORE_GLOBAL,
                        Access::Delete => Op::DELETE_GLOBAL,
                    },
                    i,
                )
            }
            Kind::Name => {
                let i = self.name_index(name);
                (
                    match access {
                        Access::Load => Op::LOAD_NAME,
                        Access::Store => Op::STORE_NAME,
                        Access::Delete => Op::DELETE_NAME,
                    },
                    i,
                )
            }
        };
        self.emit(op, arg);
    }

    /// A body whose first statement may be a docstring (`__doc__` for modules and classes).
    fn body_with_docstring(&mut self, body: &'a [Stmt], store_doc: bool) -> PResult<()> {
        let mut rest = body;
        if store_doc {
            if let Some(Stmt {
                kind: StmtKind::Expr(Expr { kind: ExprKind::Constant(Constant::Str(s)), .. }),
                pos,
            }) = body.first()
            {
                let old = self.set_line(pos.line);
                self.emit_const(Const::Str(s.clone()));
                self.name_op("__doc__", Access::Store);
                self.set_line(old);
                rest = &body[1..];
            }
        }
        self.stmts(rest)
    }

    fn check_future_imports(&mut self, module: &[Stmt]) -> PResult<()> {
        let mut at_start = true;
        for (i, s) in module.iter().enumerate() {
            match &s.kind {
                StmtKind::ImportFrom(m, names) if m == "__future__" => {
                    if !at_start {
                        return Err(SyntaxError::new(
                            "from __future__ imports must occur at the beginning of the file",
                            s.pos.line,
                            s.pos.col,
                            s.pos.end_col,
                        ));
                    }
                    for a in names {
                        const KNOWN: &[&str] = &[
                            "nested_scopes",
                            "generators",
                            "division",
                            "absolute_import",
                            "with_statement",
                            "print_function",
                            "unicode_literals",
                            "barry_as_FLUFL",
                            "generator_stop",
                            "annotations",
                        ];
                        if !KNOWN.contains(&a.name.as_str()) {
                            return Err(SyntaxError::new(
                                format!("future feature {} is not defined", a.name),
                                s.pos.line,
                                s.pos.col,
                                s.pos.col,
                            ));
                        }
                        if a.name == "barry_as_FLUFL" {
                            return Err(crate::parser::unsupported_at(
                                "'from __future__ import barry_as_FLUFL'",
                                s.pos,
                            ));
                        }
                    }
                }
                StmtKind::Expr(Expr { kind: ExprKind::Constant(Constant::Str(_)), .. })
                    if i == 0 => {}
                _ => at_start = false,
            }
        }
        Ok(())
    }

    fn error(&self, msg: impl Into<String>, pos: Pos) -> SyntaxError {
        let end = if pos.end_line == pos.line { pos.end_col } else { pos.col + 1 };
        SyntaxError::new(msg, pos.line, pos.col, end)
    }
}

/// How a variable is accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Read.
    Load,
    /// Bound.
    Store,
    /// `del`.
    Delete,
}
