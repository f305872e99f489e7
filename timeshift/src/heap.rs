//! Compile-time reads of run-time objects the JIT was told are constant.
//!
//! A green pointer to an object that exists at run time (the bytecode string, a deep-frozen
//! constant pool, a class object reached through one) is a [`Const::Ptr`]. The hint analysis
//! made a read through it green only because the object is immutable there, or deep-frozen by
//! the interpreter's promise; such reads are done here, now, from the object's memory.
//! Mutable memory is never read: red reads stay residual ops.
//!
//! Safety: nothing here dereferences a pointer itself. The reads go through rpy-ir's checked
//! heap access ([`rpy_ir::runtime::heap`]), which reads only from an object of the collector's
//! heap that starts at the address, after checking its type and bounds: any address a
//! constant holds is safe to ask about. The value read is the one meant as long as the object
//! is alive, which the JIT driver ensures by rooting every green pointer of a key.

use rpy_ir::ir::{Aux, Const};
use rpy_ir::layout::Layout;
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::{Heap, RtValue};
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
    let Some(&Const::Ptr(..)) = args.first() else { return None };
    // A prebuilt object's address is not known here: an operand naming one gives a value no
    // read accepts.
    // The reads take an object and at most an index: no allocation per read (one per
    // bytecode fetch while compiling).
    let values = [args.first(), args.get(1)]
        .map(|c| c.map_or(RtValue::Void, |&c| RtValue::from_const(c, |_| RtValue::Void)));
    let value = Heap::new(layout, types).read_op(op, aux, &values[..args.len().min(2)])?;
    let ty = match (op, aux) {
        (Opcode::Cast, Aux::Type(t)) => Ty::Ref(*t),
        (Opcode::GetField, Aux::Field(t, f)) => types.as_struct(*t)?.fields.get(*f as usize)?.ty,
        (Opcode::GetArrayItem, Aux::Array(t)) => types.as_array(*t)?.elem,
        // Ints and bools: typed by their value.
        _ => Ty::Int,
    };
    value.to_const(ty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rpy_ir::runtime::heap::new_str;

    #[test]
    fn reads_run_time_objects_and_refuses_other_addresses() {
        let types = TypeTable::new();
        let layout = Layout::compute(&types);
        let s = new_str("ab").as_ref().unwrap();
        let ptr = Const::Ptr(s as u64, TypeTable::STR);
        let read = |op, aux: Aux, args: &[Const]| super::read(&layout, &types, op, &aux, args);
        let str_items = Aux::Array(TypeTable::STR);
        assert_eq!(read(Opcode::ArrayLen, Aux::None, &[ptr]), Some(Const::Int(2)));
        assert_eq!(
            read(Opcode::GetArrayItem, str_items.clone(), &[ptr, Const::Int(1)]),
            Some(Const::Char('b'))
        );
        assert_eq!(read(Opcode::GetArrayItem, str_items, &[ptr, Const::Int(2)]), None);
        assert_eq!(read(Opcode::Cast, Aux::Type(TypeTable::STR), &[ptr]), Some(ptr));
        assert_eq!(read(Opcode::PtrNonNull, Aux::None, &[ptr]), Some(Const::Bool(true)));
        let bogus = Const::Ptr(0x1000, TypeTable::STR);
        assert_eq!(read(Opcode::ArrayLen, Aux::None, &[bogus]), None);
        // `s` stays on this thread's stack, so the string lived through the reads.
        assert!(!s.is_null());
    }
}
