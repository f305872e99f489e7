//! The operations on container values: type-directed dispatch from RPy syntax to the graphs
//! of the container's instance (`generic.rs`).
//!
//! | syntax | list[T] | dict[K, V] / rdict[K, V] |
//! |---|---|---|
//! | `[a, b]`, `[]` (a list is expected) | inline `malloc` of the struct and its array | — |
//! | `list()`, `dict()`, `dict_with(h, eq)` (the type expected) | `list_new` | `dict_new` |
//! | `len(x)` | `getfield length` | `getfield used` |
//! | `x[i]`, `x[i] = v`, `x[i] op= v` | `list_getitem`, `list_setitem` | `dict_getitem`, `dict_setitem` |
//! | `del x[i]`, `a in x`, `x[i:j]` | `list_delitem`, `list_contains`, `list_getslice` | `dict_delitem`, `dict_contains` |
//! | `a + b` | `list_concat` | — |
//! | `x.m(args)` | [`LIST_METHODS`] | [`DICT_METHODS`] |
//!
//! A list literal is lowered inline, not by a call, so the JIT sees a fresh struct and array
//! (both virtual while nothing forces them). Everything else is a direct call of an
//! ordinary graph (with the exception check after it when the helper can raise), which the
//! hint analysis follows like any call. `==` and `!=` on containers are rejected (they would
//! compare identity, unlike Python): `is` says that.
//!
//! Iteration: `for` over a list or a dict reads their fields inline (`container_walks.rs`).

use super::func::FnCx;
use super::generic::{Family, Instance};
use super::LResult;
use crate::front::ast::{BinOp, Expr, ExprKind};
use crate::front::parse::containers::{CONTAINS, DELITEM, GETSLICE};
use crate::ir::{Aux, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::Ty;

type Kwargs = [(String, Expr, Span)];

/// A method of a container: its name, the template function for each number of arguments
/// (index = arguments given).
type Method = (&'static str, &'static [Option<&'static str>]);

/// The methods of `list[T]`.
pub const LIST_METHODS: &[Method] = &[
    ("append", &[None, Some("list_append")]),
    ("pop", &[Some("list_pop_last"), Some("list_pop")]),
    ("insert", &[None, None, Some("list_insert")]),
    ("extend", &[None, Some("list_extend")]),
    ("reverse", &[Some("list_reverse")]),
    ("sort", &[Some("list_sort")]),
    ("index", &[None, Some("list_index")]),
    ("count", &[None, Some("list_count")]),
    ("copy", &[Some("list_copy")]),
    ("clear", &[Some("list_clear")]),
    (CONTAINS, &[None, Some("list_contains")]),
    (DELITEM, &[None, Some("list_delitem")]),
    (GETSLICE, &[None, None, Some("list_getslice")]),
    ("reserve", &[None, Some("list_reserve")]),
];

/// The methods of `dict[K, V]` and `rdict[K, V]`.
pub const DICT_METHODS: &[Method] = &[
    ("get", &[None, None, Some("dict_get")]),
    ("pop", &[None, Some("dict_pop"), Some("dict_pop_default")]),
    ("clear", &[Some("dict_clear")]),
    ("keys", &[Some("dict_keys")]),
    ("values", &[Some("dict_values")]),
    (CONTAINS, &[None, Some("dict_contains")]),
    (DELITEM, &[None, Some("dict_delitem")]),
];

/// How the user wrote a reserved method, for messages.
fn written(method: &str) -> String {
    match method {
        CONTAINS => "'in'".to_string(),
        DELITEM => "'del'".to_string(),
        GETSLICE => "slicing".to_string(),
        m => format!("'{m}'"),
    }
}

impl FnCx<'_> {
    /// The container instance of type `t`, if it is one.
    pub fn container_of(&self, t: Ty) -> Option<usize> {
        match t {
            Ty::Ref(h) => self.cx.generics.by_struct.get(&h).copied(),
            _ => None,
        }
    }

    /// The container instance receiving `recv.method(...)`; `None` also for the prelude's
    /// calls through an rdict's function fields (`d.hashfn(k)`).
    pub fn container_receiver(&self, t: Ty, method: &str) -> Option<usize> {
        let inst = self.container_of(t)?;
        let st = self.instance(inst).ty;
        let field = self.cx.program.types.struct_def(st).field_index(method).is_some();
        (!(self.cx.generics.in_prelude && field)).then_some(inst)
    }

    fn instance(&self, i: usize) -> &Instance {
        &self.cx.generics.instances[i]
    }

    /// How a type is shown in diagnostics (containers as written: `list[int]`).
    pub fn show_ty(&self, t: Ty) -> String {
        match self.container_of(t) {
            Some(i) => self.instance(i).pretty.clone(),
            None => self.cx.program.types.display(t).to_string(),
        }
    }

    /// Calls the instance's `func` on lowered values.
    fn helper(
        &mut self,
        inst: usize,
        func: &str,
        vals: Vec<Value>,
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let Some(&g) = self.instance(inst).funcs.get(func) else {
            let msg = match func {
                "list_sort" => format!(
                    "{} has no natural order: sort it with a key, l.sort(key=f)",
                    self.instance(inst).pretty
                ),
                _ => format!("{} cannot compare its items", self.instance(inst).pretty),
            };
            return Err(Diagnostic::new(span, msg));
        };
        let ret = self.cx.program.graphs[g].ret;
        let r = self.emit(Opcode::Call, vals, Aux::Graph(g), ret, span);
        self.check_after_call(Some(g), span)?;
        Ok((r.map(Value::Var), ret))
    }

    /// Lowers `args` as the arguments after the receiver of the instance's `func`.
    fn helper_args(
        &mut self,
        inst: usize,
        func: &str,
        args: &[Expr],
        what: &str,
    ) -> LResult<Vec<Value>> {
        let params = match self.instance(inst).funcs.get(func) {
            Some(&g) => self.cx.program.graphs[g].params[1..].to_vec(),
            None => return Ok(Vec::new()),
        };
        let list = self.instance(inst).family == Family::List;
        let mut vals = Vec::new();
        for (i, (a, p)) in args.iter().zip(params).enumerate() {
            let role = match (what, i) {
                ("indexing" | "item assignment", 0) if list => "the index".to_string(),
                ("indexing" | "item assignment", 0) => "the key".to_string(),
                ("item assignment", _) => "the item".to_string(),
                _ => format!("argument {} of {what}", i + 1),
            };
            vals.push(self.expr_as(a, p, &role)?);
        }
        Ok(vals)
    }

    /// `x[index]` on a container `x` already lowered to `base`.
    pub fn container_getitem(
        &mut self,
        inst: usize,
        base: Value,
        index: &Expr,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let func = if self.instance(inst).family == Family::List {
            "list_getitem"
        } else {
            "dict_getitem"
        };
        let mut vals = vec![base];
        vals.extend(self.helper_args(inst, func, std::slice::from_ref(index), "indexing")?);
        let (v, t) = self.helper(inst, func, vals, span)?;
        Ok((v.expect("getitem returns a value"), t))
    }

    /// `x[index] = value` on a container `x` already lowered to `base`.
    pub fn container_setitem(
        &mut self,
        inst: usize,
        base: Value,
        index: &Expr,
        value: &Expr,
        span: Span,
    ) -> LResult<()> {
        let func = if self.instance(inst).family == Family::List {
            "list_setitem"
        } else {
            "dict_setitem"
        };
        let mut vals = vec![base];
        let both = [index.clone(), value.clone()];
        vals.extend(self.helper_args(inst, func, &both, "item assignment")?);
        self.helper(inst, func, vals, span)?;
        Ok(())
    }

    /// `x[index] op= value` on a container `x` already lowered to `base` (the index once).
    pub fn container_aug_assign(
        &mut self,
        inst: usize,
        base: Value,
        (index, op, value): (&Expr, BinOp, &Expr),
        span: Span,
    ) -> LResult<()> {
        let list = self.instance(inst).family == Family::List;
        let (get, set) =
            if list { ("list_getitem", "list_setitem") } else { ("dict_getitem", "dict_setitem") };
        let key = self.helper_args(inst, get, std::slice::from_ref(index), "indexing")?;
        let mut vals = vec![base];
        vals.extend(key.iter().cloned());
        let (old, t) = self.helper(inst, get, vals, span)?;
        let old = old.expect("getitem returns a value");
        let (new, nt) = self.binary_values(op, (old, t), value, span)?;
        self.check_assignable(nt, t, value.span, "the item")?;
        let mut vals = vec![base];
        vals.extend(key);
        vals.push(new);
        self.helper(inst, set, vals, span)?;
        Ok(())
    }

    /// `recv.method(args)` on a container.
    pub fn container_method(
        &mut self,
        inst: usize,
        recv: Value,
        method: &str,
        args: &[Expr],
        kwargs: &Kwargs,
        span: Span,
    ) -> LResult<(Option<Value>, Ty)> {
        let family = self.instance(inst).family;
        let pretty = self.instance(inst).pretty.clone();
        let table = if family == Family::List { LIST_METHODS } else { DICT_METHODS };
        let Some((_, arities)) = table.iter().find(|(m, _)| *m == method) else {
            let msg = match method {
                GETSLICE | CONTAINS | DELITEM => {
                    format!("{} cannot be applied to {pretty}", written(method))
                }
                "items" if family != Family::List => format!(
                    "'items()' of {pretty} is only the iterable of a 'for' loop: \
                     for k, v in d.items()"
                ),
                _ => format!("{pretty} has no method '{method}'"),
            };
            return Err(Diagnostic::new(span, msg));
        };
        let mut func = arities.get(args.len()).copied().flatten();
        if method == "sort" {
            func = self.sort_func(args, kwargs, span)?;
        } else if let Some((name, _, kspan)) = kwargs.first() {
            let msg = format!("unexpected keyword argument '{name}'");
            return Err(Diagnostic::new(*kspan, msg));
        }
        let Some(func) = func else {
            let counts: Vec<String> = arities
                .iter()
                .enumerate()
                .filter(|(_, f)| f.is_some())
                .map(|(n, _)| n.to_string())
                .collect();
            let msg = format!(
                "{} of {pretty} takes {} argument(s), {} given",
                written(method),
                counts.join(" or "),
                args.len()
            );
            return Err(Diagnostic::new(span, msg));
        };
        let what = written(method);
        let mut vals = vec![recv];
        if method == "sort" {
            if let Some((_, key, _)) = kwargs.first() {
                let params = self
                    .instance(inst)
                    .funcs
                    .get(func)
                    .map(|&g| self.cx.program.graphs[g].params[1]);
                if let Some(p) = params {
                    vals.push(self.expr_as(key, p, "the sort key")?);
                }
            }
        } else {
            vals.extend(self.helper_args(inst, func, args, &what)?);
        }
        self.helper(inst, func, vals, span)
    }

    fn sort_func(
        &self,
        args: &[Expr],
        kwargs: &Kwargs,
        span: Span,
    ) -> LResult<Option<&'static str>> {
        if !args.is_empty() {
            return Err(Diagnostic::new(span, "'sort' takes no positional arguments"));
        }
        match kwargs {
            [] => Ok(Some("list_sort")),
            [(name, _, _)] if name == "key" => Ok(Some("list_sort_key")),
            [(name, _, kspan), ..] if name != "key" => {
                Err(Diagnostic::new(*kspan, format!("unexpected keyword argument '{name}'")))
            }
            [_, (name, _, kspan), ..] => {
                Err(Diagnostic::new(*kspan, format!("unexpected keyword argument '{name}'")))
            }
            _ => Ok(None),
        }
    }

    /// `len(x)` of a container.
    pub fn container_len(&mut self, inst: usize, v: Value, span: Span) -> (Option<Value>, Ty) {
        let field = if self.instance(inst).family == Family::List { "length" } else { "used" };
        let st = self.instance(inst).ty;
        let idx = self.cx.program.types.struct_def(st).field_index(field).expect("length field");
        let r = self.emit(Opcode::GetField, vec![v], Aux::Field(st, idx), Ty::Int, span);
        (r.map(Value::Var), Ty::Int)
    }

    /// `[items]` where a list is expected: the struct and its array, inline.
    pub fn list_literal(
        &mut self,
        inst: usize,
        items: &[Expr],
        span: Span,
    ) -> LResult<(Value, Ty)> {
        if self.instance(inst).family != Family::List {
            let msg = format!("a list literal cannot be a {}", self.instance(inst).pretty);
            return Err(Diagnostic::new(span, msg));
        }
        let st = self.instance(inst).ty;
        let def = self.cx.program.types.struct_def(st).clone();
        let len_idx = def.field_index("length").expect("length field");
        let items_idx = def.field_index("items").expect("items field");
        let arr_ty = def.fields[items_idx as usize].ty;
        let (arr, _) = self.array_literal(items, Some(arr_ty), span)?;
        let p = self.emit(Opcode::Malloc, vec![], Aux::Type(st), Ty::Ref(st), span).unwrap();
        let len = crate::ir::Const::Int(items.len() as i64).into();
        for (idx, v) in [(len_idx, len), (items_idx, arr)] {
            self.emit(Opcode::SetField, vec![p.into(), v], Aux::Field(st, idx), Ty::Void, span);
        }
        Ok((p.into(), Ty::Ref(st)))
    }

    /// `a + b` and `a == b` when `a` is a container; `None` when `left` is not one.
    pub fn container_binary(
        &mut self,
        op: BinOp,
        left: (Value, Ty),
        right: &Expr,
        span: Span,
    ) -> LResult<Option<(Value, Ty)>> {
        let Some(inst) = self.container_of(left.1) else { return Ok(None) };
        match op {
            BinOp::Add if self.instance(inst).family == Family::List => {
                let rv = self.expr_as(right, left.1, "the right side of '+'")?;
                let (v, t) = self.helper(inst, "list_concat", vec![left.0, rv], span)?;
                Ok(Some((v.expect("concat returns a list"), t)))
            }
            BinOp::Eq | BinOp::Ne => {
                self.refuse_container_eq(op, left.1, span)?;
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// The user's name of the container type `t` (`list[int]`), outside the prelude only.
    pub fn container_name(&self, t: Ty) -> Option<String> {
        let inst = self.container_of(t).filter(|_| !self.cx.generics.in_prelude)?;
        Some(self.instance(inst).pretty.clone())
    }

    /// `==` and `!=` on a container would compare identity, unlike Python: refused, alone
    /// or in a chain (`a == b == c`, lowered by `binary_on` without `container_binary`).
    pub fn refuse_container_eq(&self, op: BinOp, t: Ty, span: Span) -> LResult<()> {
        let Some(inst) = self.container_of(t) else { return Ok(()) };
        if !matches!(op, BinOp::Eq | BinOp::Ne) || self.cx.generics.in_prelude {
            return Ok(());
        }
        let msg = format!(
            "'{}' on {} would compare identity: use 'is' / 'is not'",
            op.symbol(),
            self.instance(inst).pretty
        );
        Err(Diagnostic::new(span, msg))
    }

    /// `list()`, `dict()`, `dict_with(hash, eq)` (typed by `expected`), and the prelude's
    /// `_addr_of(x)`; `None` when `name` is none of these.
    pub fn container_builtin(
        &mut self,
        name: &str,
        args: &[Expr],
        expected: Option<Ty>,
        span: Span,
    ) -> LResult<Option<(Option<Value>, Ty)>> {
        if name == "_addr_of" && self.cx.generics.in_prelude {
            let (v, _) = self.expr(&args[0], None)?;
            let r = self.emit(Opcode::CastPtrToInt, vec![v], Aux::None, Ty::Int, span);
            return Ok(Some((r.map(Value::Var), Ty::Int)));
        }
        let family = match name {
            "list" => Family::List,
            "dict" => Family::Dict,
            "dict_with" => Family::RDict,
            _ => return Ok(None),
        };
        let inst = expected.and_then(|t| self.container_of(t));
        let Some(inst) = inst.filter(|&i| self.instance(i).family == family) else {
            let want = match family {
                Family::List => "x: list[T] = list()",
                Family::Dict => "x: dict[K, V] = dict()",
                Family::RDict => "x: rdict[K, V] = dict_with(hash, eq)",
            };
            let msg = format!("cannot infer the type of '{name}(...)' here; declare it: {want}");
            return Err(Diagnostic::new(span, msg));
        };
        let (func, vals) = match family {
            Family::List => {
                if !args.is_empty() {
                    return Err(Diagnostic::new(span, "'list()' takes no arguments"));
                }
                ("list_new", vec![crate::ir::Const::Int(0).into()])
            }
            Family::Dict => {
                if !args.is_empty() {
                    return Err(Diagnostic::new(span, "'dict()' takes no arguments"));
                }
                ("dict_new", Vec::new())
            }
            Family::RDict => {
                let g = self.instance(inst).funcs["dict_new"];
                let params = self.cx.program.graphs[g].params.clone();
                if args.len() != 2 {
                    let msg =
                        format!("'dict_with' takes 2 arguments (hash, eq), {} given", args.len());
                    return Err(Diagnostic::new(span, msg));
                }
                let h = self.expr_as(&args[0], params[0], "the hash function")?;
                let e = self.expr_as(&args[1], params[1], "the equality function")?;
                ("dict_new", vec![h, e])
            }
        };
        self.helper(inst, func, vals, span).map(Some)
    }
}

impl FnCx<'_> {
    /// `recv[start:stop]` on a container, as `recv.__getslice__(start, stop)` (a missing
    /// bound is `0` or `i64::MAX`); `None` when `recv` is not a container. A step is refused.
    pub fn container_slice(
        &mut self,
        (recv, t): (Value, Ty),
        [start, stop, step]: [Option<&Expr>; 3],
        span: Span,
    ) -> LResult<Option<(Value, Ty)>> {
        let Some(inst) = self.container_of(t) else { return Ok(None) };
        if let Some(step) = step {
            let msg = format!("a slice of {} takes no step", self.show_ty(t));
            return Err(Diagnostic::new(step.span, msg));
        }
        let int = |v: i64| Expr { kind: ExprKind::Int(v), span };
        let args = [
            start.cloned().unwrap_or_else(|| int(0)),
            stop.cloned().unwrap_or_else(|| int(i64::MAX)),
        ];
        let (v, t) = self.container_method(inst, recv, GETSLICE, &args, &[], span)?;
        Ok(Some((v.expect("a slice has a value"), t)))
    }
}

/// Messages for the reserved methods applied to something that is not a container.
pub(super) fn not_a_container(method: &str, shown: &str, span: Span) -> Option<Diagnostic> {
    let msg = match method {
        CONTAINS => format!("'in' needs a list or dict on its right, found {shown}"),
        DELITEM => format!("'del' needs a list or dict item, found an item of {shown}"),
        GETSLICE => format!("{shown} cannot be sliced"),
        _ => return None,
    };
    Some(Diagnostic::new(span, msg))
}

impl FnCx<'_> {
    /// `{k: v, ...}` where a dict is expected: `dict_new`, then `dict_setitem` per pair.
    pub fn dict_literal(
        &mut self,
        pairs: &[(Expr, Expr)],
        expected: Option<Ty>,
        span: Span,
    ) -> LResult<(Value, Ty)> {
        let inst = expected.and_then(|t| self.container_of(t));
        let Some(inst) = inst.filter(|&i| self.instance(i).family == Family::Dict) else {
            let msg = match inst {
                Some(i) => format!("a dict literal cannot be a {}", self.instance(i).pretty),
                None => "cannot infer the type of a dict literal here; declare it: \
                         x: dict[K, V] = {...}"
                    .to_string(),
            };
            return Err(Diagnostic::new(span, msg));
        };
        let (d, t) = self.helper(inst, "dict_new", Vec::new(), span)?;
        let d = d.expect("dict_new returns a dict");
        for (k, v) in pairs {
            let mut vals = vec![d];
            let both = [k.clone(), v.clone()];
            vals.extend(self.helper_args(inst, "dict_setitem", &both, "item assignment")?);
            self.helper(inst, "dict_setitem", vals, k.span)?;
        }
        Ok((d, t))
    }
}
