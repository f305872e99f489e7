//! lang-tlc: TLC, the toy language of the PyPy paper (see `spec/TLC.md`) — so far its
//! assembler, disassembler and serialized program format.
//!
//! Map of the crate:
//! - [`opcodes`] — the opcode table (byte value 1..=35, mnemonic, operand kind), defined once
//!   and read by everything else.
//! - [`program`] — [`Program`] (bytecode plus [`ConstantPool`] of [`ClassDescr`]s and strings)
//!   and the `.tlc` file format: [`serialize`] and [`decode`].
//! - [`asm`] — the assembler, [`assemble`], with errors [`AsmError`] (`line N: message`).
//! - [`disasm`] — the disassembler, [`disassemble`], whose text re-assembles to the same program.
//!
//! Not written yet: the TLC interpreter in RPy with its JIT hints, and the command line
//! (`lang-tlc run FILE INPUT --mode ...`).

pub mod asm;
pub mod disasm;
pub mod opcodes;
pub mod program;

pub use asm::{assemble, AsmError};
pub use disasm::disassemble;
pub use opcodes::{Opcode, Operand};
pub use program::{decode, serialize, ClassDescr, ConstantPool, DecodeError, Program};
