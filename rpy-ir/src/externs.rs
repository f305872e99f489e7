//! The registry of Rust runtime functions callable from RPy through `call_extern`.
//!
//! Each extern has one Rust implementation with a C ABI signature (`native`, called directly by
//! compiled code) and a uniform wrapper (`interp`, called by the IR interpreter with every
//! argument as a 64-bit word: ints as two's complement, floats as IEEE bits, bools and chars
//! zero-extended, GC pointers as addresses). Both are generated from the same definition, so the
//! two modes cannot disagree on what an extern does.

use crate::types::{Ty, TypeTable};

/// The type of an extern's parameter or result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternTy {
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `bool`.
    Bool,
    /// `char`.
    Char,
    /// `str` (a GC pointer to an immutable char array).
    Str,
    /// No value (results only).
    Void,
}

impl ExternTy {
    /// The IR type.
    pub fn ty(self) -> Ty {
        match self {
            ExternTy::Int => Ty::Int,
            ExternTy::Float => Ty::Float,
            ExternTy::Bool => Ty::Bool,
            ExternTy::Char => Ty::Char,
            ExternTy::Str => Ty::Ref(TypeTable::STR),
            ExternTy::Void => Ty::Void,
        }
    }
}

/// One registered extern.
#[derive(Debug)]
pub struct ExternDef {
    /// The name RPy code calls it by.
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [ExternTy],
    /// Result type.
    pub ret: ExternTy,
    /// No side effects and the result depends only on the arguments (foldable on constants).
    pub pure: bool,
    /// The C ABI function, for compiled code.
    pub native: *const (),
    /// The uniform wrapper, for the IR interpreter.
    pub interp: fn(&[u64]) -> u64,
}

// The table holds only function pointers and static data.
unsafe impl Sync for ExternDef {}

/// The extern called `name`.
pub fn lookup(name: &str) -> Option<&'static ExternDef> {
    all().iter().find(|e| e.name == name)
}

/// Every registered extern.
pub fn all() -> &'static [ExternDef] {
    &[]
}
