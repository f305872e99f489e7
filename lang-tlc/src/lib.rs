//! lang-tlc: TLC, the toy language of the PyPy paper (see `spec/TLC.md`): its assembler,
//! disassembler and serialized program format, and its interpreter written in RPy.
//!
//! Map of the crate:
//! - [`opcodes`] — the opcode table (byte value 1..=35, mnemonic, operand kind), defined once
//!   and read by everything else.
//! - [`program`] — [`Program`] (bytecode plus [`ConstantPool`] of [`ClassDescr`]s and strings)
//!   and the `.tlc` file format: [`serialize`] and [`decode`].
//! - [`asm`] — the assembler, [`assemble`], with errors [`AsmError`] (`line N: message`).
//! - [`disasm`] — the disassembler, [`disassemble`], whose text re-assembles to the same program.
//! - `tlc.rpy` — the TLC interpreter in RPy, with PyPy's JIT hints (its header comment
//!   describes the object model, the error convention and the hints).
//! - [`runner`] — compiles `tlc.rpy` once and runs programs on it ([`Interpreter::run`]) in
//!   every execution [`Mode`]: the IR interpreter, translated to native code by backend-llvm,
//!   the JIT on LLVM (the default: the translated interpreter in its tiered form entering
//!   compiled code at hot bytecode positions, a program run again compiled as a whole) and
//!   the JIT on the IR-interpreter backend; printing results or returning a [`TlcError`];
//!   [`Interpreter::residual_code`] shows what the JIT compiled for a program.
//! - [`machine`] — what a run executes on: the IR interpreter, the translated interpreter and
//!   the two JITs behind one trait, and the worker thread of the native ones. Its
//!   language-neutral parts ([`machine::Machine`], [`machine::Worker`],
//!   [`machine::translate_interpreter`], [`machine::tiered_jit`]: the JIT driver over the
//!   tiered interpreter, start-up cached; [`machine::tiered_jit_owned`]: the same over a program
//!   handed over, held once until the first compilation, `machine/untiering.rs`) are public:
//!   lang-mini-python hosts its interpreter with them.
//! - [`printer`] — the printed form of a result, read through the interpreter's accessors
//!   with an explicit work stack (any depth, linear time).
//! - `residual/` (not code) — the residual code of the three benchmarks, kept current by
//!   `tests/residual.rs`.
//! - [`benchgen`] — the benchmark generator: random, loop-heavy, terminating programs sized
//!   by the bytecodes they execute (issue 17's corpus; `bench-corpus/README.md`).
//! - [`benchmarks`] — the paper's three benchmark programs, embedded for the demo and the
//!   benchmark harness (`benches/paper.rs`: the paper's table, every mode beside native Rust).
//!
//! The command line (`src/main.rs`): `lang-tlc run FILE [INPUT] --mode ... --jit-hot N`,
//! `residual`, `asm`, `disasm`, and with no arguments a demo.

pub mod asm;
pub mod benchgen;
pub mod disasm;
pub mod machine;
pub mod opcodes;
pub mod printer;
pub mod program;
pub mod runner;

pub use asm::{assemble, AsmError};
pub use disasm::disassemble;
pub use opcodes::{Opcode, Operand};
pub use program::{decode, serialize, ClassDescr, ConstantPool, DecodeError, Program};
pub use runner::{ErrorKind, Interpreter, Mode, ResidualRun, Settings, TlcError};

/// The three benchmark programs of the paper (TLC.md §5, §6), as assembler sources: the
/// conformance files `conformance/tlc/{factorial,fibo,accumulator}.tlc.src`, embedded.
pub mod benchmarks {
    /// Factorial of the input (an int accumulator loop).
    pub const FACTORIAL: &str = include_str!("../../conformance/tlc/factorial.tlc.src");
    /// The input-th Fibonacci number (`fibo 0` never terminates, as in PyPy).
    pub const FIBO: &str = include_str!("../../conformance/tlc/fibo.tlc.src");
    /// An object with an `accumulate` method called in a loop: 0+1+...+(n-1) for n >= 0,
    /// a count of |n| for n < 0.
    pub const ACCUMULATOR: &str = include_str!("../../conformance/tlc/accumulator.tlc.src");

    /// `(name, source)` of the three programs.
    pub const ALL: [(&str, &str); 3] =
        [("factorial", FACTORIAL), ("fibo", FIBO), ("accumulator", ACCUMULATOR)];
}
