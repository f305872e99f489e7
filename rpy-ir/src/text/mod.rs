//! The textual IR: a printer and a parser that round-trip.
//!
//! Invariants:
//! - `print_program(&parse_program(&print_program(p))?) == print_program(p)` for every program
//!   whose references all exist (dangling indices print as `<missing ...>`, which does not
//!   parse).
//! - `parse_program(&print_program(p))` equals `p` except for: spans (they point at the IR
//!   text, which becomes the program's only source file); var names (not printed; parsed as
//!   `None`); op indices (ops are renumbered in layout order and ops listed in no block are
//!   dropped); vars that are never defined (recreated as `void` placeholders). Heap types,
//!   signatures, graphs, blocks, vars and prebuilt objects keep their indices: blocks and vars
//!   are printed with their real numbers (`block3`, `v12`) and recreated at those indices;
//!   `type` declarations list every array type and signature so that parsing interns each at
//!   the index it had.
//! - Parse errors are values ([`TextError`], `line:col: message`), never panics.
//!
//! Grammar (`{x}` repeats, `[x]` is optional; newlines end items, ops and exits, except inside
//! `(...)` and `[...]`; `;` starts a comment):
//! ```text
//! program  := { struct | 'type' type | prebuilt | graph }
//! struct   := 'struct' NAME [':' NAME] ['immutable'] '{' [NAME ':' type {',' NAME ':' type}] '}'
//! prebuilt := 'prebuilt' pbN [NAME] '=' ( 'str' STRING | type '[' consts ']'
//!                                      | type '{' [[NAME ':'] const {',' [NAME ':'] const}] '}' )
//! graph    := 'graph' NAME '(' types ')' '->' type ['entry' blockN] '{' {block} '}'
//! block    := blockN '(' [vN ':' type {',' vN ':' type}] ')' ':' {op} exit
//! op       := [vN [':' type] '='] OPCODE aux args
//! aux      := (by opcode)  T | T.field | T.index | NAME '(' values ')' | {flag, ...}
//!           | '#' INT '(' values ')'
//!           | '[' KIND payload ']'                    (explicit form, for mismatched aux data)
//! exit     := 'goto' target | 'branch' value ',' target ',' target
//!           | 'switch' value ',' '[' {case ':' target ','} ']' ',' 'default' target
//!           | 'return' [value]
//! target   := blockN '(' values ')'
//! type     := int | float | bool | char | void | str | array[T] | frozen[T]
//!           | fn(T, ...) -> T | NAME
//! value    := vN | 42 | -3 | 1.5 | 1e100 | inf | -inf | nan | nan(0xBITS) | true | false
//!           | 'a' | '\x00' | null T | pbN | @graph_name
//! NAME     := identifier | "quoted string"
//! ```
//! Ops by aux kind: `v6 = malloc IntObj`, `v7 = malloc_array array[int] v2`,
//! `v5 = getfield IntObj.value v3`, `setfield IntObj.value v3, v4`,
//! `v8 = getarrayitem array[int] v7, v1`, `v9 = cast IntObj v3`,
//! `v10 = instanceof IntObj v3`, `v4 = call fact(v3)`,
//! `v11 = call_indirect fn(int) -> int v9(v2)`, `v12 = call_extern print_int(v3)`,
//! `v13 = hint {concrete, promote} v12`, `hint {global_merge_point}`,
//! `v14: int = jit_hook #3(v1, v2)`, `jit_hook #4(v1)`; other ops print their operands after
//! the opcode: `v3 = int_add v1, 2`.
//!
//! An op result carries an explicit type (`v3: int = ...`) only when the op table, aux data
//! and operands do not determine it (a malformed op, a `same_as`/`hint` chain with no typed
//! start, or a `jit_hook`, whose result type nothing else names). Switch cases on a char value
//! print as char literals. Names that are not identifiers (or struct names that are type
//! keywords) print quoted.

mod build;
mod lex;
mod parse;
mod print;
mod view;

pub use parse::parse_program;
pub(crate) use print::{case_label, prebuilt_line, Sink};
pub use print::{print_graph, print_program, GraphPrinter};
pub(crate) use view::{AuxKind, ProgramView};

use std::fmt;

/// A parse error at a line and column of the IR text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for TextError {}

#[cfg(test)]
mod tests;
