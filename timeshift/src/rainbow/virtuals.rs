//! Virtual objects: allocations that exist only at compile time, the ops run on them, and
//! forcing (the residual allocation and stores made when one escapes).
//!
//! A virtual object is a struct, or an array of a constant length up to
//! [`MAX_VIRTUAL_ARRAY`]; each field holds a box or `None`, the allocation's zero. Once
//! forced it stays forced: [`JitState::resolve`] turns it into its residual variable, so the
//! boxes red ops see are virtual only while the object has not escaped. A virtual object is
//! a fresh allocation, never null, identical only to itself.

use super::{Compiler, GiveUp, Step};
use crate::state::{JitState, RedBox, Virtual};
use rpy_ir::ir::{Aux, Block, Const, OpData, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::{HeapTypeIdx, Ty};

impl<'a> Compiler<'a> {
    /// Runs a red op at compile time if it allocates a virtual object or acts on one; false
    /// when it does not (an index out of a virtual array's range, a cast that fails: the op
    /// stays, and forces the object).
    pub(super) fn virtual_op(
        &self,
        st: &mut JitState,
        od: &OpData,
        boxes: &[RedBox],
    ) -> Step<bool> {
        let types = &self.program.types;
        let virt = |i: usize| match boxes.get(i) {
            Some(RedBox::Virtual(v)) => Some(*v),
            _ => None,
        };
        let b = match (od.opcode, &od.aux) {
            (Opcode::Malloc, Aux::Type(t)) => {
                let n = types.struct_def(*t).fields.len();
                allocate(st, *t, n)
            }
            (Opcode::MallocArray, Aux::Type(t)) => match boxes[0] {
                RedBox::Const(Const::Int(n)) if (0..=MAX_VIRTUAL_ARRAY).contains(&n) => {
                    allocate(st, *t, n as usize)
                }
                _ => return Ok(false),
            },
            (Opcode::PtrEq | Opcode::PtrNe, _) if virt(0).is_some() || virt(1).is_some() => {
                // A virtual object is a fresh allocation: only identical to itself.
                let same = boxes[0] == boxes[1];
                RedBox::Const(Const::Bool(same == (od.opcode == Opcode::PtrEq)))
            }
            _ => {
                let Some(v) = virt(0) else { return Ok(false) };
                match self.on_virtual(st, od, boxes, v)? {
                    Some(b) => b,
                    None => return Ok(false),
                }
            }
        };
        // A store has no result: `set_red` writes nothing.
        self.set_red(st, od.result, b);
        Ok(true)
    }

    /// An op whose first operand is the virtual object `v`, run at compile time: its result
    /// (a store's is the object itself, unused), or `None` when it cannot be run now.
    fn on_virtual(
        &self,
        st: &mut JitState,
        od: &OpData,
        boxes: &[RedBox],
        v: usize,
    ) -> Step<Option<RedBox>> {
        let types = &self.program.types;
        let len = st.virtuals[v].fields.len();
        let b = match (od.opcode, &od.aux) {
            (Opcode::ArrayLen, _) => RedBox::Const(Const::Int(len as i64)),
            (Opcode::GetArrayItem, Aux::Array(at)) => {
                let Some(i) = const_index(boxes[1], len) else { return Ok(None) };
                let elem = types.as_array(*at).expect("an array type").elem;
                field_or_zero(st.virtuals[v].fields[i], elem, "item")?
            }
            (Opcode::SetArrayItem, _) => {
                let Some(i) = const_index(boxes[1], len) else { return Ok(None) };
                st.virtuals[v].fields[i] = Some(boxes[2]);
                boxes[0]
            }
            (Opcode::SetField, Aux::Field(_, idx)) => {
                st.virtuals[v].fields[*idx as usize] = Some(boxes[1]);
                boxes[0]
            }
            (Opcode::GetField, Aux::Field(_, idx)) => {
                let field_ty = types.struct_def(st.virtuals[v].ty).fields[*idx as usize].ty;
                field_or_zero(st.virtuals[v].fields[*idx as usize], field_ty, "field")?
            }
            (Opcode::InstanceOf, Aux::Type(t)) => {
                RedBox::Const(Const::Bool(types.is_subtype(st.virtuals[v].ty, *t)))
            }
            // A failing cast of a virtual stays a (residual) cast: it fails at run time.
            (Opcode::Cast, Aux::Type(t)) if types.is_subtype(st.virtuals[v].ty, *t) => boxes[0],
            (Opcode::TypeOf, _) => {
                RedBox::Const(Const::Int(self.folder.layout().tag(st.virtuals[v].ty) as i64))
            }
            (Opcode::PtrIsNull | Opcode::PtrNonNull, _) => {
                RedBox::Const(Const::Bool(od.opcode == Opcode::PtrNonNull))
            }
            _ => return Ok(None),
        };
        Ok(Some(b))
    }

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
        .expect("an allocation has a result");
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
const MAX_VIRTUAL_ARRAY: i64 = 64;

/// A constant index within `len` items; out-of-range indexes stay residual (they fail at run
/// time, after the array is forced).
fn const_index(b: RedBox, len: usize) -> Option<usize> {
    match b {
        RedBox::Const(Const::Int(i)) if i >= 0 && (i as usize) < len => Some(i as usize),
        _ => None,
    }
}

/// A new virtual object of type `ty` with `n` fields (or items), all zero.
fn allocate(st: &mut JitState, ty: HeapTypeIdx, n: usize) -> RedBox {
    st.virtuals.push(Virtual { ty, fields: vec![None; n], forced: None });
    RedBox::Virtual(st.virtuals.len() - 1)
}

/// The box a virtual object's field (or item) holds: its own, or the allocation's zero of
/// type `ty`.
fn field_or_zero(field: Option<RedBox>, ty: Ty, what: &str) -> Step<RedBox> {
    match field {
        Some(b) => Ok(b),
        None => match Const::zero(ty) {
            Some(z) => Ok(RedBox::Const(z)),
            None => Err(GiveUp::Unsupported(format!("read of an unset function-pointer {what}"))),
        },
    }
}
