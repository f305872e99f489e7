//! The JIT runtime's two externs that residual code calls on its hot paths, lowered in line:
//! `jit_quasi_valid(token)` (the validity test of code relying on quasi-immutable fields, at
//! every entry and after residual calls that may write one) becomes one acquire load of the
//! token's flag byte, and `jit_direct_calls(delta)` (around each direct portal call) a relaxed
//! load, add and store of the running count: the same memory operations the Rust functions
//! do (`rpy_ir::runtime::quasi::is_valid`, `rpy_ir::runtime::portal_calls::add`), without a
//! call (on fib, `jit_quasi_valid` alone was 2–3% of the run).
//!
//! Invariant: only with a constant argument naming a token that exists (its flag's address is
//! then fixed for the process), so only in code compiled in this process, which is where the
//! JIT emits them; every other case stays a call of the extern.

use super::func::FnLower;
use super::R;
use inkwell::values::{BasicValue, BasicValueEnum};
use inkwell::AtomicOrdering;
use inkwell::IntPredicate;
use rpy_ir::runtime::{portal_calls, quasi};

/// What an in-line lowering made: not handled (call the extern), or handled with this result
/// (`None` for an extern without one).
pub(super) enum Inline<'ctx> {
    Call,
    Done(Option<BasicValueEnum<'ctx>>),
}

impl<'ctx> FnLower<'_, '_, 'ctx> {
    /// The in-line lowering of a call of runtime extern `name` on `args`, if it has one.
    pub(super) fn runtime_extern(
        &mut self,
        name: &str,
        args: &[BasicValueEnum<'ctx>],
    ) -> R<Inline<'ctx>> {
        let constant = match args {
            [BasicValueEnum::IntValue(v)] => v.get_sign_extended_constant(),
            _ => None,
        };
        let Some(k) = constant else { return Ok(Inline::Call) };
        let llcx = self.m.llcx;
        let b = &self.m.builder;
        let at =
            |addr: u64| llcx.i64_type().const_int(addr, false).const_to_pointer(self.ptr_type());
        if name == quasi::VALID_CHECK {
            let Some(addr) =
                u32::try_from(k).ok().and_then(|t| quasi::flag_address(quasi::Token(t)))
            else {
                return Ok(Inline::Call);
            };
            let i8t = llcx.i8_type();
            let flag = b.build_load(i8t, at(addr), "quasi_flag")?;
            let load = flag.as_instruction_value().expect("a load is an instruction");
            load.set_atomic_ordering(AtomicOrdering::Acquire)
                .map_err(|e| self.malformed(e.to_string()))?;
            load.set_alignment(1).map_err(|e| self.malformed(e.to_string()))?;
            let valid =
                b.build_int_compare(IntPredicate::NE, flag.into_int_value(), i8t.const_zero(), "")?;
            return Ok(Inline::Done(Some(valid.into())));
        }
        if name == portal_calls::DIRECT_CALLS {
            let i64t = llcx.i64_type();
            let count = at(portal_calls::count_address());
            let old = b.build_load(i64t, count, "direct_calls")?;
            let load = old.as_instruction_value().expect("a load is an instruction");
            load.set_atomic_ordering(AtomicOrdering::Monotonic)
                .map_err(|e| self.malformed(e.to_string()))?;
            load.set_alignment(8).map_err(|e| self.malformed(e.to_string()))?;
            let new = b.build_int_add(old.into_int_value(), i64t.const_int(k as u64, true), "")?;
            let store = b.build_store(count, new)?;
            store
                .set_atomic_ordering(AtomicOrdering::Monotonic)
                .map_err(|e| self.malformed(e.to_string()))?;
            store.set_alignment(8).map_err(|e| self.malformed(e.to_string()))?;
            return Ok(Inline::Done(None));
        }
        Ok(Inline::Call)
    }
}
