//! Entry wrappers: one per signature, so Rust can call any graph without knowing its LLVM
//! signature. `rpy_entry.sigN(ptr fn, ptr args, ptr result)` reads argument `k` from the
//! 64-bit word `args[k]` (ints two's complement, floats IEEE bits, bools and chars in the low
//! byte, pointers as addresses), calls `fn`, and writes the result the same way (bools and
//! chars zero-extended) to `*result` unless the signature returns void. Residual modules
//! define `rpy_entry_tail.sigN`, the same for functions of the [`super::TAILCC`] convention.

use super::{names, ModuleCx, R};
use inkwell::types::BasicType;
use inkwell::values::BasicMetadataValueEnum;
use inkwell::AddressSpace;
use inkwell::GlobalVisibility;
use rpy_ir::types::Ty;

/// Defines the entry wrappers of `sigs` (for [`super::TAILCC`] functions if `tail`).
pub(super) fn define_entries(
    m: &mut ModuleCx<'_, '_>,
    sigs: &[rpy_ir::types::SigIdx],
    tail: bool,
) -> R<()> {
    let llcx = m.llcx;
    let ptr = llcx.ptr_type(AddressSpace::default());
    let i64t = llcx.i64_type();
    let i8t = llcx.i8_type();
    let wrapper_ty = llcx.void_type().fn_type(&[ptr.into(), ptr.into(), ptr.into()], false);
    for &idx in sigs {
        let sig = m.program.types.signature(idx);
        let name = if tail { names::tail_entry } else { names::entry }(idx.as_u32() as usize);
        let f = m.module.add_function(&name, wrapper_ty, None);
        f.as_global_value().set_visibility(GlobalVisibility::Protected);
        let b = &m.builder;
        b.position_at_end(llcx.append_basic_block(f, "entry"));
        let callee = f.get_nth_param(0).expect("3 params").into_pointer_value();
        let args_ptr = f.get_nth_param(1).expect("3 params").into_pointer_value();
        let result_ptr = f.get_nth_param(2).expect("3 params").into_pointer_value();
        let mut args: Vec<BasicMetadataValueEnum> = Vec::new();
        for (k, &ty) in sig.params.iter().enumerate() {
            let idx = [i64t.const_int(k as u64, false)];
            // SAFETY: Rust passes one word per parameter.
            let at = unsafe { b.build_in_bounds_gep(i64t, args_ptr, &idx, "")? };
            let v = match ty {
                Ty::Bool => {
                    let byte = b.build_load(i8t, at, "")?.into_int_value();
                    b.build_int_truncate(byte, llcx.bool_type(), "")?.into()
                }
                _ => {
                    let lty = m.ty(ty).ok_or_else(|| m.malformed_sig("a void parameter"))?;
                    b.build_load(lty.as_basic_type_enum(), at, "")?
                }
            };
            args.push(v.into());
        }
        let call = b.build_indirect_call(m.fn_type(sig), callee, &args, "r")?;
        if tail {
            call.set_call_convention(super::TAILCC);
        }
        if let Some(r) = call.try_as_basic_value().basic() {
            let word = match sig.ret {
                Ty::Bool | Ty::Char => b.build_int_z_extend(r.into_int_value(), i64t, "")?.into(),
                _ => r,
            };
            b.build_store(result_ptr, word)?;
        }
        b.build_return(None)?;
    }
    Ok(())
}

impl ModuleCx<'_, '_> {
    fn malformed_sig(&self, what: &str) -> super::LowerError {
        super::LowerError::Malformed { graph: "<signature>".into(), message: what.into() }
    }
}
