//! Type checking and lowering of an RPy module to a [`Program`], in one pass per function.
//!
//! Order of work: declare every struct (so fields may name later structs), resolve parents
//! and fields (parents first), declare every function's signature, evaluate module constants
//! in source order (prebuilt objects for strings, structs and arrays), then lower each function
//! body (`func`), then each method body, then the bodies of the container instances those
//! needed (`generic`). Every error is a [`Diagnostic`] at the offending
//! source position; lowering continues with the next function after an error, so one run
//! reports one error per function.
//!
//! Modules: `func` (statements, SSA), `expr` (expressions), `call` (calls and builtins),
//! `consts` (module constants), `methods` (methods, overriding, dispatch by class),
//! `tuples` (tuple types and unpacking), `for_loops` (`for` and its iteration protocol),
//! `generic` (the container prelude specialised per type), `containers` (dispatch of
//! container operations by type), `prebuilt_dict` (constant dicts).
//!
//! Decorators and quasi-immutable fields are read after the signatures (`jit_hints`).
//!
//! Name spaces: structs, functions, constants, externs and builtins share one module-level
//! name space; a local variable may not shadow a function, struct or constant.

mod call;
mod consts;
mod containers;
mod exceptions;
mod expr;
mod for_loops;
mod func;
mod generic;
mod jit_hints;
mod methods;
mod prebuilt_dict;
mod strings;
mod tuples;
mod virtualizable;

use super::ast::{Item, Module, TypeExpr};
use crate::externs;
use crate::ir::{Const, Graph, GraphIdx, Program};
use crate::span::{Diagnostic, Diagnostics, SourceMap, Span};
use crate::types::{Field, HeapTypeIdx, Ty, TypeTable};
use std::collections::HashMap;

/// Names the front end treats as builtins (lowered to ops, not calls).
pub const BUILTINS: &[&str] =
    &["len", "ord", "chr", "int", "float", "hint", "isinstance", "id", "range", "ovfcheck"];

/// The type name of arbitrary-precision integers: an alias of `str` whose code points encode
/// the integer (`externs::bigint`), so the `big_*` externs take and return it in every mode.
pub const BIGINT_TYPE: &str = "bigint";

/// Whether `name` is a builtin, a string builtin (`strings::STRING_BUILTINS`) or an extern: a
/// name a program cannot redefine.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
        || strings::STRING_BUILTINS.contains(&name)
        || externs::lookup(name).is_some()
}

/// What a module-level name refers to.
#[derive(Clone, Copy, Debug)]
enum Global {
    Struct(HeapTypeIdx),
    Func(GraphIdx),
    Const(Const, Ty),
}

/// Module-level state shared by every function's lowering.
struct ModuleCx {
    program: Program,
    globals: HashMap<String, Global>,
    /// Every struct's methods (`methods.rs`).
    methods: methods::MethodTable,
    errors: Vec<Diagnostic>,
    /// The exception prelude's types and state, when the module uses exceptions.
    exc: Option<exceptions::ExcTypes>,
    /// What each lowered graph's exception paths look like (see `exceptions::finish`).
    exc_graphs: HashMap<GraphIdx, exceptions::ExcPaths>,
    /// The container instances (`generic.rs`).
    generics: generic::Generics,
}

type LResult<T> = Result<T, Diagnostic>;

/// Type-checks `module` and lowers it to flow graphs.
pub fn lower(module: &Module, sources: SourceMap) -> Result<Program, Diagnostics> {
    let mut cx = ModuleCx {
        program: Program { sources, ..Program::default() },
        globals: HashMap::new(),
        methods: methods::MethodTable::default(),
        errors: Vec::new(),
        exc: None,
        exc_graphs: HashMap::new(),
        generics: generic::Generics::default(),
    };
    exceptions::declare_prelude(&mut cx, module);
    cx.declare_structs(module);
    cx.declare_functions(module);
    cx.declare_methods(module);
    cx.jit_annotations(module);
    cx.eval_consts(module);
    for item in &module.items {
        if let Item::Func(f) = item {
            if let Some(&Global::Func(g)) = cx.globals.get(&f.name) {
                if let Err(e) = func::lower_function(&mut cx, g, f) {
                    cx.errors.push(e);
                }
            }
        }
    }
    for (owner, f) in methods::methods_of(module) {
        if let Some(g) = cx.method_graph(owner, f) {
            if let Err(e) = func::lower_function(&mut cx, g, f) {
                cx.errors.push(e);
            }
        }
    }
    generic::drain(&mut cx);
    cx.check_virtualized_array_stores();
    if cx.errors.is_empty() {
        exceptions::finish(&mut cx);
    }
    if !cx.errors.is_empty() {
        cx.errors.sort_by_key(|d| (d.span.line, d.span.col));
        return Err(Diagnostics { errors: cx.errors, sources: cx.program.sources });
    }
    if cfg!(debug_assertions) {
        if let Err(errs) = crate::verify::verify_program(&cx.program) {
            let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            panic!("front end produced invalid IR:\n{}", msgs.join("\n"));
        }
    }
    Ok(cx.program)
}

impl ModuleCx {
    fn define(&mut self, name: &str, span: Span, g: Global) -> bool {
        if is_builtin(name) || name == BIGINT_TYPE {
            self.errors.push(Diagnostic::new(
                span,
                format!("'{name}' is a builtin and cannot be redefined"),
            ));
            return false;
        }
        if self.globals.contains_key(name) {
            self.errors.push(Diagnostic::new(span, format!("'{name}' is already defined")));
            return false;
        }
        self.globals.insert(name.to_string(), g);
        true
    }

    fn declare_structs(&mut self, module: &Module) {
        let decls: Vec<_> = module
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Struct(s) => Some(s),
                _ => None,
            })
            .collect();
        let mut ids = Vec::new();
        for s in &decls {
            if self.globals.contains_key(&s.name)
                || self.program.types.struct_by_name(&s.name).is_some()
            {
                self.errors
                    .push(Diagnostic::new(s.span, format!("'{}' is already defined", s.name)));
                ids.push(None);
                continue;
            }
            let id = self.program.types.declare_struct(&s.name, s.immutable);
            if let Some(id) = id {
                self.define(&s.name, s.span, Global::Struct(id));
            }
            ids.push(id);
        }
        // Resolve parents, then set fields parents-first (a parent's fields must be final).
        let mut parent_of: HashMap<HeapTypeIdx, Option<HeapTypeIdx>> = HashMap::new();
        for (s, id) in decls.iter().zip(&ids) {
            let Some(id) = *id else { continue };
            let parent = match &s.parent {
                None => None,
                Some((pname, pspan)) => match self.globals.get(pname) {
                    Some(Global::Struct(p)) => Some(*p),
                    _ => {
                        self.errors
                            .push(Diagnostic::new(*pspan, format!("unknown struct '{pname}'")));
                        None
                    }
                },
            };
            parent_of.insert(id, parent);
        }
        let mut done: HashMap<HeapTypeIdx, bool> = HashMap::new();
        for (s, id) in decls.iter().zip(&ids) {
            let Some(id) = *id else { continue };
            let mut chain = vec![id];
            let mut cur = parent_of[&id];
            while let Some(p) = cur {
                if chain.contains(&p) {
                    self.errors.push(Diagnostic::new(
                        s.span,
                        format!("inheritance cycle through '{}'", s.name),
                    ));
                    parent_of.insert(id, None);
                    break;
                }
                chain.push(p);
                cur = parent_of.get(&p).copied().flatten();
            }
        }
        let by_id: HashMap<HeapTypeIdx, usize> =
            ids.iter().enumerate().filter_map(|(i, id)| id.map(|id| (id, i))).collect();
        for id in ids.iter().flatten() {
            self.finish_struct(*id, &decls, &by_id, &parent_of, &mut done);
        }
        self.declare_virtualizables(&decls, &ids);
    }

    fn finish_struct(
        &mut self,
        id: HeapTypeIdx,
        decls: &[&super::ast::StructDecl],
        by_id: &HashMap<HeapTypeIdx, usize>,
        parent_of: &HashMap<HeapTypeIdx, Option<HeapTypeIdx>>,
        done: &mut HashMap<HeapTypeIdx, bool>,
    ) {
        // Structs of the exception prelude are finished already.
        if done.contains_key(&id) || !by_id.contains_key(&id) {
            return;
        }
        done.insert(id, true);
        let parent = parent_of.get(&id).copied().flatten();
        if let Some(p) = parent {
            self.finish_struct(p, decls, by_id, parent_of, done);
        }
        let decl = decls[by_id[&id]];
        let mut own = Vec::new();
        let inherited: Vec<String> = match parent {
            Some(p) => {
                self.program.types.struct_def(p).fields.iter().map(|f| f.name.clone()).collect()
            }
            None => Vec::new(),
        };
        for (name, texpr, span) in &decl.fields {
            if inherited.contains(name) || own.iter().any(|f: &Field| &f.name == name) {
                self.errors.push(Diagnostic::new(
                    *span,
                    format!("duplicate field '{name}' in struct '{}'", decl.name),
                ));
                continue;
            }
            match self.resolve_type(texpr) {
                Ok(Ty::Void) => {
                    self.errors.push(Diagnostic::new(*span, "a field cannot have type void"))
                }
                Ok(ty) => own.push(Field { name: name.clone(), ty }),
                Err(e) => self.errors.push(e),
            }
        }
        if let Some(p) = parent {
            let pd = self.program.types.struct_def(p);
            if pd.immutable && !decl.immutable {
                self.errors.push(Diagnostic::new(
                    decl.span,
                    format!(
                        "struct '{}' must be immutable: its parent '{}' is",
                        decl.name, pd.name
                    ),
                ));
            }
        }
        self.program.types.set_fields(id, parent, own);
    }

    fn declare_functions(&mut self, module: &Module) {
        for item in &module.items {
            let Item::Func(f) = item else { continue };
            let Some((params, ret)) = self.signature(f) else { continue };
            let g = self.program.add_graph(Graph::new(f.name.clone(), params, ret, f.span));
            self.define(&f.name, f.span, Global::Func(g));
        }
    }

    /// The parameter and result types of a function or method; `None` after an error.
    fn signature(&mut self, f: &super::ast::FuncDecl) -> Option<(Vec<Ty>, Ty)> {
        let mut params = Vec::new();
        let mut ok = true;
        for (pname, texpr, pspan) in &f.params {
            match self.resolve_type(texpr) {
                Ok(Ty::Void) => {
                    self.errors.push(Diagnostic::new(
                        *pspan,
                        format!("parameter '{pname}' cannot have type void"),
                    ));
                    ok = false;
                }
                Ok(t) => params.push(t),
                Err(e) => {
                    self.errors.push(e);
                    ok = false;
                }
            }
        }
        let ret = match &f.ret {
            None => Ty::Void,
            Some(t) => match self.resolve_type(t) {
                Ok(t) => t,
                Err(e) => {
                    self.errors.push(e);
                    ok = false;
                    Ty::Void
                }
            },
        };
        ok.then_some((params, ret))
    }

    /// Resolves a written type.
    fn resolve_type(&mut self, t: &TypeExpr) -> LResult<Ty> {
        self.instantiate_in(t)?;
        resolve_type(&mut self.program.types, &self.globals, t)
    }
}

fn resolve_type(
    types: &mut TypeTable,
    globals: &HashMap<String, Global>,
    t: &TypeExpr,
) -> LResult<Ty> {
    match t {
        TypeExpr::Name(n, span) => Ok(match n.as_str() {
            "int" => Ty::Int,
            "float" => Ty::Float,
            "bool" => Ty::Bool,
            "char" => Ty::Char,
            "void" => Ty::Void,
            "str" | BIGINT_TYPE => Ty::Ref(TypeTable::STR),
            _ => match globals.get(n) {
                Some(Global::Struct(s)) => Ty::Ref(*s),
                _ => return Err(Diagnostic::new(*span, format!("unknown type '{n}'"))),
            },
        }),
        TypeExpr::Array { elem, immutable, span } => {
            let e = resolve_type(types, globals, elem)?;
            if e == Ty::Void {
                return Err(Diagnostic::new(*span, "an array cannot hold void"));
            }
            Ok(Ty::Ref(types.array(e, *immutable)))
        }
        TypeExpr::Func { params, ret, span } => {
            let mut ps = Vec::new();
            for p in params {
                let pt = resolve_type(types, globals, p)?;
                if pt == Ty::Void {
                    return Err(Diagnostic::new(*span, "a parameter cannot have type void"));
                }
                ps.push(pt);
            }
            let r = match ret {
                Some(r) => resolve_type(types, globals, r)?,
                None => Ty::Void,
            };
            Ok(Ty::Func(types.sig(ps, r)))
        }
        TypeExpr::Generic { name, args, span } => {
            let mut tys = Vec::new();
            for a in args {
                tys.push(resolve_type(types, globals, a)?);
            }
            let family = generic::Family::from_name(name);
            let mangled = family.map(|f| ModuleCx::mangle(types, f, &tys));
            match mangled.and_then(|m| globals.get(&m)) {
                Some(Global::Struct(s)) => Ok(Ty::Ref(*s)),
                _ => Err(Diagnostic::new(*span, format!("unknown type '{name}'"))),
            }
        }
        TypeExpr::Tuple { elems, span } => {
            let mut items = Vec::new();
            for e in elems {
                let t = resolve_type(types, globals, e)?;
                if t == Ty::Void {
                    return Err(Diagnostic::new(*span, "a tuple cannot hold void"));
                }
                items.push(t);
            }
            Ok(Ty::Ref(tuples::tuple_struct(types, &items)))
        }
    }
}
