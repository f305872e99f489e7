//! Scopes decided at compile time, exactly as CPython 3.11's `symtable.c` decides them.
//!
//! Vocabulary: a `Scope` is a module, class body or function (lambdas and comprehensions
//! are functions named `lambda`, `listcomp`, `setcomp`, `dictcomp`, `genexpr`). Each
//! name used in a scope has `flags` (how the scope uses it: `DEF_LOCAL`, `DEF_PARAM`,
//! `USE`, ...) and, after analysis, a `SymScope`:
//! - `Local`: bound here (assigned, a parameter, imported, a `def`/`class` name);
//! - `Cell`: local here and read by a nested function (lives in a cell);
//! - `Free`: bound in an enclosing function (read through a cell);
//! - `GlobalExplicit`: declared `global`; `GlobalImplicit`: not bound in any enclosing
//!   function, so looked up in globals then builtins.
//!
//! Class bodies do not bind names for nested functions (a method cannot see class
//! attributes as variables); a method that uses `super` or `__class__` gets a free
//! `__class__` that the class body provides as a cell (`needs_class_closure`).
//!
//! Assignment expressions (`:=`) bind their target as `namedexpr.rs` says (in a
//! comprehension: the enclosing function's local, or a global at module level).
//!
//! Invariants: `build` visits nested scopes in source order; `Scope::children` keeps that
//! order; the compiler finds a nested scope by its AST node's address (`ScopeKey`), which is
//! stable because the AST is not moved between `build` and compilation.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ast::*;
use crate::error::{PResult, SyntaxError};

mod namedexpr;

/// The name is assigned in this scope.
pub const DEF_LOCAL: u32 = 1;
/// The name is declared `global`.
pub const DEF_GLOBAL: u32 = 2;
/// The name is declared `nonlocal`.
pub const DEF_NONLOCAL: u32 = 4;
/// The name is a parameter.
pub const DEF_PARAM: u32 = 8;
/// The name is read.
pub const USE: u32 = 16;
/// A free variable of a method that the class body also binds or declares global.
pub const DEF_FREE_CLASS: u32 = 32;
/// The name is bound by an import.
pub const DEF_IMPORT: u32 = 64;
/// The name is annotated.
pub const DEF_ANNOT: u32 = 128;
/// The name is an iteration variable of a comprehension (`for x in ...` inside it).
pub const DEF_COMP_ITER: u32 = 256;
/// Any binding.
pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

/// What kind of block a scope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The module.
    Module,
    /// A class body.
    Class,
    /// A function, lambda or comprehension.
    Function,
}

/// Where a name lives (CPython's `LOCAL`, `GLOBAL_EXPLICIT`, `GLOBAL_IMPLICIT`, `FREE`,
/// `CELL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymScope {
    /// Bound in this scope.
    Local,
    /// Declared `global`.
    GlobalExplicit,
    /// Global (or builtin) because no enclosing function binds it.
    GlobalImplicit,
    /// Bound in an enclosing function.
    Free,
    /// Bound here and captured by a nested function.
    Cell,
}

impl SymScope {
    /// The lower-case name used in dumps (`local`, `global_explicit`, ...).
    pub fn name(self) -> &'static str {
        match self {
            SymScope::Local => "local",
            SymScope::GlobalExplicit => "global_explicit",
            SymScope::GlobalImplicit => "global_implicit",
            SymScope::Free => "free",
            SymScope::Cell => "cell",
        }
    }
}

/// One name in one scope.
#[derive(Clone, Copy, Debug)]
pub struct Symbol {
    /// How the scope uses it (`DEF_*`, `USE`).
    pub flags: u32,
    /// Where it lives (after analysis).
    pub scope: SymScope,
}

/// Index of a scope in `SymbolTable::scopes` (0 is the module).
pub type ScopeIdx = usize;

/// The address of the AST node that opens a scope.
pub type ScopeKey = usize;

/// One scope.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Module, class or function.
    pub kind: ScopeKind,
    /// `top`, the class or function name, `lambda`, `listcomp`, `genexpr`, ...
    pub name: String,
    /// The line of the `def`/`class`/expression (0 for the module).
    pub line: u32,
    /// Names and their symbols, sorted by name.
    pub symbols: BTreeMap<String, Symbol>,
    /// The parameters in order (positional, keyword-only, `*args`, `**kwargs`).
    pub params: Vec<String>,
    /// Nested scopes in source order.
    pub children: Vec<ScopeIdx>,
    /// A function containing `yield` (also every generator expression).
    pub is_generator: bool,
    /// A comprehension or generator expression.
    pub is_comprehension: bool,
    /// A class body whose methods use `super`/`__class__`.
    pub needs_class_closure: bool,
    /// Where each `global`/`nonlocal` name was declared (for errors).
    directives: HashMap<String, Pos>,
    /// Inside how many comprehension iterable expressions the visit is (CPython's
    /// `ste_comp_iter_expr`: an assignment expression there is an error).
    comp_iter_expr: u32,
}

impl Scope {
    /// The scope of `name` here (`GlobalImplicit` if the scope never mentions it).
    pub fn scope_of(&self, name: &str) -> SymScope {
        self.symbols.get(name).map_or(SymScope::GlobalImplicit, |s| s.scope)
    }

    /// Cell variables, sorted (CPython orders cells and frees by name).
    pub fn cellvars(&self) -> Vec<String> {
        let mut cells: Vec<String> = self
            .symbols
            .iter()
            .filter(|(_, s)| s.scope == SymScope::Cell)
            .map(|(n, _)| n.clone())
            .collect();
        if self.needs_class_closure {
            cells.push("__class__".to_string());
            cells.sort();
        }
        cells
    }

    /// Free variables, sorted.
    pub fn freevars(&self) -> Vec<String> {
        self.symbols
            .iter()
            .filter(|(_, s)| s.scope == SymScope::Free || s.flags & DEF_FREE_CLASS != 0)
            .map(|(n, _)| n.clone())
            .collect()
    }
}

/// Every scope of a module.
#[derive(Clone, Debug)]
pub struct SymbolTable {
    /// The scopes; 0 is the module.
    pub scopes: Vec<Scope>,
    /// The scope each `def`, `class`, lambda or comprehension node opens.
    pub by_node: HashMap<ScopeKey, ScopeIdx>,
    /// `from __future__ import annotations` is in effect.
    pub future_annotations: bool,
}

impl SymbolTable {
    /// The scope a node opens.
    pub fn scope_for<T>(&self, node: &T) -> ScopeIdx {
        self.by_node[&(node as *const T as usize)]
    }

    /// A dump of every scope (sorted symbols), the form the scoping tests compare with
    /// CPython's `symtable` module.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        self.dump_scope(0, &mut out);
        out
    }

    fn dump_scope(&self, idx: ScopeIdx, out: &mut String) {
        let s = &self.scopes[idx];
        let kind = match s.kind {
            ScopeKind::Module => "module",
            ScopeKind::Class => "class",
            ScopeKind::Function => "function",
        };
        out.push_str(&format!("{kind} {} line {}\n", s.name, s.line));
        for (name, sym) in &s.symbols {
            let param = if sym.flags & DEF_PARAM != 0 { " param" } else { "" };
            out.push_str(&format!("  {name}: {}{param}\n", sym.scope.name()));
        }
        for &c in &s.children {
            self.dump_scope(c, out);
        }
    }
}

/// CPython's private-name mangling: inside class `C`, `__x` (not ending in `__`) is
/// `_C__x` (the class name without its leading underscores; no mangling if that is empty).
pub fn mangle<'n>(private: Option<&str>, name: &'n str) -> std::borrow::Cow<'n, str> {
    let Some(class) = private else { return name.into() };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.into();
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return name.into();
    }
    format!("_{stripped}{name}").into()
}

/// CPython 3.11's limit on the nesting of statements and expressions (its symbol table
/// counts one level per visited node: 1000 frames times `COMPILER_STACK_FRAME_SCALE`).
pub const MAX_DEPTH: u32 = 3000;

/// Builds and analyses the symbol table of a module.
pub fn build(module: &[Stmt]) -> PResult<SymbolTable> {
    let future_annotations = module.iter().any(|s| {
        matches!(&s.kind, StmtKind::ImportFrom(m, names) if m == "__future__" && names.iter().any(|a| a.name == "annotations"))
    });
    let mut b = Builder {
        table: SymbolTable { scopes: Vec::new(), by_node: HashMap::new(), future_annotations },
        stack: Vec::new(),
        depth: 0,
        private: None,
    };
    b.enter(ScopeKind::Module, "top", 0, 0);
    for s in module {
        b.stmt(s)?;
    }
    b.stack.pop();
    let mut free = BTreeSet::new();
    let mut global = BTreeSet::new();
    analyze_block(&mut b.table.scopes, 0, None, &mut free, &mut global)?;
    Ok(b.table)
}

struct Builder {
    table: SymbolTable,
    stack: Vec<ScopeIdx>,
    /// Nesting of the node being visited (statements and expressions).
    depth: u32,
    /// The innermost enclosing class's name (for private-name mangling).
    private: Option<String>,
}

impl Builder {
    fn cur(&mut self) -> &mut Scope {
        let i = *self.stack.last().expect("inside a scope");
        &mut self.table.scopes[i]
    }

    fn enter(&mut self, kind: ScopeKind, name: &str, line: u32, key: ScopeKey) {
        let idx = self.table.scopes.len();
        self.table.scopes.push(Scope {
            kind,
            name: name.to_string(),
            line,
            symbols: BTreeMap::new(),
            params: Vec::new(),
            children: Vec::new(),
            is_generator: false,
            is_comprehension: false,
            needs_class_closure: false,
            directives: HashMap::new(),
            comp_iter_expr: 0,
        });
        if let Some(&parent) = self.stack.last() {
            self.table.scopes[parent].children.push(idx);
        }
        if key != 0 {
            self.table.by_node.insert(key, idx);
        }
        self.stack.push(idx);
    }

    fn add_def(&mut self, name: &str, flag: u32, pos: Pos) -> PResult<()> {
        let mangled = mangle(self.private.as_deref(), name).into_owned();
        let name = mangled.as_str();
        let scope = self.cur();
        let sym = scope
            .symbols
            .entry(name.to_string())
            .or_insert(Symbol { flags: 0, scope: SymScope::GlobalImplicit });
        if flag & DEF_PARAM != 0 && sym.flags & DEF_PARAM != 0 {
            return Err(SyntaxError::new(
                format!("duplicate argument '{name}' in function definition"),
                pos.line,
                pos.col,
                pos.end_col,
            ));
        }
        sym.flags |= flag;
        if flag & DEF_PARAM != 0 {
            scope.params.push(name.to_string());
        }
        if flag & DEF_GLOBAL != 0 {
            // CPython records every `global` declaration in the module's table too
            let module = &mut self.table.scopes[0];
            module
                .symbols
                .entry(name.to_string())
                .or_insert(Symbol { flags: 0, scope: SymScope::GlobalImplicit })
                .flags |= DEF_GLOBAL;
        }
        Ok(())
    }

    fn flags(&mut self, name: &str) -> u32 {
        let mangled = mangle(self.private.as_deref(), name).into_owned();
        self.cur().symbols.get(&mangled).map_or(0, |s| s.flags)
    }

    fn stmts(&mut self, body: &[Stmt]) -> PResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn annotation(&mut self, e: &Expr) -> PResult<()> {
        if self.table.future_annotations {
            return Ok(());
        }
        self.expr(e)
    }

    /// Visits one node one level deeper; past `MAX_DEPTH`, CPython's `RecursionError`.
    fn deeper(&mut self, pos: Pos, f: impl FnOnce(&mut Self) -> PResult<()>) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new(
                "maximum recursion depth exceeded during compilation",
                pos.line,
                pos.col,
                pos.col,
            )
            .with_kind(crate::error::ErrorKind::Recursion));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn stmt(&mut self, s: &Stmt) -> PResult<()> {
        self.deeper(s.pos, |b| b.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: &Stmt) -> PResult<()> {
        match &s.kind {
            StmtKind::FunctionDef(f) => {
                self.add_def(&f.name, DEF_LOCAL, s.pos)?;
                self.defaults(&f.args)?;
                for a in f.args.all() {
                    if let Some(an) = &a.annotation {
                        self.annotation(an)?;
                    }
                }
                if let Some(r) = &f.returns {
                    self.annotation(r)?;
                }
                for d in &f.decorators {
                    self.expr(d)?;
                }
                self.enter(
                    ScopeKind::Function,
                    &f.name,
                    s.pos.line,
                    &**f as *const FunctionDef as usize,
                );
                self.params(&f.args)?;
                self.stmts(&f.body)?;
                self.stack.pop();
            }
            StmtKind::ClassDef(c) => {
                self.add_def(&c.name, DEF_LOCAL, s.pos)?;
                for b in &c.bases {
                    self.expr(b)?;
                }
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
                for d in &c.decorators {
                    self.expr(d)?;
                }
                self.enter(ScopeKind::Class, &c.name, s.pos.line, &**c as *const ClassDef as usize);
                let outer = self.private.replace(c.name.clone());
                self.stmts(&c.body)?;
                self.private = outer;
                self.stack.pop();
            }
            StmtKind::Expr(e) => self.expr(e)?,
            StmtKind::Assign(targets, value) => {
                for t in targets {
                    self.expr_ctx(t, DEF_LOCAL)?;
                }
                self.expr(value)?;
            }
            StmtKind::AugAssign(t, _, v) => {
                self.expr_ctx(t, DEF_LOCAL)?;
                self.expr(v)?;
            }
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if let ExprKind::Name(n) = &target.kind {
                    if self.flags(n) & (DEF_GLOBAL | DEF_NONLOCAL) != 0
                        && self.cur().directives.contains_key(n)
                    {
                        let what =
                            if self.flags(n) & DEF_GLOBAL != 0 { "global" } else { "nonlocal" };
                        return Err(SyntaxError::new(
                            format!("annotated name '{n}' can't be {what}"),
                            s.pos.line,
                            s.pos.col,
                            s.pos.end_col,
                        ));
                    }
                    if *simple {
                        self.add_def(n, DEF_ANNOT | DEF_LOCAL, target.pos)?;
                    } else if value.is_some() {
                        self.add_def(n, DEF_LOCAL, target.pos)?;
                    }
                } else {
                    self.expr_ctx(target, DEF_LOCAL)?;
                }
                self.annotation(annotation)?;
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            StmtKind::If(t, b, o) | StmtKind::While(t, b, o) => {
                self.expr(t)?;
                self.stmts(b)?;
                self.stmts(o)?;
            }
            StmtKind::For(t, i, b, o) => {
                self.expr_ctx(t, DEF_LOCAL)?;
                self.expr(i)?;
                self.stmts(b)?;
                self.stmts(o)?;
            }
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(v)?;
                }
            }
            StmtKind::Raise(e, c) => {
                for x in e.iter().chain(c.iter()) {
                    self.expr(x)?;
                }
            }
            StmtKind::Try(body, handlers, orelse, fin) => {
                self.stmts(body)?;
                self.stmts(orelse)?;
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t)?;
                    }
                    if let Some(n) = &h.name {
                        self.add_def(n, DEF_LOCAL, h.pos)?;
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(fin)?;
            }
            StmtKind::With(items, body) => {
                for (e, t) in items {
                    self.expr(e)?;
                    if let Some(t) = t {
                        self.expr_ctx(t, DEF_LOCAL)?;
                    }
                }
                self.stmts(body)?;
            }
            StmtKind::Assert(t, m) => {
                self.expr(t)?;
                if let Some(m) = m {
                    self.expr(m)?;
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.expr_ctx(t, DEF_LOCAL)?;
                }
            }
            StmtKind::Global(names) => self.directive(names, s.pos, true)?,
            StmtKind::Nonlocal(names) => self.directive(names, s.pos, false)?,
            StmtKind::Import(aliases) | StmtKind::ImportFrom(_, aliases) => {
                for a in aliases {
                    let bound = a.asname.as_deref().unwrap_or(&a.name);
                    self.add_def(bound, DEF_IMPORT, a.pos)?;
                }
            }
        }
        Ok(())
    }

    fn directive(&mut self, names: &[String], pos: Pos, global: bool) -> PResult<()> {
        let what = if global { "global" } else { "nonlocal" };
        for n in names {
            let cur = self.flags(n);
            if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                let msg = if cur & DEF_PARAM != 0 {
                    format!("name '{n}' is parameter and {what}")
                } else if cur & USE != 0 {
                    format!("name '{n}' is used prior to {what} declaration")
                } else if cur & DEF_ANNOT != 0 {
                    format!("annotated name '{n}' can't be {what}")
                } else {
                    format!("name '{n}' is assigned to before {what} declaration")
                };
                return Err(SyntaxError::new(msg, pos.line, pos.col, pos.end_col));
            }
            if !global && self.cur().kind == ScopeKind::Module {
                return Err(SyntaxError::new(
                    "nonlocal declaration not allowed at module level",
                    pos.line,
                    pos.col,
                    pos.end_col,
                ));
            }
            self.add_def(n, if global { DEF_GLOBAL } else { DEF_NONLOCAL }, pos)?;
            let mangled = mangle(self.private.as_deref(), n).into_owned();
            self.cur().directives.entry(mangled).or_insert(pos);
        }
        Ok(())
    }

    fn defaults(&mut self, args: &Arguments) -> PResult<()> {
        for d in &args.defaults {
            self.expr(d)?;
        }
        for d in args.kw_defaults.iter().flatten() {
            self.expr(d)?;
        }
        Ok(())
    }

    fn params(&mut self, args: &Arguments) -> PResult<()> {
        for a in args.all() {
            self.add_def(&a.name, DEF_PARAM, a.pos)?;
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> PResult<()> {
        self.expr_ctx(e, USE)
    }

    /// Visits an expression; names get `ctx` (`USE` when read, `DEF_LOCAL` when bound).
    fn expr_ctx(&mut self, e: &Expr, ctx: u32) -> PResult<()> {
        self.deeper(e.pos, |b| b.expr_ctx_inner(e, ctx))
    }

    fn expr_ctx_inner(&mut self, e: &Expr, ctx: u32) -> PResult<()> {
        match &e.kind {
            ExprKind::Name(n) => {
                self.add_def(n, ctx, e.pos)?;
                if ctx == USE && n == "super" && self.cur().kind == ScopeKind::Function {
                    self.add_def("__class__", USE, e.pos)?;
                }
            }
            ExprKind::Constant(_) => {}
            ExprKind::JoinedStr(parts) => self.fparts(parts)?,
            ExprKind::BoolOp(_, vs) => vs.iter().try_for_each(|v| self.expr(v))?,
            ExprKind::BinOp(l, _, r) => {
                self.expr(l)?;
                self.expr(r)?;
            }
            ExprKind::UnaryOp(_, v) => self.expr(v)?,
            ExprKind::Compare(l, ops) => {
                self.expr(l)?;
                for (_, r) in ops {
                    self.expr(r)?;
                }
            }
            ExprKind::Call(f, args, kws) => {
                self.expr(f)?;
                args.iter().try_for_each(|a| self.expr(a))?;
                kws.iter().try_for_each(|k| self.expr(&k.value))?;
            }
            ExprKind::IfExp(t, b, o) => {
                self.expr(t)?;
                self.expr(b)?;
                self.expr(o)?;
            }
            ExprKind::Lambda(args, body) => {
                self.defaults(args)?;
                self.enter(ScopeKind::Function, "lambda", e.pos.line, e as *const Expr as usize);
                self.params(args)?;
                self.expr(body)?;
                self.stack.pop();
            }
            ExprKind::Attribute(v, _) => self.expr(v)?,
            ExprKind::Subscript(v, i) => {
                self.expr(v)?;
                self.expr(i)?;
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x)?;
                }
            }
            ExprKind::Starred(v) => self.expr_ctx(v, ctx)?,
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                elts.iter().try_for_each(|x| self.expr_ctx(x, ctx))?
            }
            ExprKind::Set(elts) => elts.iter().try_for_each(|x| self.expr(x))?,
            ExprKind::Dict(keys, values) => {
                for (k, v) in keys.iter().zip(values) {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
            }
            ExprKind::ListComp(elt, gens) => {
                self.comprehension(e, "listcomp", &[elt], gens, false)?
            }
            ExprKind::SetComp(elt, gens) => {
                self.comprehension(e, "setcomp", &[elt], gens, false)?
            }
            ExprKind::GeneratorExp(elt, gens) => {
                self.comprehension(e, "genexpr", &[elt], gens, true)?
            }
            ExprKind::DictComp(k, v, gens) => {
                self.comprehension(e, "dictcomp", &[k, v], gens, false)?
            }
            ExprKind::Yield(v) => {
                self.mark_generator(e)?;
                if let Some(v) = v {
                    self.expr(v)?;
                }
            }
            ExprKind::YieldFrom(v) => {
                self.mark_generator(e)?;
                self.expr(v)?;
            }
            ExprKind::NamedExpr(target, value) => self.named_expr(e, target, value)?,
        }
        Ok(())
    }

    fn mark_generator(&mut self, e: &Expr) -> PResult<()> {
        let scope = self.cur();
        if scope.is_comprehension {
            let what = match scope.name.as_str() {
                "listcomp" => "list comprehension",
                "setcomp" => "set comprehension",
                "dictcomp" => "dict comprehension",
                _ => "generator expression",
            };
            return Err(SyntaxError::new(
                format!("'yield' inside {what}"),
                e.pos.line,
                e.pos.col,
                e.pos.end_col,
            ));
        }
        scope.is_generator = true;
        Ok(())
    }

    fn fparts(&mut self, parts: &[FPart]) -> PResult<()> {
        for p in parts {
            if let FPart::Value { value, spec, .. } = p {
                self.expr(value)?;
                if let Some(spec) = spec {
                    self.fparts(spec)?;
                }
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &Expr,
        name: &str,
        elts: &[&Expr],
        gens: &[Comprehension],
        generator: bool,
    ) -> PResult<()> {
        self.comp_iter(&gens[0].iter)?;
        self.enter(ScopeKind::Function, name, e.pos.line, e as *const Expr as usize);
        self.cur().is_comprehension = true;
        self.cur().is_generator = generator;
        self.add_def(".0", DEF_PARAM, e.pos)?;
        for (i, g) in gens.iter().enumerate() {
            self.expr_ctx(&g.target, DEF_LOCAL | DEF_COMP_ITER)?;
            if i > 0 {
                self.comp_iter(&g.iter)?;
            }
            for c in &g.ifs {
                self.expr(c)?;
            }
        }
        for x in elts {
            self.expr(x)?;
        }
        self.stack.pop();
        Ok(())
    }
}

type NameSet = BTreeSet<String>;

/// CPython's `analyze_block`: decides every symbol's scope, children first for cells.
fn analyze_block(
    scopes: &mut [Scope],
    idx: ScopeIdx,
    bound: Option<&mut NameSet>,
    free: &mut NameSet,
    global: &mut NameSet,
) -> PResult<()> {
    let kind = scopes[idx].kind;
    let mut local = NameSet::new();
    let mut decided: BTreeMap<String, SymScope> = BTreeMap::new();
    let mut newglobal = NameSet::new();
    let mut newfree = NameSet::new();
    let mut newbound = NameSet::new();
    let mut bound = bound;
    if kind == ScopeKind::Class {
        newglobal.extend(global.iter().cloned());
        if let Some(b) = bound.as_deref() {
            newbound.extend(b.iter().cloned());
        }
    }
    let names: Vec<(String, u32)> =
        scopes[idx].symbols.iter().map(|(n, s)| (n.clone(), s.flags)).collect();
    for (name, flags) in &names {
        let dpos = scopes[idx].directives.get(name).copied().unwrap_or_default();
        let err = |msg: String| SyntaxError::new(msg, dpos.line, dpos.col, dpos.end_col);
        let sc = if flags & DEF_GLOBAL != 0 {
            if flags & DEF_NONLOCAL != 0 {
                return Err(err(format!("name '{name}' is nonlocal and global")));
            }
            global.insert(name.clone());
            if let Some(b) = bound.as_deref_mut() {
                b.remove(name);
            }
            SymScope::GlobalExplicit
        } else if flags & DEF_NONLOCAL != 0 {
            match bound.as_deref() {
                None => return Err(err("nonlocal declaration not allowed at module level".into())),
                Some(b) if !b.contains(name) => {
                    return Err(err(format!("no binding for nonlocal '{name}' found")))
                }
                Some(_) => {}
            }
            free.insert(name.clone());
            SymScope::Free
        } else if flags & DEF_BOUND != 0 {
            local.insert(name.clone());
            global.remove(name);
            SymScope::Local
        } else if bound.as_deref().is_some_and(|b| b.contains(name)) {
            free.insert(name.clone());
            SymScope::Free
        } else {
            SymScope::GlobalImplicit
        };
        decided.insert(name.clone(), sc);
    }
    if kind != ScopeKind::Class {
        if kind == ScopeKind::Function {
            newbound.extend(local.iter().cloned());
        }
        if let Some(b) = bound.as_deref() {
            newbound.extend(b.iter().cloned());
        }
        newglobal.extend(global.iter().cloned());
    } else {
        newbound.insert("__class__".to_string());
    }
    let mut allfree = NameSet::new();
    for child in scopes[idx].children.clone() {
        let mut temp_bound = newbound.clone();
        let mut temp_free = newfree.clone();
        let mut temp_global = newglobal.clone();
        analyze_block(scopes, child, Some(&mut temp_bound), &mut temp_free, &mut temp_global)?;
        allfree.extend(temp_free);
    }
    newfree.extend(allfree);
    if kind == ScopeKind::Function {
        for (name, sc) in decided.iter_mut() {
            if *sc == SymScope::Local && newfree.remove(name) {
                *sc = SymScope::Cell;
            }
        }
    } else if kind == ScopeKind::Class && newfree.remove("__class__") {
        scopes[idx].needs_class_closure = true;
    }
    // update_symbols
    let is_class = kind == ScopeKind::Class;
    let scope = &mut scopes[idx];
    for (name, sc) in &decided {
        scope.symbols.get_mut(name).expect("decided from symbols").scope = *sc;
    }
    for name in &newfree {
        if let Some(sym) = scope.symbols.get_mut(name) {
            if is_class && sym.flags & (DEF_BOUND | DEF_GLOBAL) != 0 {
                sym.flags |= DEF_FREE_CLASS;
            }
            continue;
        }
        if bound.as_deref().is_some_and(|b| !b.contains(name)) {
            continue;
        }
        scope.symbols.insert(name.clone(), Symbol { flags: 0, scope: SymScope::Free });
    }
    free.extend(newfree);
    Ok(())
}
