//! The code of a flexswitch site, emitted into its owner's function (the lowering of
//! `jit_hook` uses it; so do the tests with hand-built owners). The shape is in the parent
//! module's documentation.

use super::{miss_trampoline, FlexError, Site};
use crate::lower::llvm_type;
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum};
use inkwell::values::{
    BasicMetadataValueEnum, BasicValue, BasicValueEnum, InstructionValue, IntValue, PointerValue,
};
use inkwell::{AddressSpace, AtomicOrdering, IntPredicate};

/// What a site produced.
#[derive(Clone, Copy, Debug)]
pub struct SiteCode<'ctx> {
    /// The result of the case (or the handler's result word, decoded); `None` for void.
    pub result: Option<BasicValueEnum<'ctx>>,
    /// True when the miss failed (no handler, the handler's error, an invalid case): the
    /// result is then a zero value and [`super::FlexRuntime::take_errors`] says why. A failure
    /// inside the case is not included: it is reported as for any call.
    pub failed: IntValue<'ctx>,
}

/// How a site calls the case it found.
#[derive(Clone, Copy)]
pub enum CaseCall<'f> {
    /// An ordinary call (the C convention); the result joins the miss path's.
    Plain,
    /// A tail call with calling convention `conv` (the site's function has it too), after
    /// `before` (which restores what the function's return would): the case's result is the
    /// function's, and `result` is only the miss path's.
    Tail {
        /// The LLVM calling convention of the case and of the site's function.
        conv: u32,
        /// Emitted just before the call.
        before: &'f dyn Fn() -> Result<(), String>,
    },
}

/// Emits the site of `site`'s switch at the builder's position, switching on `value` (an
/// i64: chars and bools zero-extended) with `live` passed to the case (the types of
/// `site.sig.params`, in order), called as `how` says. The builder is left at the end of the
/// code, in a new block.
pub fn build_site<'ctx>(
    llcx: &'ctx Context,
    b: &Builder<'ctx>,
    site: &Site,
    value: IntValue<'ctx>,
    live: &[BasicValueEnum<'ctx>],
    how: CaseCall<'_>,
) -> Result<SiteCode<'ctx>, FlexError> {
    let switch = switch_address(llcx, site);
    build_site_at(llcx, b, site, switch, value, live, how)
}

/// The address of `site`'s switch as a constant pointer (what a site of its own embeds).
pub fn switch_address<'ctx>(llcx: &'ctx Context, site: &Site) -> PointerValue<'ctx> {
    let ptr = llcx.ptr_type(AddressSpace::default());
    llcx.i64_type().const_int(site.switch as u64, false).const_to_pointer(ptr)
}

/// [`build_site`] with the switch's address a value (`switch`): a site *shared* by the
/// switches of several `jit_hook`s whose live values have the same LLVM types, each jumping
/// to it with its own switch (a phi), as the lowering of residual code does. `site` gives the
/// signature (any of the sharing switches': their cases' LLVM types are the same) and names
/// the site in errors.
pub fn build_site_at<'ctx>(
    llcx: &'ctx Context,
    b: &Builder<'ctx>,
    site: &Site,
    switch: PointerValue<'ctx>,
    value: IntValue<'ctx>,
    live: &[BasicValueEnum<'ctx>],
    how: CaseCall<'_>,
) -> Result<SiteCode<'ctx>, FlexError> {
    let llvm = |e: inkwell::builder::BuilderError| FlexError::Llvm(e.to_string());
    let i64t = llcx.i64_type();
    let ptr = llcx.ptr_type(AddressSpace::default());
    if value.get_type() != i64t {
        return Err(FlexError::Site(format!("{}: the value switched on must be an i64", site.id)));
    }
    if live.len() != site.sig.params.len() {
        return Err(FlexError::Site(format!(
            "{}: {} live values for {} case parameters",
            site.id,
            live.len(),
            site.sig.params.len()
        )));
    }
    let mut param_tys: Vec<BasicTypeEnum> = Vec::new();
    for (i, (&ty, v)) in site.sig.params.iter().zip(live).enumerate() {
        let t = llvm_type(llcx, ty)
            .ok_or_else(|| FlexError::Site(format!("{}: void parameter {i}", site.id)))?;
        if v.get_type() != t {
            return Err(FlexError::Site(format!(
                "{}: live value {i} is a {}, the case takes a {}",
                site.id,
                v.get_type().print_to_string().to_string(),
                t.print_to_string().to_string()
            )));
        }
        param_tys.push(t);
    }
    let ret_ty = llvm_type(llcx, site.sig.ret);
    let metadata_params: Vec<BasicMetadataTypeEnum> = param_tys.iter().map(|&t| t.into()).collect();
    let case_ty = match ret_ty {
        Some(r) => r.fn_type(&metadata_params, false),
        None => llcx.void_type().fn_type(&metadata_params, false),
    };
    let here =
        b.get_insert_block().ok_or_else(|| FlexError::Site("builder not positioned".into()))?;
    let func =
        here.get_parent().ok_or_else(|| FlexError::Site("block outside a function".into()))?;

    // Spill slots in the entry block (static allocas), scanned by the collector as stack.
    let (words, out) = {
        let entry = func.get_first_basic_block().expect("the function has a block");
        let eb = llcx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => eb.position_before(&i),
            None => eb.position_at_end(entry),
        }
        let n = site.sig.params.len().max(1) as u32;
        let words = eb.build_alloca(i64t.array_type(n), "flex_words").map_err(llvm)?;
        let out = eb.build_alloca(i64t.array_type(2), "flex_out").map_err(llvm)?;
        (words, out)
    };
    let constant_ptr = |addr: usize| i64t.const_int(addr as u64, false).const_to_pointer(ptr);

    // d = load slot; f = d(switch, value)
    let slot = b.build_load(ptr, switch, "flex_dispatcher").map_err(llvm)?;
    let load = slot.as_instruction_value().expect("a load");
    load.set_alignment(8).map_err(|e| FlexError::Llvm(e.to_string()))?;
    load.set_atomic_ordering(AtomicOrdering::Monotonic)
        .map_err(|e| FlexError::Llvm(e.to_string()))?;
    let dispatch_ty = ptr.fn_type(&[ptr.into(), i64t.into()], false);
    let f = b
        .build_indirect_call(
            dispatch_ty,
            slot.into_pointer_value(),
            &[switch.into(), value.into()],
            "flex_case",
        )
        .map_err(llvm)?
        .try_as_basic_value()
        .unwrap_basic()
        .into_pointer_value();
    let hit = b.build_is_not_null(f, "flex_hit").map_err(llvm)?;
    let from_dispatch = b.get_insert_block().expect("positioned");
    let miss_bb = llcx.append_basic_block(func, "flex_miss");
    let call_bb = llcx.append_basic_block(func, "flex_call");
    let finish_bb = llcx.append_basic_block(func, "flex_finish");
    let join_bb = llcx.append_basic_block(func, "flex_join");
    let br = b.build_conditional_branch(hit, call_bb, miss_bb).map_err(llvm)?;
    likely_true(llcx, br);

    // Miss: store the live values as words, ask the runtime.
    b.position_at_end(miss_bb);
    for (k, v) in live.iter().enumerate() {
        let word = to_word(llcx, b, *v).map_err(llvm)?;
        let at = element(b, i64t.array_type(words_len(site)), words, k).map_err(llvm)?;
        b.build_store(at, word).map_err(llvm)?;
    }
    let miss_ty = ptr.fn_type(&[ptr.into(), i64t.into(), ptr.into(), ptr.into()], false);
    let call = b
        .build_indirect_call(
            miss_ty,
            constant_ptr(miss_trampoline as *const () as usize),
            &[switch.into(), value.into(), words.into(), out.into()],
            "flex_new_case",
        )
        .map_err(llvm)?;
    let cold = llcx.create_enum_attribute(Attribute::get_named_enum_kind_id("cold"), 0);
    call.add_attribute(AttributeLoc::Function, cold);
    let f2 = call.try_as_basic_value().unwrap_basic().into_pointer_value();
    let got = b.build_is_not_null(f2, "flex_got").map_err(llvm)?;
    let br = b.build_conditional_branch(got, call_bb, finish_bb).map_err(llvm)?;
    likely_true(llcx, br);

    // Call the case with the live values.
    b.position_at_end(call_bb);
    let fphi = b.build_phi(ptr, "flex_f").map_err(llvm)?;
    fphi.add_incoming(&[(&f, from_dispatch), (&f2, miss_bb)]);
    let args: Vec<BasicMetadataValueEnum> = live.iter().map(|&v| v.into()).collect();
    if let CaseCall::Tail { before, .. } = how {
        before().map_err(FlexError::Llvm)?;
    }
    let case_call = b
        .build_indirect_call(case_ty, fphi.as_basic_value().into_pointer_value(), &args, "flex_r")
        .map_err(llvm)?;
    let r = case_call.try_as_basic_value().basic();
    let r = match how {
        CaseCall::Plain => {
            b.build_unconditional_branch(join_bb).map_err(llvm)?;
            r
        }
        CaseCall::Tail { conv, .. } => {
            case_call.set_call_convention(conv);
            case_call.set_tail_call(true);
            match r {
                Some(v) => b.build_return(Some(&v)),
                None => b.build_return(None),
            }
            .map_err(llvm)?;
            None
        }
    };

    // No case: the handler's result word, or a failure.
    b.position_at_end(finish_bb);
    let out_ty = i64t.array_type(2);
    let at0 = element(b, out_ty, out, 0).map_err(llvm)?;
    let word = b.build_load(i64t, at0, "flex_word").map_err(llvm)?.into_int_value();
    let r2 = ret_ty.map(|t| from_word(b, word, t)).transpose().map_err(llvm)?;
    let at1 = element(b, out_ty, out, 1).map_err(llvm)?;
    let flag = b.build_load(i64t, at1, "flex_flag").map_err(llvm)?.into_int_value();
    let failed =
        b.build_int_compare(IntPredicate::NE, flag, i64t.const_zero(), "").map_err(llvm)?;
    b.build_unconditional_branch(join_bb).map_err(llvm)?;

    b.position_at_end(join_bb);
    if let CaseCall::Tail { .. } = how {
        return Ok(SiteCode { result: r2, failed });
    }
    let result = match (r, r2) {
        (Some(r), Some(r2)) => {
            let phi = b.build_phi(r.get_type(), "flex_result").map_err(llvm)?;
            phi.add_incoming(&[(&r, call_bb), (&r2, finish_bb)]);
            Some(phi.as_basic_value())
        }
        _ => None,
    };
    let fphi = b.build_phi(llcx.bool_type(), "flex_failed").map_err(llvm)?;
    fphi.add_incoming(&[(&llcx.bool_type().const_zero(), call_bb), (&failed, finish_bb)]);
    Ok(SiteCode { result, failed: fphi.as_basic_value().into_int_value() })
}

fn words_len(site: &Site) -> u32 {
    site.sig.params.len().max(1) as u32
}

/// The address of element `k` of the array of i64 at `base`.
fn element<'ctx>(
    b: &Builder<'ctx>,
    array: inkwell::types::ArrayType<'ctx>,
    base: PointerValue<'ctx>,
    k: usize,
) -> Result<PointerValue<'ctx>, inkwell::builder::BuilderError> {
    let i64t = array.get_element_type().into_int_type();
    // SAFETY: k is within the array (callers index live values and the two output words).
    unsafe {
        b.build_in_bounds_gep(
            array,
            base,
            &[i64t.const_zero(), i64t.const_int(k as u64, false)],
            "",
        )
    }
}

/// A live value as a 64-bit word (the entry wrappers' encoding).
pub(crate) fn to_word<'ctx>(
    llcx: &'ctx Context,
    b: &Builder<'ctx>,
    v: BasicValueEnum<'ctx>,
) -> Result<IntValue<'ctx>, inkwell::builder::BuilderError> {
    let i64t = llcx.i64_type();
    match v {
        BasicValueEnum::IntValue(i) if i.get_type().get_bit_width() == 64 => Ok(i),
        BasicValueEnum::IntValue(i) => b.build_int_z_extend(i, i64t, ""),
        BasicValueEnum::FloatValue(f) => Ok(b.build_bit_cast(f, i64t, "")?.into_int_value()),
        BasicValueEnum::PointerValue(p) => b.build_ptr_to_int(p, i64t, ""),
        other => unreachable!("no live value of type {}", other.get_type()),
    }
}

/// The value of type `ty` a word holds.
pub(crate) fn from_word<'ctx>(
    b: &Builder<'ctx>,
    w: IntValue<'ctx>,
    ty: BasicTypeEnum<'ctx>,
) -> Result<BasicValueEnum<'ctx>, inkwell::builder::BuilderError> {
    Ok(match ty {
        BasicTypeEnum::IntType(t) if t.get_bit_width() == 64 => w.into(),
        BasicTypeEnum::IntType(t) => b.build_int_truncate(w, t, "")?.into(),
        BasicTypeEnum::FloatType(t) => b.build_bit_cast(w, t, "")?,
        BasicTypeEnum::PointerType(t) => b.build_int_to_ptr(w, t, "")?.into(),
        other => unreachable!("no result of type {other}"),
    })
}

/// Marks a conditional branch as almost always taking its true side.
pub(crate) fn likely_true<'ctx>(llcx: &'ctx Context, br: InstructionValue<'ctx>) {
    weigh(llcx, br, 2000, 1);
}

/// Marks a conditional branch as almost never taking its true side.
pub(crate) fn likely_false<'ctx>(llcx: &'ctx Context, br: InstructionValue<'ctx>) {
    weigh(llcx, br, 1, 2000);
}

fn weigh<'ctx>(llcx: &'ctx Context, br: InstructionValue<'ctx>, t: u64, f: u64) {
    let i32t = llcx.i32_type();
    let weights = llcx.metadata_node(&[
        llcx.metadata_string("branch_weights").into(),
        i32t.const_int(t, false).into(),
        i32t.const_int(f, false).into(),
    ]);
    br.set_metadata(weights, llcx.get_kind_id("prof")).expect("a branch takes metadata");
}
