//! lang-mini-python: a Python 3 subset (spec/MINI_PYTHON.md): its front end in Rust (source
//! text to code objects of a bytecode designed for an RPy interpreter) and its interpreter
//! and object model written in RPy with JIT hints (`src/interp/*.rpy`), run in every mode by
//! `host`.
//!
//! Map (data flows top to bottom):
//! - `lexer` (`token`, `number`): source to tokens with INDENT/DEDENT, exact int literals.
//! - `parser` (`ast`): tokens to an AST with positions; `parser/expr.rs` expressions,
//!   `parser/compound.rs` compound statements, `parser/targets.rs` checks targets,
//!   `parser/strings.rs` decodes literals and f-strings, `parser/bytestrings.rs` bytes
//!   literals.
//! - `symtable`: every scope's names classified as CPython's symtable does (local, cell,
//!   free, global explicit/implicit), private-name mangling, plus scope-level errors
//!   (`nonlocal` without binding...) and CPython's nesting limit.
//! - `compiler` (`bytecode`): AST + symtable to one `CodeObject` per module, class body,
//!   function, lambda and comprehension; `compiler/assemble.rs` resolves labels, computes
//!   the stack depth and the exception table.
//! - `verify`: an independent checker of code objects (indexes, jump targets, exception
//!   table, one stack depth per instruction), run on debug builds and by every test;
//!   `verify::stack_depths` gives the interpreter the depth before each instruction.
//! - `location`: each instruction's source span and operator/subscript anchor, for the
//!   `^^^`/`~~^~~` position markers of tracebacks.
//! - `dis`: the disassembler (`--dis`), used by golden tests.
//! - `error`: `SyntaxError` rendered exactly as CPython 3.11 prints it.
//! - `host` (`host/encode.rs`, `host/jit.rs`, `host/repl.rs`): runs code objects on the RPy
//!   interpreter (`src/interp/`: one file per subject, see each file's `#!` header and
//!   ARCHITECTURE.md) in llinterp, translated and jit modes, on lang-tlc's machines; the
//!   REPL's sessions (`compile_interactive` compiles their inputs).
//! - `rpylib`: library code for the RPy interpreter, written in RPy (`rpylib/random.rpy`:
//!   CPython's Mersenne Twister and `random`'s methods; `rpylib/format.rpy`: format specs
//!   and `%` conversions), exposed as source text and compiled into the interpreter
//!   (`interp/randommod.rpy` and `interp/format.rpy` wrap guest values around them).
//!
//! The entry point is `compile_source`; the binary (`main.rs`) is the `python3`-like CLI.

pub mod ast;
pub mod bytecode;
pub mod compiler;
pub mod dis;
pub mod error;
pub mod host;
pub mod lexer;
pub mod location;
pub mod number;
pub mod parser;
pub mod rpylib;
pub mod symtable;
pub mod token;
pub mod verify;

pub use error::{ErrorKind, SyntaxError};

/// Parses, analyses scopes and compiles a module: the module's code object, or the first
/// syntax error (with its source line filled in).
///
/// The work runs on a thread of its own with a large stack: the parser, the symbol table
/// and the compiler recurse over the program's nesting (bounded by CPython's limits: 200
/// brackets, 100 indentation levels, about 3000 nested expressions), whatever stack the
/// caller has.
pub fn compile_source(source: &str, filename: &str) -> Result<bytecode::CodeObject, SyntaxError> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("mini-python-compile".into())
            .stack_size(COMPILE_STACK)
            .spawn_scoped(s, || compile_here(source, filename))
            .expect("spawn the compile thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The compile thread's stack (reserved address space; only what is used is touched).
const COMPILE_STACK: usize = 256 << 20;

/// Compiles one input of the REPL (CPython's "single" mode: the values of top-level
/// expression statements are echoed), as [`compile_source`] compiles a module.
pub fn compile_interactive(
    source: &str,
    filename: &str,
) -> Result<bytecode::CodeObject, SyntaxError> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("mini-python-compile".into())
            .stack_size(COMPILE_STACK)
            .spawn_scoped(s, || compile_in(source, filename, true))
            .expect("spawn the compile thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn compile_here(source: &str, filename: &str) -> Result<bytecode::CodeObject, SyntaxError> {
    compile_in(source, filename, false)
}

fn compile_in(
    source: &str,
    filename: &str,
    interactive: bool,
) -> Result<bytecode::CodeObject, SyntaxError> {
    let module = parser::parse_module(source)?;
    let table = symtable::build(&module).map_err(|e| e.with_source(source))?;
    let compile =
        if interactive { compiler::compile_interactive } else { compiler::compile_module };
    let code = compile(&module, &table, filename).map_err(|e| e.with_source(source))?;
    if cfg!(debug_assertions) {
        if let Err(e) = verify::verify(&code) {
            panic!("the compiler made invalid code: {e}");
        }
    }
    Ok(code)
}
