//! Lowering of the overflow ops (`int_add_ovf`, `int_sub_ovf`, `int_mul_ovf`, `int_neg_ovf`,
//! `int_lshift_ovf`) and of the wrapping op that follows one of them.
//!
//! RPy's `ovfcheck(a + b)` becomes `int_add_ovf a, b`, a branch to the raise, then
//! `int_add a, b` (see `rpy_ir::front::lower::exceptions`). The first three lower to LLVM's
//! `llvm.s{add,sub,mul}.with.overflow.i64` (negation is `ssub` from 0); the wrapping op with the
//! same operands in a block the overflow op's block dominates (the same block, or one reached
//! through a chain of single predecessors, which is what the front end makes) takes the
//! intrinsic's value instead of a second `add`: one instruction computes both, and x86 ends up
//! with an `add` and a `jo`. `int_lshift_ovf` has no intrinsic: a shift back and a compare.

use super::func::FnLower;
use super::R;
use inkwell::intrinsics::Intrinsic;
use inkwell::values::{BasicValueEnum, IntValue};
use inkwell::IntPredicate;
use rpy_ir::ir::Block;
use rpy_ir::ops::Opcode;

/// The wrapping result of one overflow intrinsic: the block it is in, the wrapping op it
/// stands for and that op's operands.
pub(super) struct Checked<'ctx> {
    block: Block,
    wrapping: Opcode,
    args: Vec<BasicValueEnum<'ctx>>,
    value: BasicValueEnum<'ctx>,
}

/// How many single-predecessor steps up the graph a wrapping op looks for its check.
const CHAIN: usize = 4;

impl<'ctx> FnLower<'_, '_, 'ctx> {
    /// The value of an overflow op, or of a wrapping op whose check is known; `None` for
    /// every other op (and for a wrapping op with no check before it).
    pub(super) fn overflow_op(
        &mut self,
        opcode: Opcode,
        args: &[BasicValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        use Opcode::*;
        let (intrinsic, wrapping) = match opcode {
            IntAddOvf => ("llvm.sadd.with.overflow", IntAdd),
            IntSubOvf => ("llvm.ssub.with.overflow", IntSub),
            IntMulOvf => ("llvm.smul.with.overflow", IntMul),
            IntNegOvf => ("llvm.ssub.with.overflow", IntNeg),
            IntLshiftOvf if args.len() == 2 => {
                let (x, c) = (args[0].into_int_value(), args[1].into_int_value());
                return Ok(Some(self.lshift_overflows(x, c)?));
            }
            IntAdd | IntSub | IntMul | IntNeg => return Ok(self.checked_value(opcode, args)),
            _ => return Ok(None),
        };
        let operands: Vec<IntValue<'ctx>> = match args {
            [x] if opcode == IntNegOvf => {
                vec![self.m.llcx.i64_type().const_zero(), x.into_int_value()]
            }
            [x, y] if opcode != IntNegOvf => vec![x.into_int_value(), y.into_int_value()],
            _ => return Ok(None),
        };
        let i64t = self.m.llcx.i64_type();
        let f = Intrinsic::find(intrinsic)
            .and_then(|i| i.get_declaration(self.m.module, &[i64t.into()]))
            .unwrap_or_else(|| panic!("{intrinsic} exists"));
        let b = &self.m.builder;
        let call = b.build_call(f, &[operands[0].into(), operands[1].into()], "")?;
        let pair = call.try_as_basic_value().unwrap_basic().into_struct_value();
        let value = b.build_extract_value(pair, 0, "")?;
        let flag = b.build_extract_value(pair, 1, "")?;
        self.ovf.push(Checked { block: self.current, wrapping, args: args.to_vec(), value });
        Ok(Some(flag))
    }

    /// The intrinsic's value for `opcode` on `args`, if an overflow op computed it in a block
    /// that dominates this one.
    fn checked_value(
        &self,
        opcode: Opcode,
        args: &[BasicValueEnum<'ctx>],
    ) -> Option<BasicValueEnum<'ctx>> {
        let mut chain = vec![self.current];
        let mut b = self.current;
        for _ in 0..CHAIN {
            match self.flow.preds(b) {
                [p] if !chain.contains(p) => {
                    b = *p;
                    chain.push(b);
                }
                _ => break,
            }
        }
        self.ovf
            .iter()
            .rev()
            .find(|c| c.wrapping == opcode && c.args == args && chain.contains(&c.block))
            .map(|c| c.value)
    }

    /// `int_lshift_ovf` (see `rpy_ir::fold::int_lshift_ovf`): a count in 0..64 overflows
    /// when shifting back loses bits, a larger one when `x` is nonzero, a negative one never.
    fn lshift_overflows(&self, x: IntValue<'ctx>, c: IntValue<'ctx>) -> R<BasicValueEnum<'ctx>> {
        let b = &self.m.builder;
        let c63 = b.build_and(c, self.i64c(63), "")?;
        let back = b.build_right_shift(b.build_left_shift(x, c63, "")?, c63, true, "")?;
        let lost = b.build_int_compare(IntPredicate::NE, back, x, "")?;
        let small = b.build_int_compare(IntPredicate::ULT, c, self.i64c(64), "")?;
        let nonneg = b.build_int_compare(IntPredicate::SGE, c, self.i64c(0), "")?;
        let nonzero = b.build_int_compare(IntPredicate::NE, x, self.i64c(0), "")?;
        Ok(b.build_select(small, lost, b.build_and(nonneg, nonzero, "")?, "")?)
    }
}
