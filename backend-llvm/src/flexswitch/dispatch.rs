//! Rewritten dispatchers (design (b)): one small module per rewrite, holding
//!
//! ```text
//! define ptr @NAME(ptr %switch, i64 %value) {
//!   switch i64 %value, label %table [ i64 K, label %case.K ... ]
//! case.K:                              ; one per known case
//!   ret ptr <address of K's case>
//! table:                               ; a value added since: the table lookup
//!   %r = musttail call ptr <table_lookup>(ptr %switch, i64 %value)
//!   ret ptr %r
//! }
//! ```
//!
//! `musttail` is what makes freeing a replaced dispatcher safe: the table lookup (which may
//! rewrite, and free this very function) never runs below a frame of it.

use super::FlexError;
use crate::target::{self, OptLevel};
use inkwell::context::Context;
use inkwell::module::Linkage;
use inkwell::targets::TargetMachine;
use inkwell::AddressSpace;
use inkwell::GlobalVisibility;

/// The object file of dispatcher `name` returning the case of each value of `cases`, and
/// tail-calling `lookup` for any other value.
pub(super) fn compile(
    name: &str,
    cases: &[(i64, usize)],
    lookup: usize,
    machine: &TargetMachine,
    opt: OptLevel,
) -> Result<Vec<u8>, FlexError> {
    let llvm = |e: inkwell::builder::BuilderError| FlexError::Llvm(e.to_string());
    let llcx = Context::create();
    let module = llcx.create_module(name);
    target::configure_module(&module, machine);
    let i64t = llcx.i64_type();
    let ptr = llcx.ptr_type(AddressSpace::default());
    let fn_ty = ptr.fn_type(&[ptr.into(), i64t.into()], false);
    let f = module.add_function(name, fn_ty, Some(Linkage::External));
    f.as_global_value().set_visibility(GlobalVisibility::Protected);
    let switch = f.get_nth_param(0).expect("2 params");
    let value = f.get_nth_param(1).expect("2 params").into_int_value();
    let b = llcx.create_builder();
    let entry = llcx.append_basic_block(f, "entry");
    let table = llcx.append_basic_block(f, "table");
    let mut arms = Vec::with_capacity(cases.len());
    for &(k, case) in cases {
        let bb = llcx.append_basic_block(f, &format!("case.{k}"));
        b.position_at_end(bb);
        let addr = i64t.const_int(case as u64, false).const_to_pointer(ptr);
        b.build_return(Some(&addr)).map_err(llvm)?;
        arms.push((i64t.const_int(k as u64, true), bb));
    }
    b.position_at_end(entry);
    b.build_switch(value, table, &arms).map_err(llvm)?;
    b.position_at_end(table);
    let callee = i64t.const_int(lookup as u64, false).const_to_pointer(ptr);
    let call =
        b.build_indirect_call(fn_ty, callee, &[switch.into(), value.into()], "r").map_err(llvm)?;
    call.set_tail_call_kind(inkwell::values::LLVMTailCallKind::LLVMTailCallKindMustTail);
    let r = call.try_as_basic_value().unwrap_basic();
    b.build_return(Some(&r)).map_err(llvm)?;
    module.verify().map_err(|e| FlexError::Llvm(format!("dispatcher {name}: {e}")))?;
    target::optimise(&module, machine, opt).map_err(FlexError::Llvm)?;
    target::emit_object(&module, machine).map_err(FlexError::Llvm)
}
