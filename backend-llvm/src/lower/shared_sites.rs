//! Shared flexswitch sites: the `jit_hook`s of a residual graph whose live values have the
//! same LLVM types jump to one copy of the site code, their own switch, value and live values
//! as the copy's phis.
//!
//! Why: a site ([`crate::flexswitch::build_site`]) is some twenty instructions plus three per
//! live value (each stored as a word on the miss path), and its own stack slot for the words;
//! a residual graph has a site at every guard (a flexswitch's default, a cold branch's guard),
//! and in mini-Python's loops those made a third of the LLVM instructions of a compilation,
//! for code that runs only when a guard fails. Shared, a guard costs its jump and one phi
//! entry per value. Everything a site does that depends on its switch goes through the
//! switch's address (the dispatcher slot is its first word; the runtime's miss handler finds
//! the switch from it), so a phi of the address is all the sharing needs; the cases' LLVM
//! signature is the key (pointers are one LLVM type, so hooks whose cases take different
//! object types share).
//!
//! Invariants: a shared site is only reached by a jump from a tail `jit_hook` (the op then
//! returns the site's result: the copy ends in the function's return); a copy takes at most
//! [`FAIL_FAN_IN`] hooks (past them a new copy starts): instruction selection looks a phi's
//! incoming value up by predecessor linearly, as for the shared failure path.

use super::func::{FnLower, FAIL_FAN_IN};
use super::R;
use crate::flexswitch::{build_site_at, switch_address, CaseCall, Site};
use crate::runtime;
use inkwell::basic_block::BasicBlock;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, IntValue, PhiValue};
use inkwell::AddressSpace;

/// The LLVM types of a site's live values, then of its result, as a key: an integer's width,
/// a float's width plus 1 000, a pointer 2 000 (and 0 for no result).
pub(super) type SiteKey = Vec<u32>;

/// One copy of the site code shared by hooks with the same [`SiteKey`].
pub(super) struct SharedSite<'ctx> {
    block: BasicBlock<'ctx>,
    switch: PhiValue<'ctx>,
    value: PhiValue<'ctx>,
    live: Vec<PhiValue<'ctx>>,
    /// Hooks jumping here so far.
    uses: usize,
}

fn type_key(t: BasicTypeEnum<'_>) -> u32 {
    match t {
        BasicTypeEnum::IntType(i) => i.get_bit_width(),
        BasicTypeEnum::FloatType(f) if f == f.get_context().f32_type() => 1_032,
        BasicTypeEnum::FloatType(_) => 1_064,
        BasicTypeEnum::PointerType(_) => 2_000,
        // No live value has another type (`crate::lower::llvm_type`); kept apart anyway.
        _ => 3_000,
    }
}

impl<'ctx> FnLower<'_, '_, 'ctx> {
    /// A tail `jit_hook` of `site` switching on `value` with `live`: a jump to the shared
    /// site of the live values' types (made by the first such hook). The block is then ended
    /// ([`FnLower::exited`]: its own `return` of the hook's result is not lowered); the
    /// result returned is a placeholder for it.
    pub(super) fn shared_hook(
        &mut self,
        site: &Site,
        value: IntValue<'ctx>,
        live: &[BasicValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        self.check_live(site, live)?;
        let ret = self.m.ty(site.sig.ret).map_or(0, type_key);
        let key: SiteKey =
            live.iter().map(|v| type_key(v.get_type())).chain(std::iter::once(ret)).collect();
        let here = self.m.builder.get_insert_block().expect("positioned");
        let full = self.shared_sites.get(&key).is_none_or(|s| s.uses == FAIL_FAN_IN);
        if full {
            let s = self.build_shared(site, live)?;
            self.m.builder.position_at_end(here);
            self.shared_sites.insert(key.clone(), s);
        }
        let llcx = self.m.llcx;
        let s = self.shared_sites.get_mut(&key).expect("made above");
        s.uses += 1;
        s.switch.add_incoming(&[(&switch_address(llcx, site), here)]);
        s.value.add_incoming(&[(&value, here)]);
        for (phi, v) in s.live.iter().zip(live) {
            phi.add_incoming(&[(v, here)]);
        }
        self.m.builder.build_unconditional_branch(s.block)?;
        // The block ends here: its `return` of the hook's result is the shared copy's.
        self.exited = true;
        Ok(self.m.ty(self.graph.ret).map(|t| t.const_zero()))
    }

    /// Checks that `live` has the LLVM types of the parameters of `site`'s cases (a shared
    /// copy checks the first hook's only).
    fn check_live(&self, site: &Site, live: &[BasicValueEnum<'ctx>]) -> R<()> {
        let params = &site.sig.params;
        let same = live.len() == params.len()
            && live.iter().zip(params).all(|(v, &t)| self.m.ty(t) == Some(v.get_type()));
        if !same {
            let n = live.len();
            let m = params.len();
            return Err(self.malformed(format!(
                "jit_hook of switch {}: {n} live values do not have the types of the case's {m} \
                 parameters",
                site.id
            )));
        }
        Ok(())
    }

    /// A new copy of the site code for live values like `live` (phis with no incoming value
    /// yet), ending in the function's return of the site's result.
    fn build_shared(&mut self, site: &Site, live: &[BasicValueEnum<'ctx>]) -> R<SharedSite<'ctx>> {
        let llcx = self.m.llcx;
        let block = llcx.append_basic_block(self.func, "flex_shared");
        let b = &self.m.builder;
        b.position_at_end(block);
        let switch = b.build_phi(llcx.ptr_type(AddressSpace::default()), "flex_switch")?;
        let value = b.build_phi(llcx.i64_type(), "flex_value")?;
        let mut phis = Vec::with_capacity(live.len());
        for v in live {
            phis.push(b.build_phi(v.get_type(), "flex_live")?);
        }
        let values: Vec<BasicValueEnum> = phis.iter().map(|p| p.as_basic_value()).collect();
        let restore = || self.restore_totals().map_err(|e| e.to_string());
        let mode = CaseCall::Tail { conv: super::TAILCC, before: &restore };
        let address = switch.as_basic_value().into_pointer_value();
        let chosen = value.as_basic_value().into_int_value();
        let code = build_site_at(llcx, b, site, address, chosen, &values, mode)
            .map_err(|e| self.malformed(format!("jit_hook of switch {}: {e}", site.id)))?;
        let (how, zero) = (self.i64c(runtime::HOW_JIT as i64), self.i64c(0));
        self.fail_when(code.failed, how, runtime::NO_SITE, zero, zero, "hooked")?;
        self.return_value(code.result)?;
        Ok(SharedSite { block, switch, value, live: phis, uses: 0 })
    }
}
