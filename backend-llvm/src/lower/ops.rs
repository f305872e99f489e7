//! Lowering of ops: the semantics of the op table ([`rpy_ir::ops`]) in LLVM IR, checks first.
//!
//! Conventions: `int` arithmetic wraps (no `nsw`/`nuw`); division and shifts never reach an
//! LLVM instruction with an operand that would make it undefined (`sdiv` by 0 or `MIN / -1`,
//! shifts by 64 or more): those cases are tested or selected away first. A failing check
//! branches to the function's failure path with its site and values.

use super::func::FnLower;
use super::R;
use crate::errors::Site;
use crate::runtime;
use inkwell::attributes::AttributeLoc;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicMetadataValueEnum, BasicValue, BasicValueEnum, IntValue, PointerValue};
use inkwell::{FloatPredicate, IntPredicate};
use rpy_ir::externs::ExternTy;
use rpy_ir::ir::{Aux, Const, OpIdx};
use rpy_ir::layout::{ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::{RuntimeErrorKind as Kind, MAX_ARRAY_BYTES};
use rpy_ir::types::Ty;

impl<'m, 'a, 'ctx> FnLower<'m, 'a, 'ctx> {
    /// The LLVM value of a constant.
    pub(super) fn constant(&mut self, c: Const) -> R<BasicValueEnum<'ctx>> {
        let llcx = self.m.llcx;
        Ok(match c {
            Const::Int(i) => llcx.i64_type().const_int(i as u64, false).into(),
            Const::Float(bits) => llcx.f64_type().const_float(f64::from_bits(bits)).into(),
            Const::Bool(b) => llcx.bool_type().const_int(b as u64, false).into(),
            Const::Char(ch) => llcx.i32_type().const_int(u64::from(ch), false).into(),
            Const::Null(_) => self.ptr_type().const_null().into(),
            Const::Ptr(addr, _) => {
                let int = llcx.i64_type().const_int(addr, false);
                int.const_to_pointer(self.ptr_type()).into()
            }
            Const::Func(g) => self.m.func(g)?.as_global_value().as_pointer_value().into(),
            Const::Prebuilt(p) => {
                if p.as_u32() >= self.m.rt.prebuilt_len {
                    return Err(self.malformed(format!("no prebuilt object {p}")));
                }
                let known = self.m.residual.and_then(|r| r.prebuilt.get(p.as_u32() as usize));
                if let Some(&addr) = known.filter(|&&a| a != 0) {
                    let int = llcx.i64_type().const_int(addr, false);
                    return Ok(int.const_to_pointer(self.ptr_type()).into());
                }
                // The table is filled before any code runs and never changes afterwards.
                let b = &self.m.builder;
                let ptr = self.ptr_type();
                let table_ty = ptr.array_type(self.m.rt.prebuilt_len);
                let i64t = llcx.i64_type();
                let idx = [i64t.const_zero(), i64t.const_int(p.as_u32() as u64, false)];
                // SAFETY: the index is within the table (checked above).
                let slot = unsafe {
                    b.build_in_bounds_gep(
                        table_ty,
                        self.m.rt.prebuilt.as_pointer_value(),
                        &idx,
                        "",
                    )?
                };
                let v = b.build_load(ptr, slot, &p.to_string())?;
                let kind = llcx.get_kind_id("invariant.load");
                v.as_instruction_value()
                    .expect("a load is an instruction")
                    .set_metadata(llcx.metadata_node(&[]), kind)
                    .expect("invariant.load applies to loads");
                v
            }
        })
    }

    pub(super) fn ptr_type(&self) -> inkwell::types::PointerType<'ctx> {
        self.m.llcx.ptr_type(inkwell::AddressSpace::default())
    }

    pub(super) fn i64c(&self, v: i64) -> IntValue<'ctx> {
        self.m.llcx.i64_type().const_int(v as u64, false)
    }

    /// Lowers one op.
    pub(super) fn op(&mut self, o: OpIdx) -> R<()> {
        let op = &self.graph.ops[o];
        let args: Vec<BasicValueEnum> = op.args.iter().map(|&a| self.value(a)).collect::<R<_>>()?;
        let result = match self.overflow_op(op.opcode, &args)? {
            Some(v) => Some(v),
            None => match self.pure_op(op.opcode, &args)? {
                Some(v) => Some(v),
                None => self.effect_op(o, &args)?,
            },
        };
        match (op.result, result) {
            (Some(var), Some(v)) => self.vals[var] = Some(v),
            (Some(var), None) => {
                return Err(
                    self.malformed(format!("`{}` defines {var} but has no value", op.opcode))
                )
            }
            (None, _) => {}
        }
        Ok(())
    }

    fn arity(&self, o: OpIdx, args: &[BasicValueEnum<'ctx>], n: usize) -> R<()> {
        if args.len() != n {
            let op = &self.graph.ops[o];
            return Err(self.malformed(format!(
                "`{}` expects {n} operands, found {}",
                op.opcode,
                args.len()
            )));
        }
        Ok(())
    }

    /// Ops that cannot fail and touch no memory; `None` for the others.
    fn pure_op(
        &self,
        opcode: Opcode,
        args: &[BasicValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        use Opcode::*;
        let b = &self.m.builder;
        let i = |k: usize| args[k].into_int_value();
        let f = |k: usize| args[k].into_float_value();
        let need = |n: usize| args.len() == n;
        let icmp = |p: IntPredicate| -> R<BasicValueEnum<'ctx>> {
            if let (BasicValueEnum::PointerValue(x), BasicValueEnum::PointerValue(y)) =
                (args[0], args[1])
            {
                return Ok(b.build_int_compare(p, x, y, "")?.into());
            }
            Ok(b.build_int_compare(p, i(0), i(1), "")?.into())
        };
        let fcmp = |p: FloatPredicate| -> R<BasicValueEnum<'ctx>> {
            Ok(b.build_float_compare(p, f(0), f(1), "")?.into())
        };
        let i64t = self.m.llcx.i64_type();
        let v: BasicValueEnum = match opcode {
            IntAdd if need(2) => b.build_int_add(i(0), i(1), "")?.into(),
            IntSub if need(2) => b.build_int_sub(i(0), i(1), "")?.into(),
            IntMul if need(2) => b.build_int_mul(i(0), i(1), "")?.into(),
            IntAnd if need(2) => b.build_and(i(0), i(1), "")?.into(),
            IntOr if need(2) => b.build_or(i(0), i(1), "")?.into(),
            IntXor if need(2) => b.build_xor(i(0), i(1), "")?.into(),
            IntNeg if need(1) => b.build_int_sub(i64t.const_zero(), i(0), "")?.into(),
            IntInvert if need(1) => b.build_not(i(0), "")?.into(),
            IntLt | CharLt if need(2) => icmp(signed_or(opcode, IntPredicate::SLT))?,
            IntLe | CharLe if need(2) => icmp(signed_or(opcode, IntPredicate::SLE))?,
            IntGt | CharGt if need(2) => icmp(signed_or(opcode, IntPredicate::SGT))?,
            IntGe | CharGe if need(2) => icmp(signed_or(opcode, IntPredicate::SGE))?,
            IntEq | CharEq | BoolEq | PtrEq if need(2) => icmp(IntPredicate::EQ)?,
            IntNe | CharNe | BoolNe | PtrNe if need(2) => icmp(IntPredicate::NE)?,
            FloatAdd if need(2) => b.build_float_add(f(0), f(1), "")?.into(),
            FloatSub if need(2) => b.build_float_sub(f(0), f(1), "")?.into(),
            FloatMul if need(2) => b.build_float_mul(f(0), f(1), "")?.into(),
            FloatTrueDiv if need(2) => b.build_float_div(f(0), f(1), "")?.into(),
            FloatNeg if need(1) => b.build_float_neg(f(0), "")?.into(),
            // Rust's (and llinterp's) comparisons: ordered, except `!=` (true on NaN).
            FloatLt if need(2) => fcmp(FloatPredicate::OLT)?,
            FloatLe if need(2) => fcmp(FloatPredicate::OLE)?,
            FloatEq if need(2) => fcmp(FloatPredicate::OEQ)?,
            FloatNe if need(2) => fcmp(FloatPredicate::UNE)?,
            FloatGt if need(2) => fcmp(FloatPredicate::OGT)?,
            FloatGe if need(2) => fcmp(FloatPredicate::OGE)?,
            CastIntToFloat if need(1) => {
                b.build_signed_int_to_float(i(0), self.m.llcx.f64_type(), "")?.into()
            }
            CastFloatToInt if need(1) => {
                // Saturating, NaN to 0: Rust's `as`, the op's definition.
                let r = b.build_call(self.m.rt.fptosi_sat, &[f(0).into()], "")?;
                r.try_as_basic_value().unwrap_basic()
            }
            CastCharToInt | CastBoolToInt if need(1) => {
                b.build_int_z_extend(i(0), i64t, "")?.into()
            }
            CastPtrToInt if need(1) => {
                b.build_ptr_to_int(args[0].into_pointer_value(), i64t, "")?.into()
            }
            BoolNot if need(1) => b.build_not(i(0), "")?.into(),
            PtrIsNull if need(1) => b.build_is_null(args[0].into_pointer_value(), "")?.into(),
            PtrNonNull if need(1) => b.build_is_not_null(args[0].into_pointer_value(), "")?.into(),
            SameAs if need(1) => args[0],
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// Ops that can fail, touch memory or call.
    fn effect_op(
        &mut self,
        o: OpIdx,
        args: &[BasicValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        let op = &self.graph.ops[o];
        let opcode = op.opcode;
        let aux = op.aux.clone();
        let program = self.m.program;
        let layout = self.m.layout;
        let i64t = self.m.llcx.i64_type();
        Ok(Some(match (opcode, aux) {
            (Opcode::IntFloorDiv | Opcode::IntMod | Opcode::IntLshift | Opcode::IntRshift, _) => {
                self.arity(o, args, 2)?;
                let (x, y) = (args[0].into_int_value(), args[1].into_int_value());
                self.checked_int_op(o, opcode, x, y)?.into()
            }
            (Opcode::CastIntToChar, _) => {
                self.arity(o, args, 1)?;
                let v = args[0].into_int_value();
                // A Unicode scalar value: at most 0x10FFFF and not a surrogate
                // (0xD800..=0xDFFF, i.e. v - 0xD800 <u 0x800).
                let b = &self.m.builder;
                let big = b.build_int_compare(IntPredicate::UGT, v, self.i64c(0x10FFFF), "")?;
                let off = b.build_int_sub(v, self.i64c(0xD800), "")?;
                let sur = b.build_int_compare(IntPredicate::ULT, off, self.i64c(0x800), "")?;
                let bad = b.build_or(big, sur, "")?;
                self.fail_if(bad, o, Kind::InvalidChr, v, self.i64c(0))?;
                self.m.builder.build_int_truncate(v, self.m.llcx.i32_type(), "")?.into()
            }
            (Opcode::Malloc, Aux::Type(t)) if !layout.is_array(t) => {
                self.arity(o, args, 0)?;
                let bytes = layout.struct_size(t);
                let size = self.i64c(bytes as i64);
                let p = if bytes.div_ceil(16) <= super::FREE_CLASSES {
                    let granules = self.i64c(bytes.div_ceil(16).max(1) as i64);
                    self.alloc_small(granules)?
                } else {
                    let b = &self.m.builder;
                    let call = b.build_call(self.m.rt.gc_malloc, &[size.into()], "obj")?;
                    call.try_as_basic_value().unwrap_basic().into_pointer_value()
                };
                let null = self.m.builder.build_is_null(p, "")?;
                self.fail_if(null, o, Kind::OutOfMemory, size, self.i64c(0))?;
                let tag = self.m.builder.build_store(p, self.i64c(layout.tag(t) as i64))?;
                self.m.tbaa.heap(tag);
                self.note_checked(p);
                p.into()
            }
            (Opcode::MallocArray, Aux::Type(t)) if layout.is_array(t) => {
                self.arity(o, args, 1)?;
                let len = args[0].into_int_value();
                let zero = self.i64c(0);
                let b = &self.m.builder;
                let negative = b.build_int_compare(IntPredicate::SLT, len, zero, "")?;
                self.fail_if(negative, o, Kind::NegativeLength, len, zero)?;
                let item = layout.item_size(t);
                let max_len = ((MAX_ARRAY_BYTES - ARRAY_ITEMS_OFFSET) / item) as i64;
                let b = &self.m.builder;
                let huge = b.build_int_compare(IntPredicate::SGT, len, self.i64c(max_len), "")?;
                self.fail_if(huge, o, Kind::OutOfMemory, len, zero)?;
                let p = self.alloc_array(t, len, item)?;
                let null = self.m.builder.build_is_null(p, "")?;
                self.fail_if(null, o, Kind::OutOfMemory, len, zero)?;
                self.note_checked(p);
                if let Some(n) = len.get_sign_extended_constant().filter(|&n| n > 0) {
                    self.note_bounded(p, n as u64 - 1);
                }
                p.into()
            }
            (Opcode::GetField, Aux::Field(t, field)) => {
                self.arity(o, args, 1)?;
                let ty = self.field_ty(t, field)?;
                let p = self.non_null(o, args[0])?;
                let at = self.offset(p, layout.field_offset(t, field) as u64)?;
                self.load_slot(at, ty)?
            }
            (Opcode::SetField, Aux::Field(t, field)) => {
                self.arity(o, args, 2)?;
                let ty = self.field_ty(t, field)?;
                let p = self.non_null(o, args[0])?;
                let at = self.offset(p, layout.field_offset(t, field) as u64)?;
                self.store_slot(at, ty, args[1])?;
                return Ok(None);
            }
            (Opcode::GetArrayItem, Aux::Array(t)) => {
                self.arity(o, args, 2)?;
                let elem = self.elem_ty(t)?;
                let at = self.item(o, args[0], args[1].into_int_value(), elem)?;
                self.load_item(at, elem)?
            }
            (Opcode::SetArrayItem, Aux::Array(t)) => {
                self.arity(o, args, 3)?;
                let elem = self.elem_ty(t)?;
                let at = self.item(o, args[0], args[1].into_int_value(), elem)?;
                self.store_item(at, elem, args[2])?;
                return Ok(None);
            }
            (Opcode::ArrayLen, _) => {
                self.arity(o, args, 1)?;
                let p = self.array_ptr(o, args[0])?;
                let at = self.offset(p, ARRAY_LENGTH_OFFSET as u64)?;
                self.m.tbaa.heap_load(self.m.builder.build_load(i64t, at, "len")?)
            }
            (Opcode::TypeOf, _) => {
                self.arity(o, args, 1)?;
                let p = self.non_null(o, args[0])?;
                self.m.tbaa.heap_load(self.m.builder.build_load(i64t, p, "tag")?)
            }
            (Opcode::InstanceOf, Aux::Type(t)) | (Opcode::Cast, Aux::Type(t)) => {
                self.arity(o, args, 1)?;
                let (lo, hi) = layout.tag_range(t);
                self.type_test(o, opcode, args[0].into_pointer_value(), lo, hi)?
            }
            (Opcode::Call, Aux::Graph(g)) => {
                let callee = program
                    .graphs
                    .get(g)
                    .ok_or_else(|| self.malformed(format!("call of unknown {g}")))?;
                self.arity(o, args, callee.params.len())?;
                let a: Vec<BasicMetadataValueEnum> = args.iter().map(|&v| v.into()).collect();
                let tail = self.tail == Some(o);
                if tail {
                    // The callee replaces this frame: its depth is this frame's.
                    self.restore_totals()?;
                } else {
                    self.around_call(true)?;
                }
                let call = match self.m.slot(g) {
                    Some(slot) => {
                        let sig =
                            rpy_ir::types::Sig { params: callee.params.clone(), ret: callee.ret };
                        let fty = self.m.fn_type(&sig);
                        let at = self.i64c(slot as i64).const_to_pointer(self.ptr_type());
                        let f = self.m.builder.build_load(self.ptr_type(), at, "code")?;
                        let call = self.m.builder.build_indirect_call(
                            fty,
                            f.into_pointer_value(),
                            &a,
                            "",
                        )?;
                        call.set_call_convention(super::TAILCC);
                        call
                    }
                    None => {
                        let f = self.m.func(g)?;
                        self.m.builder.build_call(f, &a, "")?
                    }
                };
                let r = call.try_as_basic_value().basic();
                if tail {
                    call.set_tail_call(true);
                    self.return_now(r)?;
                } else {
                    self.around_call(false)?;
                    self.check_callee(o)?;
                }
                return Ok(r);
            }
            (Opcode::JitHook, Aux::Hook(id)) => return self.jit_hook(o, id, args),
            (Opcode::JitMerge, Aux::Hook(greens)) => {
                self.jit_merge(greens as usize, args)?;
                return Ok(None);
            }
            (Opcode::CallIndirect, Aux::Sig(sig)) => {
                let sig = program.types.signature(sig).clone();
                self.arity(o, args, sig.params.len() + 1)?;
                let fptr = self.non_null(o, args[0])?;
                let fty = self.m.fn_type(&sig);
                let a: Vec<BasicMetadataValueEnum> = args[1..].iter().map(|&v| v.into()).collect();
                self.around_call(true)?;
                let call = self.m.builder.build_indirect_call(fty, fptr, &a, "")?;
                self.around_call(false)?;
                self.check_callee(o)?;
                return Ok(call.try_as_basic_value().basic());
            }
            (Opcode::CallExtern, Aux::Extern(name)) => {
                let def = rpy_ir::externs::lookup(&name)
                    .ok_or_else(|| self.malformed(format!("unknown extern `{name}`")))?;
                self.arity(o, args, def.params.len())?;
                if let Some(v) = self.intrinsic_extern(def.name, args)? {
                    return Ok(Some(v));
                }
                if let super::runtime_externs::Inline::Done(v) =
                    self.runtime_extern(def.name, args)?
                {
                    return Ok(v);
                }
                let f = self.m.extern_fn(def);
                let a: Vec<BasicMetadataValueEnum> = args.iter().map(|&v| v.into()).collect();
                let call = self.m.builder.build_call(f, &a, "")?;
                for (k, p) in def.params.iter().enumerate() {
                    if matches!(p, ExternTy::Bool | ExternTy::Char) {
                        call.add_attribute(
                            AttributeLoc::Param(k as u32),
                            super::zeroext(self.m.llcx),
                        );
                    }
                }
                if matches!(def.ret, ExternTy::Bool | ExternTy::Char) {
                    call.add_attribute(AttributeLoc::Return, super::zeroext(self.m.llcx));
                }
                return Ok(call.try_as_basic_value().basic());
            }
            (Opcode::Hint, _) => return Ok(args.first().copied().filter(|_| op.result.is_some())),
            (opcode, aux) => {
                return Err(self.malformed(format!("op `{opcode}` with {aux:?} cannot be lowered")))
            }
        }))
    }

    /// `//`, `%` and shifts: the check of the right operand (a zero divisor, a negative shift
    /// count) and the op.
    fn checked_int_op(
        &mut self,
        o: OpIdx,
        opcode: Opcode,
        x: IntValue<'ctx>,
        y: IntValue<'ctx>,
    ) -> R<IntValue<'ctx>> {
        let zero = self.i64c(0);
        if matches!(opcode, Opcode::IntLshift | Opcode::IntRshift) {
            let negative = self.m.builder.build_int_compare(IntPredicate::SLT, y, zero, "")?;
            self.fail_if(negative, o, Kind::NegativeShift, x, y)?;
            return self.shift(opcode, x, y);
        }
        if let Some(c) = y.get_sign_extended_constant().filter(|&c| c > 0) {
            return self.divmod_by_positive(opcode, x, c);
        }
        let is_zero = self.m.builder.build_int_compare(IntPredicate::EQ, y, zero, "")?;
        self.fail_if(is_zero, o, Kind::DivisionByZero, x, y)?;
        self.divmod(opcode, x, y)
    }

    /// Python's `//` and `%` on wrapping ints (`MIN // -1` is `MIN`, `MIN % -1` is 0), `y`
    /// not zero.
    fn divmod(&self, opcode: Opcode, x: IntValue<'ctx>, y: IntValue<'ctx>) -> R<IntValue<'ctx>> {
        let zero = self.i64c(0);
        let b = &self.m.builder;
        // Divide by 1 instead of -1 (sdiv MIN, -1 is undefined) and fix the quotient up.
        let minus_one = b.build_int_compare(IntPredicate::EQ, y, self.i64c(-1), "")?;
        let ys = b.build_select(minus_one, self.i64c(1), y, "")?.into_int_value();
        let r = b.build_int_signed_rem(x, ys, "")?;
        let r_nonzero = b.build_int_compare(IntPredicate::NE, r, zero, "")?;
        if opcode == Opcode::IntFloorDiv {
            let q = b.build_int_signed_div(x, ys, "")?;
            let signs = b.build_xor(x, ys, "")?;
            let differ = b.build_int_compare(IntPredicate::SLT, signs, zero, "")?;
            let adjust = b.build_and(r_nonzero, differ, "")?;
            let adjust = b.build_int_z_extend(adjust, self.m.llcx.i64_type(), "")?;
            let q = b.build_int_sub(q, adjust, "")?;
            let neg = b.build_int_sub(zero, x, "")?;
            Ok(b.build_select(minus_one, neg, q, "floordiv")?.into_int_value())
        } else {
            let signs = b.build_xor(r, ys, "")?;
            let differ = b.build_int_compare(IntPredicate::SLT, signs, zero, "")?;
            let adjust = b.build_and(r_nonzero, differ, "")?;
            let fixed = b.build_int_add(r, ys, "")?;
            Ok(b.build_select(adjust, fixed, r, "mod")?.into_int_value())
        }
    }

    /// `//` and `%` by a positive constant: no check; powers of two become a shift or a mask
    /// (exact for Python's floor semantics), others need only the sign fix-up of `x < 0`.
    fn divmod_by_positive(&self, opcode: Opcode, x: IntValue<'ctx>, c: i64) -> R<IntValue<'ctx>> {
        let b = &self.m.builder;
        let floor = opcode == Opcode::IntFloorDiv;
        if c.count_ones() == 1 {
            return Ok(if floor {
                b.build_right_shift(x, self.i64c(c.trailing_zeros() as i64), true, "floordiv")?
            } else {
                b.build_and(x, self.i64c(c - 1), "mod")?
            });
        }
        let zero = self.i64c(0);
        let r = b.build_int_signed_rem(x, self.i64c(c), "")?;
        let r_negative = b.build_int_compare(IntPredicate::SLT, r, zero, "")?;
        if floor {
            let q = b.build_int_signed_div(x, self.i64c(c), "")?;
            let adjust = b.build_int_z_extend(r_negative, self.m.llcx.i64_type(), "")?;
            Ok(b.build_int_sub(q, adjust, "floordiv")?)
        } else {
            let fixed = b.build_int_add(r, self.i64c(c), "")?;
            Ok(b.build_select(r_negative, fixed, r, "mod")?.into_int_value())
        }
    }

    /// Shifts by a count `c` not negative: counts of 64 or more give 0 (left) or the sign
    /// (right).
    fn shift(&self, opcode: Opcode, x: IntValue<'ctx>, c: IntValue<'ctx>) -> R<IntValue<'ctx>> {
        let zero = self.i64c(0);
        let b = &self.m.builder;
        let big = b.build_int_compare(IntPredicate::SGT, c, self.i64c(63), "")?;
        if opcode == Opcode::IntLshift {
            let masked = b.build_and(c, self.i64c(63), "")?;
            let shifted = b.build_left_shift(x, masked, "")?;
            Ok(b.build_select(big, zero, shifted, "shl")?.into_int_value())
        } else {
            let count = b.build_select(big, self.i64c(63), c, "")?.into_int_value();
            Ok(b.build_right_shift(x, count, true, "shr")?)
        }
    }

    /// `instanceof` (null: false) and `cast` (null passes; other types fail).
    fn type_test(
        &mut self,
        o: OpIdx,
        opcode: Opcode,
        p: PointerValue<'ctx>,
        lo: u64,
        hi: u64,
    ) -> R<BasicValueEnum<'ctx>> {
        let llcx = self.m.llcx;
        let b = &self.m.builder;
        let is_null = b.build_is_null(p, "")?;
        let from_null = b.get_insert_block().expect("positioned");
        let check = llcx.append_basic_block(self.func, "typecheck");
        let join = llcx.append_basic_block(self.func, "typed");
        b.build_conditional_branch(is_null, join, check)?;
        b.position_at_end(check);
        let tag = self.m.tbaa.heap_load(b.build_load(llcx.i64_type(), p, "tag")?).into_int_value();
        let rel = b.build_int_sub(tag, self.i64c(lo as i64), "")?;
        let inside =
            b.build_int_compare(IntPredicate::ULE, rel, self.i64c((hi - lo) as i64), "")?;
        if opcode == Opcode::Cast {
            let outside = b.build_not(inside, "")?;
            self.fail_if(outside, o, Kind::BadCast, tag, self.i64c(0))?;
            self.m.builder.build_unconditional_branch(join)?;
            self.m.builder.position_at_end(join);
            return Ok(p.into());
        }
        let from_check = b.get_insert_block().expect("positioned");
        b.build_unconditional_branch(join)?;
        b.position_at_end(join);
        let phi = b.build_phi(llcx.bool_type(), "isa")?;
        phi.add_incoming(&[(&llcx.bool_type().const_zero(), from_null), (&inside, from_check)]);
        Ok(phi.as_basic_value())
    }

    /// Fails with `kind` at op `o`, reporting `a` and `b`, when `cond` holds; continues in a new
    /// block otherwise.
    fn fail_if(
        &mut self,
        cond: IntValue<'ctx>,
        o: OpIdx,
        kind: Kind,
        a: IntValue<'ctx>,
        b: IntValue<'ctx>,
    ) -> R<()> {
        let site = self.m.sites.intern(Site { graph: self.gidx, op: o, kind });
        let how = self.i64c(runtime::HOW_CHECK as i64);
        self.fail_when(cond, how, site, a, b, "checked")?;
        Ok(())
    }

    /// After a call of a graph: if it failed, name this call as the site (if the failure has
    /// none yet) and fail in turn.
    /// Returns `r` here (after a tail call, whose totals are restored already) and continues in
    /// a block no one reaches (the block's own exit is lowered there).
    fn return_now(&mut self, r: Option<BasicValueEnum<'ctx>>) -> R<()> {
        let b = &self.m.builder;
        match r {
            Some(v) => b.build_return(Some(&v))?,
            None => b.build_return(None)?,
        };
        let dead = self.m.llcx.append_basic_block(self.func, "after_tail");
        self.m.builder.position_at_end(dead);
        Ok(())
    }

    /// `jit_hook #id(value, live...)`: the site of flexswitch `id` ([`crate::flexswitch`]),
    /// tail-calling the case of `value` with the live values (the op must be in tail
    /// position: cases are residual graphs, `tailcc`).
    fn jit_hook(
        &mut self,
        o: OpIdx,
        id: u32,
        args: &[BasicValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        let site = self
            .m
            .residual
            .and_then(|r| r.hooks.get(&id))
            .ok_or_else(|| self.malformed(format!("jit_hook #{id} has no flexswitch")))?
            .clone();
        let (&value, live) =
            args.split_first().ok_or_else(|| self.malformed("jit_hook without a value"))?;
        let b = &self.m.builder;
        let i64t = self.m.llcx.i64_type();
        let value = match value {
            BasicValueEnum::PointerValue(p) => b.build_ptr_to_int(p, i64t, "")?,
            BasicValueEnum::IntValue(i) if i.get_type().get_bit_width() < 64 => {
                b.build_int_z_extend(i, i64t, "")?
            }
            BasicValueEnum::IntValue(i) => i,
            _ => return Err(self.malformed(format!("jit_hook #{id} switches on a float"))),
        };
        let tail = self.tail == Some(o);
        if !tail {
            // Cases are residual graphs (tailcc): the site must be in tail position, as the
            // JIT always makes it (`r = jit_hook ...; return r`).
            return Err(self.malformed(format!("jit_hook #{id} is not in tail position")));
        }
        // One copy of the site code per LLVM signature of the live values (`shared_sites.rs`).
        self.shared_hook(&site, value, live)
    }

    /// `jit_merge #n(greens..., reds...)`: counts down the counter of the green key's bucket;
    /// when it runs out, asks the JIT ([`runtime::rpy_jit_merge`]) with every operand as a
    /// word, and returns the portal call's result at once if the JIT ran it.
    fn jit_merge(&mut self, greens: usize, args: &[BasicValueEnum<'ctx>]) -> R<()> {
        use crate::flexswitch::{from_word, likely_false, to_word};
        if greens > args.len() {
            return Err(self.malformed("jit_merge with more greens than operands"));
        }
        let llcx = self.m.llcx;
        let i64t = llcx.i64_type();
        let b = &self.m.builder;
        // The bucket: a multiplicative hash of the green words.
        let mut h = i64t.const_zero();
        for &g in &args[..greens] {
            let w = to_word(llcx, b, g)?;
            let x = b.build_xor(h, w, "")?;
            h = b.build_int_mul(x, self.i64c(0x9E37_79B9_7F4A_7C15u64 as i64), "")?;
        }
        let shift = 64 - super::MERGE_BUCKETS.trailing_zeros() as i64;
        let bucket = b.build_right_shift(h, self.i64c(shift), false, "bucket")?;
        let table_ty = i64t.array_type(super::MERGE_BUCKETS);
        // SAFETY: the bucket is below MERGE_BUCKETS (the top bits of the hash).
        let counter = unsafe {
            b.build_in_bounds_gep(
                table_ty,
                self.m.rt.merge_counters.as_pointer_value(),
                &[i64t.const_zero(), bucket],
                "counter",
            )?
        };
        let c = b.build_load(i64t, counter, "visits")?.into_int_value();
        let c = b.build_int_sub(c, self.i64c(1), "visits1")?;
        b.build_store(counter, c)?;
        let due = b.build_int_compare(IntPredicate::SLE, c, self.i64c(0), "due")?;
        let ask = llcx.append_basic_block(self.func, "merge_ask");
        let entered = llcx.append_basic_block(self.func, "merge_entered");
        let cont = llcx.append_basic_block(self.func, "merge_go_on");
        let br = b.build_conditional_branch(due, ask, cont)?;
        likely_false(llcx, br);
        b.position_at_end(ask);
        let words = {
            let entry = self.func.get_first_basic_block().expect("the function has a block");
            let eb = llcx.create_builder();
            match entry.get_first_instruction() {
                Some(i) => eb.position_before(&i),
                None => eb.position_at_end(entry),
            }
            eb.build_alloca(i64t.array_type(args.len().max(1) as u32), "merge_words")?
        };
        for (k, &v) in args.iter().enumerate() {
            let w = to_word(llcx, b, v)?;
            // SAFETY: k is below the array's length.
            let at = unsafe {
                b.build_in_bounds_gep(
                    i64t.array_type(args.len().max(1) as u32),
                    words,
                    &[i64t.const_zero(), self.i64c(k as i64)],
                    "",
                )?
            };
            b.build_store(at, w)?;
        }
        let out = self.m.rt.merge_result.as_pointer_value();
        let n = self.i64c(args.len() as i64);
        let r = b
            .build_call(
                self.m.rt.jit_merge,
                &[counter.into(), words.into(), n.into(), out.into()],
                "",
            )?
            .try_as_basic_value()
            .unwrap_basic()
            .into_int_value();
        let failed = llcx.append_basic_block(self.func, "merge_failed");
        // Two compares, not a `switch`, which FastISel leaves to SelectionDAG with the whole
        // block (the stores of the words before the call) at the first tier.
        let not_go_on = llcx.append_basic_block(self.func, "merge_not_go_on");
        let go_on = b.build_int_compare(IntPredicate::EQ, r, i64t.const_zero(), "merge_go")?;
        b.build_conditional_branch(go_on, cont, not_go_on)?;
        b.position_at_end(not_go_on);
        let is_entered =
            b.build_int_compare(IntPredicate::EQ, r, i64t.const_int(1, false), "merge_in")?;
        b.build_conditional_branch(is_entered, entered, failed)?;
        b.position_at_end(failed);
        let (how, zero) = (self.i64c(runtime::HOW_JIT as i64), self.i64c(0));
        self.fail_when(
            llcx.bool_type().const_all_ones(),
            how,
            runtime::NO_SITE,
            zero,
            zero,
            "merge_unreachable",
        )?;
        self.m.builder.build_unreachable()?;
        let b = &self.m.builder;
        b.position_at_end(entered);
        let word = b.build_load(i64t, out, "merge_word")?.into_int_value();
        let result = self.m.ty(self.graph.ret).map(|t| from_word(b, word, t)).transpose()?;
        // Through the shared return block: a `ret` of a `tailcc` function is SelectionDAG's.
        self.return_value(result)?;
        self.m.builder.position_at_end(cont);
        Ok(())
    }

    fn check_callee(&mut self, o: OpIdx) -> R<()> {
        let site = self.m.sites.intern(Site { graph: self.gidx, op: o, kind: Kind::StackOverflow });
        let llcx = self.m.llcx;
        let bld = &self.m.builder;
        let flag = bld.build_load(llcx.i8_type(), self.m.rt.failed.as_pointer_value(), "failed")?;
        let flag = self.m.tbaa.runtime_load(flag);
        let failed = bld.build_int_compare(
            IntPredicate::NE,
            flag.into_int_value(),
            llcx.i8_type().const_zero(),
            "",
        )?;
        let (how, zero) = (self.i64c(runtime::HOW_CALLEE as i64), self.i64c(0));
        self.fail_when(failed, how, site, zero, zero, "returned")?;
        Ok(())
    }

    /// The pointer operand, after failing with a null dereference if it is null (no check
    /// where a check of it, or its allocation, dominates: `FnLower::checked`).
    fn non_null(&mut self, o: OpIdx, v: BasicValueEnum<'ctx>) -> R<PointerValue<'ctx>> {
        let p = v.into_pointer_value();
        if p.is_const() && !p.is_null() {
            return Ok(p);
        }
        if let Some(blocks) = self.checked.get(&p) {
            let cur = self.current;
            let dom = self.dom.get_or_insert_with(|| rpy_ir::flow::Dominators::new(&self.flow));
            if blocks.iter().any(|&b| dom.dominates(b, cur)) {
                return Ok(p);
            }
        }
        let null = self.m.builder.build_is_null(p, "")?;
        self.fail_if(null, o, Kind::NullDereference, self.i64c(0), self.i64c(0))?;
        self.note_checked(p);
        Ok(p)
    }

    /// Whether array `p` is known to have an item `k` here: a passed bounds check of `p` at
    /// constant index `k` or above, or `p`'s allocation with a constant length above `k`, in
    /// a block dominating this one (an array's length never changes).
    fn bounded(&mut self, p: PointerValue<'ctx>, k: u64) -> bool {
        let Some(known) = self.bounded.get(&p) else { return false };
        let cur = self.current;
        let dom = self.dom.get_or_insert_with(|| rpy_ir::flow::Dominators::new(&self.flow));
        known.iter().any(|&(b, max)| max >= k && dom.dominates(b, cur))
    }

    /// Notes that array `p` has an item `k` (at least), from the current block on.
    fn note_bounded(&mut self, p: PointerValue<'ctx>, k: u64) {
        self.bounded.entry(p).or_default().push((self.current, k));
    }

    /// Notes that `p` was just checked not to be null (by a null check, or by its allocation's
    /// out-of-memory check) in the current block.
    fn note_checked(&mut self, p: PointerValue<'ctx>) {
        self.checked.entry(p).or_default().push(self.current);
    }

    pub(super) fn offset(&self, p: PointerValue<'ctx>, off: u64) -> R<PointerValue<'ctx>> {
        let i8t = self.m.llcx.i8_type();
        let off = self.m.llcx.i64_type().const_int(off, false);
        // SAFETY: offsets of the layout stay inside the object.
        Ok(unsafe { self.m.builder.build_in_bounds_gep(i8t, p, &[off], "")? })
    }

    /// The address of item `index` of array `arr`, after the null and bounds checks.
    fn item(
        &mut self,
        o: OpIdx,
        arr: BasicValueEnum<'ctx>,
        index: IntValue<'ctx>,
        elem: Ty,
    ) -> R<PointerValue<'ctx>> {
        let p = self.array_ptr(o, arr)?;
        // A constant index (unsigned, as the check compares) known to be inside the array
        // needs no check; one that passes a check tells the accesses it dominates.
        let k = index.get_zero_extended_constant();
        if !self.graph.flags.in_bounds && !k.is_some_and(|k| self.bounded(p, k)) {
            let len_at = self.offset(p, ARRAY_LENGTH_OFFSET as u64)?;
            let len = self.m.builder.build_load(self.m.llcx.i64_type(), len_at, "len")?;
            let len = self.m.tbaa.heap_load(len).into_int_value();
            let out = self.m.builder.build_int_compare(IntPredicate::UGE, index, len, "")?;
            self.fail_if(out, o, Kind::IndexOutOfBounds, index, len)?;
            if let Some(k) = k {
                self.note_bounded(p, k);
            }
        }
        let items = self.offset(p, ARRAY_ITEMS_OFFSET as u64)?;
        let stride: BasicTypeEnum = match elem {
            Ty::Bool => self.m.llcx.i8_type().into(),
            Ty::Char => self.m.llcx.i32_type().into(),
            _ => self.m.llcx.i64_type().into(),
        };
        // SAFETY: index < len, checked above or proven by the graph (`in_bounds`).
        Ok(unsafe { self.m.builder.build_in_bounds_gep(stride, items, &[index], "item")? })
    }

    /// The array operand of an array op, null-checked unless the graph is `@in_bounds`
    /// ([`rpy_ir::ir::FuncFlags::in_bounds`]: its arrays are a container's `items`, never
    /// null, its indexes tested by the graph itself).
    fn array_ptr(&mut self, o: OpIdx, arr: BasicValueEnum<'ctx>) -> R<PointerValue<'ctx>> {
        if self.graph.flags.in_bounds {
            return Ok(arr.into_pointer_value());
        }
        self.non_null(o, arr)
    }

    fn field_ty(&self, t: rpy_ir::types::HeapTypeIdx, field: u32) -> R<Ty> {
        self.m
            .program
            .types
            .as_struct(t)
            .and_then(|s| s.fields.get(field as usize))
            .map(|f| f.ty)
            .ok_or_else(|| self.malformed(format!("{t} has no field {field}")))
    }

    fn elem_ty(&self, t: rpy_ir::types::HeapTypeIdx) -> R<Ty> {
        self.m
            .program
            .types
            .as_array(t)
            .map(|a| a.elem)
            .ok_or_else(|| self.malformed(format!("{t} is not an array")))
    }

    /// Reads a struct field slot of type `ty` (a bool is the slot's low byte, a char its low
    /// four bytes).
    fn load_slot(&self, at: PointerValue<'ctx>, ty: Ty) -> R<BasicValueEnum<'ctx>> {
        self.load_item(at, ty)
    }

    /// Writes a whole struct field slot (bools and chars zero-extended to the 8 bytes).
    fn store_slot(&self, at: PointerValue<'ctx>, ty: Ty, v: BasicValueEnum<'ctx>) -> R<()> {
        let b = &self.m.builder;
        match ty {
            Ty::Bool | Ty::Char => {
                let w = b.build_int_z_extend(v.into_int_value(), self.m.llcx.i64_type(), "")?;
                self.m.tbaa.heap(b.build_store(at, w)?);
            }
            _ => {
                self.m.tbaa.heap(b.build_store(at, v)?);
            }
        }
        Ok(())
    }

    /// Reads a value of type `ty` (bools: one byte; chars: four).
    fn load_item(&self, at: PointerValue<'ctx>, ty: Ty) -> R<BasicValueEnum<'ctx>> {
        let b = &self.m.builder;
        let llcx = self.m.llcx;
        Ok(match ty {
            Ty::Bool => {
                let byte = self.m.tbaa.heap_load(b.build_load(llcx.i8_type(), at, "")?);
                b.build_int_truncate(byte.into_int_value(), llcx.bool_type(), "")?.into()
            }
            _ => {
                let lty = self.m.ty(ty).ok_or_else(|| self.malformed("void item"))?;
                self.m.tbaa.heap_load(b.build_load(lty, at, "")?)
            }
        })
    }

    /// Writes an array item of type `ty` (bools: one byte; chars: four).
    fn store_item(&self, at: PointerValue<'ctx>, ty: Ty, v: BasicValueEnum<'ctx>) -> R<()> {
        let b = &self.m.builder;
        if ty == Ty::Bool {
            let byte = b.build_int_z_extend(v.into_int_value(), self.m.llcx.i8_type(), "")?;
            self.m.tbaa.heap(b.build_store(at, byte)?);
        } else {
            self.m.tbaa.heap(b.build_store(at, v)?);
        }
        Ok(())
    }
}

/// The unsigned version of a signed predicate for char comparisons.
fn signed_or(opcode: Opcode, p: IntPredicate) -> IntPredicate {
    let is_char =
        matches!(opcode, Opcode::CharLt | Opcode::CharLe | Opcode::CharGt | Opcode::CharGe);
    match (is_char, p) {
        (true, IntPredicate::SLT) => IntPredicate::ULT,
        (true, IntPredicate::SLE) => IntPredicate::ULE,
        (true, IntPredicate::SGT) => IntPredicate::UGT,
        (true, IntPredicate::SGE) => IntPredicate::UGE,
        _ => p,
    }
}
