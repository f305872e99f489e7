//! The operation table: every IR opcode defined once, with its name, operand and result
//! types, and flags. The IR interpreter, the verifier, the text form, the hint analysis and the
//! LLVM lowering all read this table rather than keeping their own lists.
//!
//! Operand types are given as [`TyClass`]es. Ops whose types depend on their auxiliary data
//! (field and array accesses, allocation, casts, calls) say [`TyClass::Dyn`]; the verifier
//! checks those against the [`crate::ir::Aux`] they carry.

use std::fmt;

/// What an op may do, beyond computing its result from its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct OpFlags(u8);

impl OpFlags {
    /// No flags.
    pub const NONE: OpFlags = OpFlags(0);
    /// The result depends only on the operands: foldable when all are constants.
    pub const PURE: OpFlags = OpFlags(1);
    /// May stop the program with a runtime error (bounds, null, division by zero...).
    pub const CAN_FAIL: OpFlags = OpFlags(2);
    /// Writes memory or performs I/O.
    pub const SIDE_EFFECTS: OpFlags = OpFlags(4);
    /// Allocates a heap object.
    pub const ALLOCATES: OpFlags = OpFlags(8);

    /// Whether every flag of `other` is set in `self`.
    pub const fn contains(self, other: OpFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of two flag sets.
    pub const fn union(self, other: OpFlags) -> OpFlags {
        OpFlags(self.0 | other.0)
    }
}

impl std::ops::BitOr for OpFlags {
    type Output = OpFlags;
    fn bitor(self, rhs: OpFlags) -> OpFlags {
        self.union(rhs)
    }
}

/// The type class of an operand or result in the op table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TyClass {
    /// `int`.
    I,
    /// `float`.
    F,
    /// `bool`.
    B,
    /// `char`.
    C,
    /// Any GC pointer.
    R,
    /// Any pointer (GC pointer or function pointer), both operands of the same type.
    P,
    /// Any type (the result has the operand's type).
    Any,
    /// No result.
    V,
    /// Determined by the op's auxiliary data; checked specially.
    Dyn,
}

/// Static facts about one opcode.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    /// The name used in the text form.
    pub name: &'static str,
    /// Operand type classes (for `Dyn` ops: empty, the operand list is checked specially).
    pub operands: &'static [TyClass],
    /// Result type class.
    pub result: TyClass,
    /// Flags.
    pub flags: OpFlags,
}

macro_rules! define_ops {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal ( $($arg:ident),* ) -> $ret:ident [ $($flag:ident)|* ] ; )*) => {
        /// An IR operation code. See the module documentation and [`Opcode::info`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Opcode {
            $( $(#[$doc])* $variant, )*
        }

        impl Opcode {
            /// Every opcode, in table order.
            pub const ALL: &'static [Opcode] = &[ $( Opcode::$variant, )* ];

            /// The table entry of this opcode.
            pub fn info(self) -> &'static OpInfo {
                match self {
                    $( Opcode::$variant => {
                        const INFO: OpInfo = OpInfo {
                            name: $name,
                            operands: &[ $( TyClass::$arg, )* ],
                            result: TyClass::$ret,
                            flags: OpFlags::NONE $( .union(OpFlags::$flag) )*,
                        };
                        &INFO
                    } )*
                }
            }
        }
    };
}

define_ops! {
    /// Wrapping addition.
    IntAdd = "int_add" (I, I) -> I [PURE];
    /// Wrapping subtraction.
    IntSub = "int_sub" (I, I) -> I [PURE];
    /// Wrapping multiplication.
    IntMul = "int_mul" (I, I) -> I [PURE];
    /// Floor division (Python `//`); division by zero fails; `MIN // -1` wraps.
    IntFloorDiv = "int_floordiv" (I, I) -> I [PURE | CAN_FAIL];
    /// Modulo with the sign of the divisor (Python `%`); modulo by zero fails.
    IntMod = "int_mod" (I, I) -> I [PURE | CAN_FAIL];
    /// Bitwise and.
    IntAnd = "int_and" (I, I) -> I [PURE];
    /// Bitwise or.
    IntOr = "int_or" (I, I) -> I [PURE];
    /// Bitwise exclusive or.
    IntXor = "int_xor" (I, I) -> I [PURE];
    /// Left shift; counts of 64 or more give 0; a negative count fails.
    IntLshift = "int_lshift" (I, I) -> I [PURE | CAN_FAIL];
    /// Arithmetic right shift; counts of 64 or more give 0 or -1; a negative count fails.
    IntRshift = "int_rshift" (I, I) -> I [PURE | CAN_FAIL];
    /// Wrapping negation.
    IntNeg = "int_neg" (I) -> I [PURE];
    /// Bitwise not.
    IntInvert = "int_invert" (I) -> I [PURE];
    /// `<` on ints.
    IntLt = "int_lt" (I, I) -> B [PURE];
    /// `<=` on ints.
    IntLe = "int_le" (I, I) -> B [PURE];
    /// `==` on ints.
    IntEq = "int_eq" (I, I) -> B [PURE];
    /// `!=` on ints.
    IntNe = "int_ne" (I, I) -> B [PURE];
    /// `>` on ints.
    IntGt = "int_gt" (I, I) -> B [PURE];
    /// `>=` on ints.
    IntGe = "int_ge" (I, I) -> B [PURE];
    /// IEEE addition.
    FloatAdd = "float_add" (F, F) -> F [PURE];
    /// IEEE subtraction.
    FloatSub = "float_sub" (F, F) -> F [PURE];
    /// IEEE multiplication.
    FloatMul = "float_mul" (F, F) -> F [PURE];
    /// IEEE division (by zero gives an infinity or NaN, as in IEEE).
    FloatTrueDiv = "float_truediv" (F, F) -> F [PURE];
    /// Negation.
    FloatNeg = "float_neg" (F) -> F [PURE];
    /// `<` on floats.
    FloatLt = "float_lt" (F, F) -> B [PURE];
    /// `<=` on floats.
    FloatLe = "float_le" (F, F) -> B [PURE];
    /// `==` on floats.
    FloatEq = "float_eq" (F, F) -> B [PURE];
    /// `!=` on floats.
    FloatNe = "float_ne" (F, F) -> B [PURE];
    /// `>` on floats.
    FloatGt = "float_gt" (F, F) -> B [PURE];
    /// `>=` on floats.
    FloatGe = "float_ge" (F, F) -> B [PURE];
    /// Int to float (rounding to nearest).
    CastIntToFloat = "cast_int_to_float" (I) -> F [PURE];
    /// Float to int, truncating toward zero, saturating; NaN gives 0.
    CastFloatToInt = "cast_float_to_int" (F) -> I [PURE];
    /// A char's code, 0..=255 (`ord`).
    CastCharToInt = "cast_char_to_int" (C) -> I [PURE];
    /// The char with this code (`chr`); fails outside 0..=255.
    CastIntToChar = "cast_int_to_char" (I) -> C [PURE | CAN_FAIL];
    /// 0 or 1.
    CastBoolToInt = "cast_bool_to_int" (B) -> I [PURE];
    /// An object's address as an int (null is 0): what the JIT's promotion of a pointer
    /// switches on. Addresses differ from run to run; only residual code uses it.
    CastPtrToInt = "cast_ptr_to_int" (R) -> I [PURE];
    /// Logical not.
    BoolNot = "bool_not" (B) -> B [PURE];
    /// `==` on bools.
    BoolEq = "bool_eq" (B, B) -> B [PURE];
    /// `!=` on bools.
    BoolNe = "bool_ne" (B, B) -> B [PURE];
    /// `==` on chars.
    CharEq = "char_eq" (C, C) -> B [PURE];
    /// `!=` on chars.
    CharNe = "char_ne" (C, C) -> B [PURE];
    /// `<` on chars (unsigned codes).
    CharLt = "char_lt" (C, C) -> B [PURE];
    /// `<=` on chars.
    CharLe = "char_le" (C, C) -> B [PURE];
    /// `>` on chars.
    CharGt = "char_gt" (C, C) -> B [PURE];
    /// `>=` on chars.
    CharGe = "char_ge" (C, C) -> B [PURE];
    /// Pointer identity.
    PtrEq = "ptr_eq" (P, P) -> B [PURE];
    /// Pointer non-identity.
    PtrNe = "ptr_ne" (P, P) -> B [PURE];
    /// Null test.
    PtrIsNull = "ptr_iszero" (R) -> B [PURE];
    /// Non-null test.
    PtrNonNull = "ptr_nonzero" (R) -> B [PURE];
    /// Allocates a zero-filled struct of the type in `Aux::Type`.
    Malloc = "malloc" () -> Dyn [ALLOCATES];
    /// Allocates a zero-filled array (`Aux::Type`) of the given length; negative fails.
    MallocArray = "malloc_array" (I) -> Dyn [ALLOCATES | CAN_FAIL];
    /// Reads field `Aux::Field`; a null pointer fails.
    GetField = "getfield" (Dyn) -> Dyn [CAN_FAIL];
    /// Writes field `Aux::Field`; a null pointer fails.
    SetField = "setfield" (Dyn) -> V [SIDE_EFFECTS | CAN_FAIL];
    /// Reads an array item; null or an index out of bounds fails.
    GetArrayItem = "getarrayitem" (Dyn) -> Dyn [CAN_FAIL];
    /// Writes an array item; null or an index out of bounds fails.
    SetArrayItem = "setarrayitem" (Dyn) -> V [SIDE_EFFECTS | CAN_FAIL];
    /// An array's length; null fails.
    ArrayLen = "arraylen" (R) -> I [PURE | CAN_FAIL];
    /// The type tag in an object's header word; null fails.
    TypeOf = "typeof" (R) -> I [PURE | CAN_FAIL];
    /// Whether the object is an instance of `Aux::Type` or a subtype (null: false).
    InstanceOf = "instanceof" (R) -> B [PURE];
    /// Checked cast to `Aux::Type`: fails if the object is not an instance (null passes).
    Cast = "cast" (R) -> Dyn [PURE | CAN_FAIL];
    /// Direct call of the graph in `Aux::Graph`. In a graph marked `tail_calls` (the JIT's
    /// residual graphs), a call whose result its block returns at once (or a void call before
    /// `return`), to a graph with the same result type, is a tail call: the callee replaces the
    /// caller's frame and does not count toward the stack depth.
    Call = "call" (Dyn) -> Dyn [SIDE_EFFECTS | CAN_FAIL | ALLOCATES];
    /// Call through a function pointer (first operand).
    CallIndirect = "call_indirect" (Dyn) -> Dyn [SIDE_EFFECTS | CAN_FAIL | ALLOCATES];
    /// Call of a Rust runtime function, `Aux::Extern`; flags come from the extern registry.
    CallExtern = "call_extern" (Dyn) -> Dyn [SIDE_EFFECTS | CAN_FAIL | ALLOCATES];
    /// Calls back into the JIT (a flexswitch miss): `Aux::Hook(id)` names the call site; any
    /// operands (the promoted value and the live values); the result, if any, is what the hook
    /// returns.
    JitHook = "jit_hook" (Dyn) -> Dyn [SIDE_EFFECTS | CAN_FAIL | ALLOCATES];
    /// The tiered JIT's entry at the portal's global merge point: the first `Aux::Hook(n)`
    /// operands (`n` is a count here, not a hook number) are the green key, the rest the live
    /// red values. Compiled code counts visits in counters chosen by a hash of the key and asks
    /// the JIT now and then; once the key is hot, the JIT may run the rest of the portal call
    /// in compiled code, and the enclosing graph then returns that call's result at once.
    /// Declining is always allowed: the IR interpreter always declines (a no-op).
    JitMerge = "jit_merge" (Dyn) -> V [SIDE_EFFECTS | CAN_FAIL | ALLOCATES];
    /// A JIT hint (`Aux::Hint`): returns its operand unchanged; a no-op when not jitting.
    Hint = "hint" (Dyn) -> Dyn [NONE];
    /// A copy of the operand.
    SameAs = "same_as" (Any) -> Any [PURE];
    /// Whether `int_add` of the operands overflows (RPy's `ovfcheck(a + b)`).
    IntAddOvf = "int_add_ovf" (I, I) -> B [PURE];
    /// Whether `int_sub` of the operands overflows.
    IntSubOvf = "int_sub_ovf" (I, I) -> B [PURE];
    /// Whether `int_mul` of the operands overflows.
    IntMulOvf = "int_mul_ovf" (I, I) -> B [PURE];
    /// Whether `int_neg` of the operand overflows (it is `i64::MIN`).
    IntNegOvf = "int_neg_ovf" (I) -> B [PURE];
    /// Whether `int_lshift` of the operands loses bits (a nonzero value shifted by 64 or
    /// more, or bits shifted out or into the sign); a negative count is not an overflow
    /// (`int_lshift` fails on it).
    IntLshiftOvf = "int_lshift_ovf" (I, I) -> B [PURE];
}

impl Opcode {
    /// The opcode with this text-form name.
    pub fn from_name(name: &str) -> Option<Opcode> {
        Opcode::ALL.iter().copied().find(|op| op.info().name == name)
    }

    /// Whether the op can be folded when every operand is a constant.
    pub fn is_pure(self) -> bool {
        self.info().flags.contains(OpFlags::PURE)
    }

    /// Whether the op may stop the program with a runtime error.
    pub fn can_fail(self) -> bool {
        self.info().flags.contains(OpFlags::CAN_FAIL)
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for &op in Opcode::ALL {
            assert_eq!(Opcode::from_name(op.info().name), Some(op));
        }
    }

    #[test]
    fn flags_read_from_the_table() {
        assert!(Opcode::IntAdd.is_pure());
        assert!(!Opcode::IntAdd.can_fail());
        assert!(Opcode::IntFloorDiv.can_fail());
        assert!(Opcode::SetField.info().flags.contains(OpFlags::SIDE_EFFECTS));
        assert!(Opcode::Malloc.info().flags.contains(OpFlags::ALLOCATES));
    }
}
