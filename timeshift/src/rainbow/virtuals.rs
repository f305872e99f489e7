//! TODO

use super::Compiler;
use crate::state::{JitState, RedBox};
use rpy_ir::ir::{Aux, Block, Const, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;

impl<'a> Compiler<'a> {
    /// Emits the allocation and field stores of a virtual object (which escapes).
    pub(super) fn force(&mut self, st: &mut JitState, cur: Block, i: usize) -> Var {
        if let Some(v) = st.virtuals[i].forced {
            return v;
        }
        self.stats.virtuals_forced += 1;
        let ty = st.virtuals[i].ty;
        let is_array = self.program.types.as_array(ty).is_some();
        let v = if is_array {
            let len = Value::Const(Const::Int(st.virtuals[i].fields.len() as i64));
            self.out.push_op(
                cur,
                Opcode::MallocArray,
                vec![len],
                Aux::Type(ty),
                Ty::Ref(ty),
                Span::UNKNOWN,
            )
        } else {
            self.out.push_op(cur, Opcode::Malloc, vec![], Aux::Type(ty), Ty::Ref(ty), Span::UNKNOWN)
        }
        .unwrap();
        self.stats.residual_ops += 1;
        st.virtuals[i].forced = Some(v);
        let fields = st.virtuals[i].fields.clone();
        for (idx, f) in fields.into_iter().enumerate() {
            if let Some(b) = f {
                let val = self.residual(st, cur, b);
                let (opcode, args, aux) = if is_array {
                    let at = Value::Const(Const::Int(idx as i64));
                    (Opcode::SetArrayItem, vec![Value::Var(v), at, val], Aux::Array(ty))
                } else {
                    (Opcode::SetField, vec![Value::Var(v), val], Aux::Field(ty, idx as u32))
                };
                self.out.push_op(cur, opcode, args, aux, Ty::Void, Span::UNKNOWN);
                self.stats.residual_ops += 1;
            }
        }
        v
    }
}

/// Arrays allocated with a constant length up to this are virtual (longer ones are real).
pub(super) const MAX_VIRTUAL_ARRAY: i64 = 64;

/// A constant index within `len` items; out-of-range indexes stay residual (they fail at run
/// time, after the array is forced).
pub(super) fn const_index(b: RedBox, len: usize) -> Option<usize> {
    match b {
        RedBox::Const(Const::Int(i)) if i >= 0 && (i as usize) < len => Some(i as usize),
        _ => None,
    }
}
