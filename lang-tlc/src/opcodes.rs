//! The TLC opcode table (TLC.md §2): every opcode defined once, with its byte value, its
//! assembler mnemonic and the kind of operand that follows it. The assembler, the
//! disassembler and (later) the interpreter read this table rather than keeping their own
//! lists.
//!
//! Invariants: byte values are exactly 1..=35, in table order, with no gaps; every opcode has
//! 0 argument bytes except [`Operand::Send`] (2 bytes) and the other operand kinds (1 byte).
//! Argument bytes are signed (`char2int`): the interpreter reads 128..=255 as -128..=-1.

/// What follows an opcode in the bytecode, and how the assembler reads its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// No argument byte.
    None,
    /// One signed byte used as a number (`PUSH`, `ROLL`, `PICK`, `PUT`, `PUSHARGN`); the
    /// assembler also accepts a label here, giving its relative offset (the `PUSH label` idiom).
    Int,
    /// One signed byte, a branch offset relative to the next instruction (`BR`, `BR_COND`,
    /// `CALL`); written as an integer or a label.
    Offset,
    /// One byte, an index into the pool's class descriptors (`NEW`); written as an integer or
    /// as a descriptor `attr,...,meth=label,...`.
    ClassDescr,
    /// One byte, an index into the pool's strings (`GETATTR`, `SETATTR`); written as an
    /// integer or as a name.
    Str,
    /// Two bytes, a string index (the method name) and an argument count (`SEND`); written
    /// as `name/nargs`.
    Send,
}

impl Operand {
    /// How many argument bytes follow the opcode byte.
    pub const fn arg_bytes(self) -> usize {
        match self {
            Operand::None => 0,
            Operand::Send => 2,
            Operand::Int | Operand::Offset | Operand::ClassDescr | Operand::Str => 1,
        }
    }
}

/// Static facts about one opcode.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    /// The byte value in the bytecode.
    pub byte: u8,
    /// The assembler mnemonic.
    pub name: &'static str,
    /// What follows the opcode byte.
    pub operand: Operand,
}

macro_rules! define_opcodes {
    ($( $(#[$doc:meta])* $variant:ident = $byte:literal $name:literal $operand:ident ; )*) => {
        /// A TLC opcode; its discriminant is its byte value. See [`Opcode::info`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode {
            $( $(#[$doc])* $variant = $byte, )*
        }

        impl Opcode {
            /// Every opcode, in byte order (`ALL[b - 1]` has byte value `b`).
            pub const ALL: &'static [Opcode] = &[ $( Opcode::$variant, )* ];

            /// The table entry of this opcode.
            pub const fn info(self) -> &'static OpInfo {
                match self {
                    $( Opcode::$variant => {
                        const INFO: OpInfo =
                            OpInfo { byte: $byte, name: $name, operand: Operand::$operand };
                        &INFO
                    } )*
                }
            }
        }
    };
}

define_opcodes! {
    /// Does nothing.
    Nop = 1 "NOP" None;
    /// Pushes its argument as an int.
    Push = 2 "PUSH" Int;
    /// Drops the top of the stack.
    Pop = 3 "POP" None;
    /// Swaps the two topmost values.
    Swap = 4 "SWAP" None;
    /// Moves a value from deeper in the stack to the top, or the top deeper down.
    Roll = 5 "ROLL" Int;
    /// Pushes a copy of the value `arg` places below the top (`PICK 0` duplicates).
    Pick = 6 "PICK" Int;
    /// Pops a value and stores it `arg` places below the new top.
    Put = 7 "PUT" Int;
    /// Int addition or list concatenation.
    Add = 8 "ADD" None;
    /// Int subtraction.
    Sub = 9 "SUB" None;
    /// Int multiplication.
    Mul = 10 "MUL" None;
    /// Floor division, or the n-th element of a list.
    Div = 11 "DIV" None;
    /// Equality.
    Eq = 12 "EQ" None;
    /// Inequality.
    Ne = 13 "NE" None;
    /// Less than.
    Lt = 14 "LT" None;
    /// Less than or equal.
    Le = 15 "LE" None;
    /// Greater than.
    Gt = 16 "GT" None;
    /// Greater than or equal.
    Ge = 17 "GE" None;
    /// Pops a condition and branches by the argument's offset if it is true.
    BrCond = 18 "BR_COND" Offset;
    /// Pops an offset, then a condition, and branches by the offset if it is true.
    BrCondStk = 19 "BR_COND_STK" None;
    /// Calls the code at the argument's offset with a fresh frame.
    Call = 20 "CALL" Offset;
    /// Returns to the caller's frame, or stops the interpreter in the outermost frame.
    Return = 21 "RETURN" None;
    /// Pushes the frame's first argument.
    PushArg = 22 "PUSHARG" None;
    /// Not an instruction: executing it is a `RuntimeError`.
    Invalid = 23 "INVALID" None;
    /// Pushes `nil`.
    Nil = 24 "NIL" None;
    /// Pops `car`, then `cdr`, and pushes a cons cell.
    Cons = 25 "CONS" None;
    /// Replaces a cons cell with its car.
    Car = 26 "CAR" None;
    /// Replaces a cons cell with its cdr.
    Cdr = 27 "CDR" None;
    /// Pushes a new instance of the class described by a pool class descriptor.
    New = 28 "NEW" ClassDescr;
    /// Replaces an object with the value of the attribute named by a pool string.
    GetAttr = 29 "GETATTR" Str;
    /// Pops a value and an object and sets the attribute named by a pool string.
    SetAttr = 30 "SETATTR" Str;
    /// Calls the method named by a pool string on a receiver with `nargs` arguments.
    Send = 31 "SEND" Send;
    /// Pushes the frame's argument number `arg`.
    PushArgN = 32 "PUSHARGN" Int;
    /// Debugging print of the top of the stack; a no-op for the program's semantics.
    Print = 33 "PRINT" None;
    /// Debugging dump of the whole stack; a no-op for the program's semantics.
    Dump = 34 "DUMP" None;
    /// Branches unconditionally by the argument's offset.
    Br = 35 "BR" Offset;
}

impl Opcode {
    /// The opcode whose byte value is `byte`, if any.
    pub fn from_byte(byte: u8) -> Option<Opcode> {
        let op = *Opcode::ALL.get(usize::from(byte).checked_sub(1)?)?;
        debug_assert_eq!(op.byte(), byte);
        Some(op)
    }

    /// The opcode whose mnemonic is `name` (case-sensitive, as in PyPy), if any.
    pub fn from_name(name: &str) -> Option<Opcode> {
        Opcode::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// The byte value in the bytecode.
    pub const fn byte(self) -> u8 {
        self.info().byte
    }

    /// The assembler mnemonic.
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// What follows the opcode byte.
    pub const fn operand(self) -> Operand {
        self.info().operand
    }

    /// The length of the whole instruction in bytes: the opcode plus its argument bytes.
    pub const fn instr_len(self) -> usize {
        1 + self.operand().arg_bytes()
    }
}

impl std::fmt::Display for Opcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_1_to_35_in_table_order() {
        assert_eq!(Opcode::ALL.len(), 35);
        for (i, op) in Opcode::ALL.iter().enumerate() {
            assert_eq!(usize::from(op.byte()), i + 1);
            assert_eq!(*op as u8, op.byte());
            assert_eq!(Opcode::from_byte(op.byte()), Some(*op));
            assert_eq!(Opcode::from_name(op.name()), Some(*op));
        }
        assert_eq!(Opcode::from_byte(0), None);
        assert_eq!(Opcode::from_byte(36), None);
        assert_eq!(Opcode::from_byte(255), None);
        assert_eq!(Opcode::from_name("push"), None);
    }

    #[test]
    fn argument_bytes_match_the_spec() {
        let with_one: Vec<&str> = Opcode::ALL
            .iter()
            .filter(|op| op.operand().arg_bytes() == 1)
            .map(|op| op.name())
            .collect();
        assert_eq!(
            with_one,
            [
                "PUSH", "ROLL", "PICK", "PUT", "BR_COND", "CALL", "NEW", "GETATTR", "SETATTR",
                "PUSHARGN", "BR"
            ]
        );
        assert_eq!(Opcode::Send.instr_len(), 3);
        assert_eq!(Opcode::BrCondStk.instr_len(), 1);
    }
}
