//! Externs lowered to LLVM intrinsics instead of calls: the float math functions whose Rust
//! implementation is itself the LLVM intrinsic (`f64::sqrt` is `llvm.sqrt.f64`, `f64::sin` is
//! `llvm.sin.f64` lowering to libm's `sin`, `%` on floats is `frem`), so compiled code and the
//! IR interpreter (which calls the Rust function) compute the same bits, and LLVM can fold,
//! vectorise or inline them (`sqrtsd` for `math_sqrt`) where a call would stay opaque.
//!
//! Invariant: an extern is listed here only if its Rust body is exactly the intrinsic named
//! (see `rpy_ir::externs::numbers` and the basic table in `rpy_ir::externs`); every other
//! extern stays a call of its C ABI function.

use super::func::FnLower;
use super::R;
use inkwell::intrinsics::Intrinsic;
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum};

/// The LLVM intrinsic (overloaded on `double`) of each extern computed by one.
const INTRINSICS: &[(&str, &str)] = &[
    ("math_sqrt", "llvm.sqrt"),
    ("math_floor", "llvm.floor"),
    ("math_ceil", "llvm.ceil"),
    ("math_fabs", "llvm.fabs"),
    ("math_sin", "llvm.sin"),
    ("math_cos", "llvm.cos"),
    ("math_exp", "llvm.exp"),
    ("math_log", "llvm.log"),
    ("math_log10", "llvm.log10"),
    ("math_pow", "llvm.pow"),
    ("float_sqrt", "llvm.sqrt"),
    ("float_floor", "llvm.floor"),
    ("float_ceil", "llvm.ceil"),
    ("float_pow", "llvm.pow"),
];

/// The externs that are one LLVM instruction: C's `fmod` is `frem`.
const FREM: &[&str] = &["math_fmod", "float_fmod"];

impl<'ctx> FnLower<'_, '_, 'ctx> {
    /// The value of a call of extern `name` on `args` computed inline by an intrinsic or an
    /// instruction; `None` if the extern is not one of those (then it is called).
    pub(super) fn intrinsic_extern(
        &mut self,
        name: &str,
        args: &[BasicValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        let f64t = self.m.llcx.f64_type();
        if FREM.contains(&name) && args.len() == 2 {
            let (x, y) = (args[0].into_float_value(), args[1].into_float_value());
            return Ok(Some(self.m.builder.build_float_rem(x, y, "")?.into()));
        }
        let Some(&(_, intrinsic)) = INTRINSICS.iter().find(|(e, _)| *e == name) else {
            return Ok(None);
        };
        let Some(decl) = Intrinsic::find(intrinsic)
            .and_then(|i| i.get_declaration(self.m.module, &[f64t.into()]))
        else {
            return Ok(None);
        };
        let a: Vec<BasicMetadataValueEnum> = args.iter().map(|&v| v.into()).collect();
        let call = self.m.builder.build_call(decl, &a, "")?;
        Ok(call.try_as_basic_value().basic())
    }
}
