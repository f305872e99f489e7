//! Compile-time reads of run-time objects the JIT was told are constant.
//!
//! A green pointer to an object that exists at run time (the bytecode string, a deep-frozen
//! constant pool, a class object reached through one) is a [`Const::Ptr`]. The hint analysis
//! made a read through it green only because the object is immutable there, or deep-frozen by
//! the interpreter's promise; such reads are done here, now, from the object's memory, with the
//! shared heap layout. Mutable memory is never read: red reads stay residual ops.
//!
//! Safety: the address comes from a live object the caller keeps alive (the JIT driver roots
//! every green pointer of a key), and every access is bounds-checked against the object's own
//! header and length before memory is read.

use rpy_ir::ir::{Aux, Const};
use rpy_ir::layout::{Layout, ARRAY_LENGTH_OFFSET};
use rpy_ir::ops::Opcode;
use rpy_ir::types::{Ty, TypeTable};

/// Evaluates a green op whose pointer operand is a run-time object; `None` when it cannot be
/// done at compile time (the engine then lets the op run at run time).
pub fn read(
    layout: &Layout,
    types: &TypeTable,
    op: Opcode,
    aux: &Aux,
    args: &[Const],
) -> Option<Const> {
    let Some(&Const::Ptr(addr, _)) = args.first() else { return None };
    let tag = unsafe { *(addr as *const u64) };
    let dynamic = layout.heap_type_of_tag(tag)?;
    match (op, aux) {
        (Opcode::PtrIsNull, _) => Some(Const::Bool(false)),
        (Opcode::PtrNonNull, _) => Some(Const::Bool(true)),
        (Opcode::TypeOf, _) => Some(Const::Int(tag as i64)),
        (Opcode::InstanceOf, Aux::Type(t)) => {
            let (lo, hi) = layout.tag_range(*t);
            Some(Const::Bool((lo..=hi).contains(&tag)))
        }
        (Opcode::Cast, Aux::Type(t)) => {
            let (lo, hi) = layout.tag_range(*t);
            (lo..=hi).contains(&tag).then_some(Const::Ptr(addr, *t))
        }
        (Opcode::ArrayLen, _) if layout.is_array(dynamic) => Some(Const::Int(array_len(addr))),
        (Opcode::GetArrayItem, Aux::Array(at)) if layout.is_array(dynamic) => {
            let Some(&Const::Int(i)) = args.get(1) else { return None };
            if i < 0 || i >= array_len(addr) {
                return None;
            }
            let elem = types.as_array(*at)?.elem;
            let p = addr as usize + layout.item_offset(dynamic, i as usize);
            word_const(p, layout.item_size(dynamic), elem)
        }
        (Opcode::GetField, Aux::Field(st, idx))
            if !layout.is_array(dynamic) && types.is_subtype(dynamic, *st) =>
        {
            let ty = types.struct_def(*st).fields.get(*idx as usize)?.ty;
            let p = addr as usize + layout.field_offset(dynamic, *idx);
            word_const(p, 8, ty)
        }
        _ => None,
    }
}

fn array_len(addr: u64) -> i64 {
    unsafe { *((addr as usize + ARRAY_LENGTH_OFFSET) as *const i64) }
}

/// The value of type `ty` stored at `p` in a slot of `size` bytes.
fn word_const(p: usize, size: usize, ty: Ty) -> Option<Const> {
    let word = unsafe {
        match size {
            1 => *(p as *const u8) as u64,
            _ => *(p as *const u64),
        }
    };
    Some(match ty {
        Ty::Int => Const::Int(word as i64),
        Ty::Float => Const::Float(word),
        Ty::Bool => Const::Bool(word & 0xff != 0),
        Ty::Char => Const::Char(word as u8),
        Ty::Ref(t) if word == 0 => Const::Null(t),
        Ty::Ref(t) => Const::Ptr(word, t),
        // Function pointers are represented differently by each backend: not read.
        Ty::Func(_) | Ty::Void => return None,
    })
}
