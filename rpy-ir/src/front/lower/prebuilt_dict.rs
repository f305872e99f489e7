//! Prebuilt dicts: a module-level `const D: dict[K, V] = {k: v, ...}` is laid out at compile
//! time exactly as the prelude's `dict_resize` would lay it out (`front/prelude/dict.rpy`):
//! entries in source order (a repeated key keeps its first position and its last value),
//! a table of `size` slots (the least power of two from 8 with `size * 2 // 3 > 2 * n`),
//! linear probing from `hash & (size - 1)`, and entry arrays of capacity `size * 2 // 3`.
//! The hashes are the prelude's: an int itself, a char's code point, `str_hash` of a
//! string's code points ([`crate::externs::str_hash_chars`]). Struct keys hash by address, which does not
//! exist before the program runs, and an `rdict` hashes by a user function: both are
//! rejected here. With `hint(d, deepfreeze=True)` the JIT reads such a dict at compile time,
//! so a lookup with a constant key folds to its value.

use super::generic::Family;
use super::{LResult, ModuleCx};
use crate::front::ast::Expr;
use crate::ir::{Const, Prebuilt};
use crate::span::{Diagnostic, Span};
use crate::types::{Ty, TypeTable};

impl ModuleCx {
    /// The prebuilt dict of the constant `{pairs}` of type `expected`.
    pub(super) fn const_dict(
        &mut self,
        pairs: &[(Expr, Expr)],
        expected: Option<Ty>,
        span: Span,
    ) -> LResult<(Const, Ty)> {
        let inst = match expected {
            Some(Ty::Ref(h)) => self.generics.by_struct.get(&h).copied(),
            _ => None,
        };
        let Some(inst) = inst else {
            let msg = "a constant dict needs its type: const D: dict[K, V] = {...}";
            return Err(Diagnostic::new(span, msg));
        };
        let st = self.generics.instances[inst].ty;
        if self.generics.instances[inst].family != Family::Dict {
            let msg = format!(
                "a constant cannot be a {}: its hash function runs only when the program does",
                self.generics.instances[inst].pretty
            );
            return Err(Diagnostic::new(span, msg));
        }
        let def = self.program.types.struct_def(st).clone();
        let field_ty = |name: &str| def.fields[def.field_index(name).unwrap() as usize].ty;
        let (keys_ty, values_ty) = (field_ty("keys"), field_ty("values"));
        let (index_ty, live_ty) = (field_ty("index"), field_ty("live"));
        let elem = |t: Ty, types: &TypeTable| match t {
            Ty::Ref(a) => types.as_array(a).map(|a| a.elem).unwrap_or(Ty::Void),
            _ => Ty::Void,
        };
        let (kt, vt) = (elem(keys_ty, &self.program.types), elem(values_ty, &self.program.types));
        let mut keys: Vec<(Const, i64)> = Vec::new();
        let mut values: Vec<Const> = Vec::new();
        for (ke, ve) in pairs {
            let (k, t) = self.const_expr(ke, Some(kt))?;
            if !self.program.types.assignable(t, kt) {
                return Err(self.const_type_error(ke, "key", kt, t));
            }
            let (v, t) = self.const_expr(ve, Some(vt))?;
            if !self.program.types.assignable(t, vt) {
                return Err(self.const_type_error(ve, "value", vt, t));
            }
            let hash = self.const_hash(k, ke.span)?;
            match keys.iter().position(|(old, _)| self.same_key(*old, k)) {
                Some(i) => values[i] = v,
                None => {
                    keys.push((k, hash));
                    values.push(v);
                }
            }
        }
        let n = keys.len();
        let mut size = 8usize;
        while size * 2 / 3 <= n * 2 {
            size *= 2;
        }
        let cap = size * 2 / 3;
        let mut index = vec![-1i64; size];
        for (e, (_, h)) in keys.iter().enumerate() {
            let mut i = (*h as u64 & (size as u64 - 1)) as usize;
            while index[i] != -1 {
                i = (i + 1) & (size - 1);
            }
            index[i] = e as i64;
        }
        let pad = |mut v: Vec<Const>, t: Ty| {
            v.resize(cap, Const::zero(t).unwrap_or(Const::Int(0)));
            v
        };
        let mut array = |t: Ty, items: Vec<Const>| {
            let Ty::Ref(at) = t else { unreachable!("entry arrays are refs") };
            Const::Prebuilt(self.program.prebuilt.push(Prebuilt::Array(at, items)))
        };
        let index = array(index_ty, index.into_iter().map(Const::Int).collect());
        let keys = array(keys_ty, pad(keys.into_iter().map(|(k, _)| k).collect(), kt));
        let values = array(values_ty, pad(values, vt));
        let live = array(live_ty, pad(vec![Const::Bool(true); n], Ty::Bool));
        let used = Const::Int(n as i64);
        let fields = vec![used, used, index, keys, values, live];
        let p = self.program.prebuilt.push(Prebuilt::Struct(st, fields));
        Ok((Const::Prebuilt(p), Ty::Ref(st)))
    }

    /// The prelude's hash of a constant key.
    fn const_hash(&self, k: Const, span: Span) -> LResult<i64> {
        match k {
            Const::Int(i) => Ok(i),
            Const::Char(c) => Ok(c as i64),
            Const::Prebuilt(p) => match &self.program.prebuilt[p] {
                Prebuilt::Str(chars) => {
                    Ok(crate::externs::str_hash_chars(chars.iter().map(|&c| c as u32)))
                }
                _ => Err(Diagnostic::new(
                    span,
                    "a constant dict cannot have struct keys: they hash by address",
                )),
            },
            _ => Err(Diagnostic::new(span, "this key cannot be hashed at compile time")),
        }
    }

    fn same_key(&self, a: Const, b: Const) -> bool {
        match (a, b) {
            (Const::Prebuilt(x), Const::Prebuilt(y)) => {
                x == y || self.program.prebuilt[x] == self.program.prebuilt[y]
            }
            _ => a == b,
        }
    }

    fn const_type_error(&self, e: &Expr, what: &str, want: Ty, got: Ty) -> Diagnostic {
        let t = &self.program.types;
        Diagnostic::new(
            e.span,
            format!("a {what} of this dict has type {}, found {}", t.display(want), t.display(got)),
        )
    }
}
