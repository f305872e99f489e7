//! Generic containers by monomorphisation of an RPy prelude: `list[T]`, `dict[K, V]` and
//! `rdict[K, V]` are ordinary structs and graphs, made per type argument on first use.
//!
//! Vocabulary and invariants:
//! - **Template**: RPy source embedded in the crate (`front/prelude/list.rpy`, `dict.rpy`),
//!   written with type parameters (`T`; `K`, `V`) and a placeholder struct (`List`, `Dict`).
//!   A few functions depend on what the type argument is (a **kind**): the element order
//!   `list_lt`, and a dict's `dict_hash`, `dict_eq`, `dict_new`; they come from small
//!   snippets chosen by kind ([`snippet`]). Each template and snippet is parsed once per
//!   module and registered in the program's `SourceMap` (its own file name, so a diagnostic
//!   inside the prelude would point into it).
//! - **Instance**: one family applied to resolved type arguments. Its struct and graphs are
//!   named by **mangling** (`list__int`, `dict__str__Point`, `list_append__int`): the text IR
//!   takes identifiers only, and the double underscore keeps instance names apart from user
//!   names (a clash is still reported: `define`). Diagnostics show the written form
//!   ([`Instance::pretty`], `list[int]`).
//! - **Instantiation is lazy and by type**: [`ModuleCx::resolve_type`] instantiates every
//!   `Generic` node of a type before resolving it, so instances exist for exactly the types
//!   the program mentions (user code, or prelude code, such as `dict_keys` returning
//!   `list[K]`). The struct is declared and named first (recursive types work), then its
//!   fields and its functions' signatures are resolved; the function bodies are queued and
//!   lowered after the user's functions ([`drain`]), each like any RPy function, so the
//!   exception transform, hint analysis and the JIT see ordinary graphs.
//! - Functions whose body needs what the type lacks are left out of the instance: `list_sort`
//!   without an element order (int, float, char, str), `list_contains`/`index`/`count`
//!   when elements are functions; [`super::containers`] reports asking for them.
//! - `dict` keys must be int, char, str (hashed by the `str_hash` extern, the same in every
//!   mode) or structs (by identity: the address, `cast_ptr_to_int`, via the prelude-only
//!   builtin `_addr_of`); `rdict[K, V]` takes any key type and the user's hash and equality
//!   functions, stored in two extra fields of its struct (RPython's `r_dict`).

use super::{Global, LResult, ModuleCx};
use crate::front::ast::{Expr, ExprKind, FuncDecl, Item, Module, Stmt, StmtKind, TypeExpr};
use crate::ir::{Graph, GraphIdx};
use crate::span::{Diagnostic, Span};
use crate::types::{Field, HeapType, HeapTypeIdx, Ty, TypeTable};
use std::collections::HashMap;

/// The list template.
const LIST_TEMPLATE: &str = include_str!("../prelude/list.rpy");
/// The dict template (shared by `dict` and `rdict`).
const DICT_TEMPLATE: &str = include_str!("../prelude/dict.rpy");

/// A family of generic containers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Family {
    /// `list[T]`.
    List,
    /// `dict[K, V]`: built-in hashing of int, char, str and struct-identity keys.
    Dict,
    /// `rdict[K, V]`: the user's hash and equality functions.
    RDict,
}

impl Family {
    pub(super) fn from_name(name: &str) -> Option<Family> {
        match name {
            "list" => Some(Family::List),
            "dict" => Some(Family::Dict),
            "rdict" => Some(Family::RDict),
            _ => None,
        }
    }

    /// The name written in types.
    pub fn name(self) -> &'static str {
        match self {
            Family::List => "list",
            Family::Dict => "dict",
            Family::RDict => "rdict",
        }
    }

    fn params(self) -> &'static [&'static str] {
        match self {
            Family::List => &["T"],
            Family::Dict | Family::RDict => &["K", "V"],
        }
    }
}

/// What a type argument is, for the snippets that depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Char,
    Bool,
    Str,
    Struct,
    /// Arrays and functions.
    Other,
}

fn kind_of(types: &TypeTable, t: Ty) -> Kind {
    match t {
        Ty::Int => Kind::Int,
        Ty::Float => Kind::Float,
        Ty::Char => Kind::Char,
        Ty::Bool => Kind::Bool,
        Ty::Ref(TypeTable::STR) => Kind::Str,
        Ty::Ref(h) if matches!(types.heap(h), HeapType::Struct(_)) => Kind::Struct,
        _ => Kind::Other,
    }
}

/// One instantiated container type.
#[derive(Clone, Debug)]
pub(super) struct Instance {
    /// Its family.
    pub family: Family,
    /// Its struct.
    pub ty: HeapTypeIdx,
    /// How it is written (`list[int]`), for diagnostics.
    pub pretty: String,
    /// Its graphs by template name (`list_append`).
    pub funcs: HashMap<String, GraphIdx>,
}

/// The module's container instances and the function bodies still to lower.
#[derive(Default)]
pub(super) struct Generics {
    templates: HashMap<String, Module>,
    by_key: HashMap<(Family, Vec<Ty>), usize>,
    /// Instance number of each instance struct.
    pub by_struct: HashMap<HeapTypeIdx, usize>,
    /// The instances.
    pub instances: Vec<Instance>,
    pending: Vec<(GraphIdx, FuncDecl)>,
    /// True while the prelude's bodies are lowered (enables the builtin `_addr_of`).
    pub in_prelude: bool,
}

/// Lowers the queued bodies of instance functions (instantiating more as they need).
pub(super) fn drain(cx: &mut ModuleCx) {
    cx.generics.in_prelude = true;
    while let Some((g, f)) = cx.generics.pending.pop() {
        if let Err(e) = super::func::lower_function(cx, g, &f) {
            cx.errors.push(e);
        }
    }
    cx.generics.in_prelude = false;
}

impl ModuleCx {
    /// Instantiates every container type inside `t` (innermost first).
    pub(super) fn instantiate_in(&mut self, t: &TypeExpr) -> LResult<()> {
        match t {
            TypeExpr::Name(..) => Ok(()),
            TypeExpr::Array { elem, .. } => self.instantiate_in(elem),
            TypeExpr::Tuple { elems, .. } => {
                for e in elems {
                    self.instantiate_in(e)?;
                }
                Ok(())
            }
            TypeExpr::Func { params, ret, .. } => {
                for p in params {
                    self.instantiate_in(p)?;
                }
                match ret {
                    Some(r) => self.instantiate_in(r),
                    None => Ok(()),
                }
            }
            TypeExpr::Generic { name, args, span } => {
                let Some(family) = Family::from_name(name) else {
                    return Err(Diagnostic::new(*span, format!("unknown generic type '{name}'")));
                };
                let want = family.params().len();
                if args.len() != want {
                    let s = if want == 1 { "" } else { "s" };
                    let msg =
                        format!("'{name}' takes {want} type argument{s}, {} given", args.len());
                    return Err(Diagnostic::new(*span, msg));
                }
                let mut tys = Vec::new();
                for a in args {
                    let ty = self.resolve_type(a)?;
                    if ty == Ty::Void {
                        let msg = format!("a {name} cannot hold void");
                        return Err(Diagnostic::new(a.span(), msg));
                    }
                    tys.push(ty);
                }
                if family == Family::Dict {
                    let k = kind_of(&self.program.types, tys[0]);
                    if !matches!(k, Kind::Int | Kind::Char | Kind::Str | Kind::Struct) {
                        let msg = format!(
                            "dict keys must be int, char, str or a struct, not {}; \
                             use rdict[K, V] with hash and eq functions",
                            self.program.types.display(tys[0])
                        );
                        return Err(Diagnostic::new(args[0].span(), msg));
                    }
                }
                if !self.generics.by_key.contains_key(&(family, tys.clone())) {
                    self.instantiate(family, tys, args, *span)?;
                }
                Ok(())
            }
        }
    }

    /// The mangled struct name of `family` over `args`.
    pub(super) fn mangle(types: &TypeTable, family: Family, args: &[Ty]) -> String {
        let mut s = family.name().to_string();
        for a in args {
            s.push_str("__");
            let shown = types.display(*a).to_string();
            s.extend(shown.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }));
        }
        s
    }

    fn template(&mut self, name: &str, text: &str, span: Span) -> LResult<Module> {
        if let Some(m) = self.generics.templates.get(name) {
            return Ok(m.clone());
        }
        let file = self.program.sources.add(format!("<prelude {name}>"), text);
        let m = crate::front::parse::parse(text, file).map_err(|errs| {
            let first = errs.first().map(|e| e.message.clone()).unwrap_or_default();
            Diagnostic::new(span, format!("internal error: the {name} prelude: {first}"))
        })?;
        self.generics.templates.insert(name.to_string(), m.clone());
        Ok(m)
    }

    fn instantiate(
        &mut self,
        family: Family,
        tys: Vec<Ty>,
        written: &[TypeExpr],
        span: Span,
    ) -> LResult<()> {
        let types = &self.program.types;
        let mangled = Self::mangle(types, family, &tys);
        let shown: Vec<String> = tys.iter().map(|t| types.display(*t).to_string()).collect();
        let pretty = format!("{}[{}]", family.name(), shown.join(", "));
        let kinds: Vec<Kind> = tys.iter().map(|t| kind_of(types, *t)).collect();
        let (template, placeholder) = match family {
            Family::List => (self.template("list", LIST_TEMPLATE, span)?, "List"),
            _ => (self.template("dict", DICT_TEMPLATE, span)?, "Dict"),
        };
        let snippet_text = snippet(family, &kinds);
        let snippet_name = format!("{} {:?}", family.name(), kinds[0]).to_lowercase();
        let extra = self.template(&snippet_name, &snippet_text, span)?;
        let Some(id) = self.program.types.declare_struct(&mangled, false) else {
            return Err(Diagnostic::new(span, format!("'{mangled}' is already defined")));
        };
        if !self.define(&mangled, span, Global::Struct(id)) {
            return Err(Diagnostic::new(span, format!("'{mangled}' is already defined")));
        }
        let index = self.generics.instances.len();
        self.generics.by_key.insert((family, tys), index);
        self.generics.by_struct.insert(id, index);
        self.generics.instances.push(Instance { family, ty: id, pretty, funcs: HashMap::new() });
        let items: Vec<&Item> = template.items.iter().chain(&extra.items).collect();
        // `list_append__int`, `dict_find__str__int`; an rdict's graphs name their family.
        let suffix = match family {
            Family::RDict => format!("__{mangled}"),
            _ => mangled[family.name().len()..].to_string(),
        };
        let mut sub = Subst { types: HashMap::new(), names: HashMap::new() };
        for (p, w) in family.params().iter().zip(written) {
            sub.types.insert(p.to_string(), w.clone());
        }
        sub.types.insert(placeholder.to_string(), TypeExpr::Name(mangled.clone(), span));
        sub.names.insert(placeholder.to_string(), mangled.clone());
        for item in &items {
            if let Item::Func(f) = item {
                sub.names.insert(f.name.clone(), format!("{}{suffix}", f.name));
            }
        }
        let skip = skipped(family, &kinds);
        for item in items {
            match item {
                Item::Struct(s) => {
                    let mut fields = Vec::new();
                    let mut decl_fields = s.fields.clone();
                    if family == Family::RDict {
                        decl_fields.extend(rdict_fields(span));
                    }
                    for (name, t, _) in &decl_fields {
                        let ty = self.resolve_type(&sub.ty(t))?;
                        fields.push(Field { name: name.clone(), ty });
                    }
                    self.program.types.set_fields(id, None, fields);
                }
                Item::Func(f) if skip.contains(&f.name.as_str()) => {}
                Item::Func(f) => {
                    let decl = sub.func(f);
                    let mut params = Vec::new();
                    for (_, t, _) in &decl.params {
                        params.push(self.resolve_type(t)?);
                    }
                    let ret = match &decl.ret {
                        Some(t) => self.resolve_type(t)?,
                        None => Ty::Void,
                    };
                    let mut graph = Graph::new(decl.name.clone(), params, ret, span);
                    graph.flags = self.func_flags_in(&decl, true);
                    let g = self.program.add_graph(graph);
                    if !self.define(&decl.name, span, Global::Func(g)) {
                        return Err(Diagnostic::new(span, "internal error: prelude name clash"));
                    }
                    self.generics.instances[index].funcs.insert(f.name.clone(), g);
                    self.generics.pending.push((g, decl));
                }
                Item::Const(_) => {}
            }
        }
        Ok(())
    }
}

/// The template functions an instance leaves out (see the module documentation).
fn skipped(family: Family, kinds: &[Kind]) -> Vec<&'static str> {
    let mut out = Vec::new();
    if family == Family::List {
        if !matches!(kinds[0], Kind::Int | Kind::Float | Kind::Char | Kind::Str) {
            out.push("list_sort");
        }
        if kinds[0] == Kind::Other {
            out.extend(["list_contains", "list_index", "list_count"]);
        }
    }
    out
}

/// The two extra fields of an `rdict`'s struct.
fn rdict_fields(span: Span) -> Vec<(String, TypeExpr, Span)> {
    let k = || TypeExpr::Name("K".to_string(), span);
    let int = Some(Box::new(TypeExpr::Name("int".to_string(), span)));
    let bool_ = Some(Box::new(TypeExpr::Name("bool".to_string(), span)));
    vec![
        ("hashfn".to_string(), TypeExpr::Func { params: vec![k()], ret: int, span }, span),
        ("eqfn".to_string(), TypeExpr::Func { params: vec![k(), k()], ret: bool_, span }, span),
    ]
}

/// The functions of a template that depend on the kind of its first type argument.
fn snippet(family: Family, kinds: &[Kind]) -> String {
    let lt = match kinds[0] {
        Kind::Str => "return str_cmp(a, b) < 0",
        Kind::Int | Kind::Float | Kind::Char => "return a < b",
        _ => "return False",
    };
    if family == Family::List {
        return format!("def list_lt(a: T, b: T) -> bool:\n    {lt}\n");
    }
    let empty = "Dict(0, 0, array[int](1), array[K](0), array[V](0), array[bool](0)";
    let (hash, eq, new_params, new_args) = match (family, kinds[0]) {
        (Family::RDict, _) => (
            "return d.hashfn(k)",
            "return d.eqfn(a, b)",
            "h: fn(K) -> int, e: fn(K, K) -> bool",
            ", h, e",
        ),
        (_, Kind::Char) => ("return ord(k)", "return a == b", "", ""),
        (_, Kind::Str) => ("return str_hash(k)", "return a == b", "", ""),
        (_, Kind::Struct) => ("h = _addr_of(k)\n    return h ^ (h >> 4)", "return a is b", "", ""),
        _ => ("return k", "return a == b", "", ""),
    };
    format!(
        "def dict_hash(d: Dict, k: K) -> int:\n    {hash}\n\n\
         def dict_eq(d: Dict, a: K, b: K) -> bool:\n    {eq}\n\n\
         def dict_new({new_params}) -> Dict:\n    d = {empty}{new_args})\n    dict_resize(d)\n    return d\n"
    )
}

/// A substitution of type parameters and names over a template function.
struct Subst {
    types: HashMap<String, TypeExpr>,
    names: HashMap<String, String>,
}

impl Subst {
    fn ty(&self, t: &TypeExpr) -> TypeExpr {
        match t {
            TypeExpr::Name(n, _) => self.types.get(n).cloned().unwrap_or_else(|| t.clone()),
            TypeExpr::Array { elem, immutable, span } => TypeExpr::Array {
                elem: Box::new(self.ty(elem)),
                immutable: *immutable,
                span: *span,
            },
            TypeExpr::Func { params, ret, span } => TypeExpr::Func {
                params: params.iter().map(|p| self.ty(p)).collect(),
                ret: ret.as_ref().map(|r| Box::new(self.ty(r))),
                span: *span,
            },
            TypeExpr::Generic { name, args, span } => TypeExpr::Generic {
                name: name.clone(),
                args: args.iter().map(|a| self.ty(a)).collect(),
                span: *span,
            },
            TypeExpr::Tuple { elems, span } => {
                TypeExpr::Tuple { elems: elems.iter().map(|a| self.ty(a)).collect(), span: *span }
            }
        }
    }

    fn func(&self, f: &FuncDecl) -> FuncDecl {
        FuncDecl {
            name: self.names[&f.name].clone(),
            params: f.params.iter().map(|(n, t, s)| (n.clone(), self.ty(t), *s)).collect(),
            ret: f.ret.as_ref().map(|t| self.ty(t)),
            body: self.stmts(&f.body),
            decorators: f.decorators.clone(),
            span: f.span,
        }
    }

    fn stmts(&self, stmts: &[Stmt]) -> Vec<Stmt> {
        stmts.iter().map(|s| self.stmt(s)).collect()
    }

    fn stmt(&self, s: &Stmt) -> Stmt {
        let kind = match &s.kind {
            StmtKind::Expr(e) => StmtKind::Expr(self.expr(e)),
            StmtKind::Assign { target, ty, value } => StmtKind::Assign {
                target: self.expr(target),
                ty: ty.as_ref().map(|t| self.ty(t)),
                value: self.expr(value),
            },
            StmtKind::AugAssign { target, op, value } => {
                StmtKind::AugAssign { target: self.expr(target), op: *op, value: self.expr(value) }
            }
            StmtKind::If { cond, then, orelse } => StmtKind::If {
                cond: self.expr(cond),
                then: self.stmts(then),
                orelse: self.stmts(orelse),
            },
            StmtKind::While { cond, body } => {
                StmtKind::While { cond: self.expr(cond), body: self.stmts(body) }
            }
            StmtKind::For { target, iter, body, orelse } => StmtKind::For {
                target: self.expr(target),
                iter: self.expr(iter),
                body: self.stmts(body),
                orelse: self.stmts(orelse),
            },
            StmtKind::Return(e) => StmtKind::Return(e.as_ref().map(|e| self.expr(e))),
            StmtKind::Raise(e) => StmtKind::Raise(e.as_ref().map(|e| self.expr(e))),
            StmtKind::Try(_) => unreachable!("the container prelude has no try statements"),
            k @ (StmtKind::Break | StmtKind::Continue | StmtKind::Pass) => k.clone(),
        };
        Stmt { kind, span: s.span }
    }

    fn expr(&self, e: &Expr) -> Expr {
        let b = |x: &Expr| Box::new(self.expr(x));
        let kind = match &e.kind {
            ExprKind::Name(n) => ExprKind::Name(self.names.get(n).unwrap_or(n).clone()),
            ExprKind::Binary(op, l, r) => ExprKind::Binary(*op, b(l), b(r)),
            ExprKind::Unary(op, a) => ExprKind::Unary(*op, b(a)),
            ExprKind::Call { callee, args, kwargs } => ExprKind::Call {
                callee: b(callee),
                args: args.iter().map(|a| self.expr(a)).collect(),
                kwargs: kwargs.iter().map(|(n, a, s)| (n.clone(), self.expr(a), *s)).collect(),
            },
            ExprKind::Field(o, f) => ExprKind::Field(b(o), f.clone()),
            ExprKind::Index(a, i) => ExprKind::Index(b(a), b(i)),
            ExprKind::IsA(a, t) => ExprKind::IsA(b(a), self.ty(t)),
            ExprKind::As(a, t) => ExprKind::As(b(a), self.ty(t)),
            ExprKind::ArrayType(t) => ExprKind::ArrayType(self.ty(t)),
            ExprKind::ArrayLit(items) => {
                ExprKind::ArrayLit(items.iter().map(|a| self.expr(a)).collect())
            }
            ExprKind::IfElse { cond, then, orelse } => {
                ExprKind::IfElse { cond: b(cond), then: b(then), orelse: b(orelse) }
            }
            ExprKind::DictLit(pairs) => {
                ExprKind::DictLit(pairs.iter().map(|(k, v)| (self.expr(k), self.expr(v))).collect())
            }
            ExprKind::Tuple(items) => ExprKind::Tuple(items.iter().map(|a| self.expr(a)).collect()),
            k => k.clone(),
        };
        Expr { kind, span: e.span }
    }
}
