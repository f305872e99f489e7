//! What a `for` loop reads when it walks a container (`for_loops.rs` drives the loop):
//! `for x in l` over a `list[T]`, and over a `dict[K, V]` / `rdict[K, V]` its keys
//! (`for k in d`, `for k in d.keys()`), values (`d.values()`) or pairs
//! (`for k, v in d.items()`).
//!
//! No iterator object is made: the loop's hidden counter is the position, and the reads
//! are inline, so the JIT sees only the container's own fields and arrays.
//! - A list ([`ListSeq`]) is walked by index: the header reads `length` each time round (the
//!   body may append or delete, as Python's list iterator sees), the top of the body reads
//!   `items[k]`, in bounds because nothing runs between the test and the read
//!   (`0 <= k < length <= len(items)`).
//! - A dict ([`Entries`]) is walked by entry number in insertion order: the header calls the
//!   prelude's `dict_next(d, k, used)`, the first live entry at or after `k` (-1 past the
//!   last), and the top of the body reads `keys[e]` / `values[e]` and sets the counter to
//!   `e + 1`. `used` is the dict's size read before the loop: a dict whose size changed
//!   since makes `dict_next` raise `RuntimeError("dictionary changed size during
//!   iteration")`, at the next step as in CPython (a loop that leaves by `break` or `return`
//!   right after changing it does not raise). What RPy does not detect, unlike CPython: a
//!   change that keeps the size (a key deleted and another added); the walk then goes on
//!   over the entries as they are, never out of bounds.
//! - `d.keys()`, `d.values()` and `d.items()` are iterated in place (no list is made);
//!   `d.items()` is only allowed as a loop's iterable (Python's view objects are not in RPy).

use super::func::FnCx;
use super::generic::Family;
use super::{Global, LResult};
use crate::front::ast::{Expr, ExprKind};
use crate::ir::{Aux, GraphIdx, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapTypeIdx, Ty};

/// How to read a `list[T]`'s length and items.
#[derive(Clone, Copy)]
pub(super) struct ListSeq {
    /// The instance's struct and its `length` and `items` fields.
    st: HeapTypeIdx,
    length: u32,
    items: u32,
    /// The type of `items` (`array[T]`) and of the elements.
    arr: HeapTypeIdx,
    pub elem: Ty,
}

impl ListSeq {
    /// Emits the read of the list's current length.
    pub fn length(self, fx: &mut FnCx, l: Value, span: Span) -> Value {
        let aux = Aux::Field(self.st, self.length);
        fx.emit(Opcode::GetField, vec![l], aux, Ty::Int, span).unwrap().into()
    }

    /// Emits the read of item `k` (in bounds: tested against the length just before).
    pub fn item(self, fx: &mut FnCx, l: Value, k: Value, span: Span) -> Value {
        let aux = Aux::Field(self.st, self.items);
        let items = fx.emit(Opcode::GetField, vec![l], aux, Ty::Ref(self.arr), span).unwrap();
        let aux = Aux::Array(self.arr);
        fx.emit(Opcode::GetArrayItem, vec![items.into(), k], aux, self.elem, span).unwrap().into()
    }
}

/// Which part of a dict's entries a loop reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Keys,
    Values,
    Items,
}

/// A dict walked by entry number; its parts evaluated before the loop.
pub(super) struct Entries {
    dict: Value,
    /// The size the dict must keep.
    used: Value,
    part: Part,
    st: HeapTypeIdx,
    next: GraphIdx,
    keys: (u32, HeapTypeIdx, Ty),
    values: (u32, HeapTypeIdx, Ty),
}

/// The item of one step: one value, or a dict's key and value.
pub(super) enum Item {
    One(Value, Ty),
    Pair((Value, Ty), (Value, Ty)),
}

/// What a `for` loop over a container walks.
pub(super) enum ContainerWalk {
    List(Value, ListSeq),
    Dict(Entries),
}

impl Entries {
    /// Emits, in the loop header, the entry number of the next live entry at or after `k`
    /// (-1 at the end), with the exception check after the call.
    pub fn next(&self, fx: &mut FnCx, k: Value, span: Span) -> LResult<Value> {
        let args = vec![self.dict, k, self.used];
        let e = fx.emit(Opcode::Call, args, Aux::Graph(self.next), Ty::Int, span).unwrap();
        fx.check_after_call(Some(self.next), span)?;
        Ok(e.into())
    }

    /// Emits the reads of entry `e` (live, below `filled`).
    pub fn item(&self, fx: &mut FnCx, e: Value, span: Span) -> Item {
        let mut read = |(field, arr, elem): (u32, HeapTypeIdx, Ty)| {
            let aux = Aux::Field(self.st, field);
            let a = fx.emit(Opcode::GetField, vec![self.dict], aux, Ty::Ref(arr), span).unwrap();
            let aux = Aux::Array(arr);
            let v = fx.emit(Opcode::GetArrayItem, vec![a.into(), e], aux, elem, span).unwrap();
            (v.into(), elem)
        };
        match self.part {
            Part::Keys => {
                let (v, t) = read(self.keys);
                Item::One(v, t)
            }
            Part::Values => {
                let (v, t) = read(self.values);
                Item::One(v, t)
            }
            Part::Items => {
                let k = read(self.keys);
                Item::Pair(k, read(self.values))
            }
        }
    }
}

impl FnCx<'_> {
    /// The container walk of a loop over `iter`, if it is a list, a dict, or a dict's
    /// `keys()`, `values()` or `items()`; otherwise the lowered value of `iter` and its type
    /// (for the caller's other walks).
    pub(super) fn container_walk(
        &mut self,
        iter: &Expr,
    ) -> LResult<Result<ContainerWalk, (Value, Ty)>> {
        let (v, t) = match self.dict_view_walk(iter)? {
            Some(Ok(w)) => return Ok(Ok(w)),
            Some(Err(lowered)) => lowered,
            None => self.expr(iter, None)?,
        };
        let Some(inst) = self.container_of(t) else { return Ok(Err((v, t))) };
        match self.cx.generics.instances[inst].family {
            Family::List => Ok(Ok(ContainerWalk::List(v, self.list_seq(inst)))),
            Family::Dict | Family::RDict => {
                Ok(Ok(ContainerWalk::Dict(self.entries(inst, v, Part::Keys, iter.span))))
            }
        }
    }

    /// `d.keys()`, `d.values()`, `d.items()` as a loop's iterable. `Ok(None)` when `iter` is
    /// not such a call; `Ok(Some(Err(..)))` when it is a method call on something else (then
    /// lowered as the ordinary call it is).
    fn dict_view_walk(
        &mut self,
        iter: &Expr,
    ) -> LResult<Option<Result<ContainerWalk, (Value, Ty)>>> {
        let ExprKind::Call { callee, args, kwargs } = &iter.kind else { return Ok(None) };
        let ExprKind::Field(base, name) = &callee.kind else { return Ok(None) };
        let part = match name.as_str() {
            "keys" => Part::Keys,
            "values" => Part::Values,
            "items" => Part::Items,
            _ => return Ok(None),
        };
        if let ExprKind::Name(n) = &base.kind {
            let global = !self.local_ty.contains_key(n);
            if global && matches!(self.cx.globals.get(n), Some(Global::Struct(_))) {
                return Ok(None);
            }
        }
        let (recv, t) = self.expr(base, None)?;
        let inst = self.container_of(t);
        let dict = inst.filter(|&i| self.cx.generics.instances[i].family != Family::List);
        let Some(inst) = dict else {
            let at = (base.span, name.as_str(), callee.span);
            let (v, t) = self.method_call_on((recv, t), at, args, kwargs, iter.span)?;
            let Some(v) = v else {
                let msg =
                    format!("cannot iterate over the result of '{name}()': it returns nothing");
                return Err(Diagnostic::new(iter.span, msg));
            };
            return Ok(Some(Err((v, t))));
        };
        if let Some((kw, _, kspan)) = kwargs.first() {
            return Err(Diagnostic::new(*kspan, format!("unexpected keyword argument '{kw}'")));
        }
        if !args.is_empty() {
            let msg = format!("'{name}' takes no arguments, {} given", args.len());
            return Err(Diagnostic::new(iter.span, msg));
        }
        Ok(Some(Ok(ContainerWalk::Dict(self.entries(inst, recv, part, iter.span)))))
    }

    fn list_seq(&self, inst: usize) -> ListSeq {
        let st = self.cx.generics.instances[inst].ty;
        let def = self.cx.program.types.struct_def(st);
        let length = def.field_index("length").expect("a list has a length");
        let items = def.field_index("items").expect("a list has items");
        let Ty::Ref(arr) = def.fields[items as usize].ty else { unreachable!("items is an array") };
        let elem = self.cx.program.types.as_array(arr).expect("items is an array").elem;
        ListSeq { st, length, items, arr, elem }
    }

    /// The walk of dict `d`'s entries, reading its size before the loop.
    fn entries(&mut self, inst: usize, d: Value, part: Part, span: Span) -> Entries {
        let st = self.cx.generics.instances[inst].ty;
        let next = self.cx.generics.instances[inst].funcs["dict_next"];
        let def = self.cx.program.types.struct_def(st);
        let field = |name: &str| {
            let idx = def.field_index(name).expect("a dict's field");
            let Ty::Ref(arr) = def.fields[idx as usize].ty else { unreachable!("an array") };
            let elem = self.cx.program.types.as_array(arr).expect("an array").elem;
            (idx, arr, elem)
        };
        let (keys, values) = (field("keys"), field("values"));
        let used_idx = def.field_index("used").expect("a dict's size");
        let aux = Aux::Field(st, used_idx);
        let used = self.emit(Opcode::GetField, vec![d], aux, Ty::Int, span).unwrap().into();
        Entries { dict: d, used, part, st, next, keys, values }
    }
}
