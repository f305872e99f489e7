//! Run-time errors: what stops a run in every execution mode, the one text each failure
//! reads as, and the limits whose breach is such an error.
//!
//! Invariants:
//! - Every mode (the IR interpreter, translated code, JIT code) reports a failure of the same
//!   op on the same values with the same [`RuntimeErrorKind`] and, through
//!   [`error_message`], the same message; the differential tests hold them to it.
//! - The limits ([`DEFAULT_MAX_DEPTH`], [`MAX_STACK_WORDS`], [`MAX_ARRAY_BYTES`]) are the
//!   same in every mode, so a program overflows or runs out of memory at the same point.

use crate::ir::{Aux, OpData, Program};
use crate::layout::Layout;
use crate::ops::Opcode;
use crate::span::{SourceMap, Span};
use crate::types::Ty;

/// Default limit on nested RPy calls.
pub const DEFAULT_MAX_DEPTH: usize = 100_000;
/// Limit on the words of all frames' registers together (128 MiB).
pub const MAX_STACK_WORDS: usize = 1 << 24;
/// Largest array the interpreter allocates, in bytes (bigger ones fail with OutOfMemory).
pub const MAX_ARRAY_BYTES: usize = 1 << 34;

/// What went wrong in a failed run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeErrorKind {
    /// A field, item, length, type or function read through a null pointer.
    NullDereference,
    /// An array index below 0 or not below the length.
    IndexOutOfBounds,
    /// Integer `//` or `%` by zero.
    DivisionByZero,
    /// Too many nested calls (or their registers need too much memory).
    StackOverflow,
    /// A checked cast of an object that is not an instance of the target type.
    BadCast,
    /// `malloc_array` with a negative length.
    NegativeLength,
    /// `cast_int_to_char` outside 0..=255.
    InvalidChr,
    /// A shift by a negative count.
    NegativeShift,
    /// An allocation the collector cannot satisfy (or an absurdly large array).
    OutOfMemory,
    /// A `jit_hook` op ran in an interpreter with no JIT hook installed.
    JitHookMissing,
    /// An RPy exception nothing caught reached the host (see [`crate::runtime::uncaught`]);
    /// the message is `Class: message`.
    Uncaught,
}

/// The message of [`RuntimeErrorKind::InvalidChr`] for the argument `a` (shared with folding).
pub fn invalid_chr_message(a: i64) -> String {
    format!("chr() argument {a} is not a Unicode scalar value (0..=0x10FFFF, no surrogate)")
}

/// The message of a runtime error of `kind` raised by `op` (if known) with the failing values
/// `a` and `b` (an index and a length, a tag, a count...; see each kind) and the call-depth
/// limit `max_depth`. Shared by every execution mode, so their errors read the same.
pub fn error_message(
    program: &Program,
    layout: &Layout,
    kind: RuntimeErrorKind,
    op: Option<&OpData>,
    a: i64,
    b: i64,
    max_depth: usize,
) -> String {
    let types = &program.types;
    let type_name = |t| types.display(Ty::Ref(t)).to_string();
    match kind {
        RuntimeErrorKind::NullDereference => {
            let what = match op.map(|op| (op.opcode, &op.aux)) {
                Some((Opcode::GetField, Aux::Field(t, i))) => format!(
                    "reading field `{}` of a null `{}`",
                    types.struct_def(*t).fields[*i as usize].name,
                    type_name(*t)
                ),
                Some((Opcode::SetField, Aux::Field(t, i))) => format!(
                    "writing field `{}` of a null `{}`",
                    types.struct_def(*t).fields[*i as usize].name,
                    type_name(*t)
                ),
                Some((Opcode::GetArrayItem, Aux::Array(t))) => {
                    format!("reading an item of a null `{}`", type_name(*t))
                }
                Some((Opcode::SetArrayItem, Aux::Array(t))) => {
                    format!("writing an item of a null `{}`", type_name(*t))
                }
                Some((Opcode::ArrayLen, _)) => "length of a null array".to_string(),
                Some((Opcode::TypeOf, _)) => "type of a null pointer".to_string(),
                Some((Opcode::CallIndirect, _)) => {
                    "call through a null function pointer".to_string()
                }
                _ => "null pointer".to_string(),
            };
            format!("null dereference: {what}")
        }
        RuntimeErrorKind::IndexOutOfBounds => format!("index {a} out of bounds for length {b}"),
        RuntimeErrorKind::DivisionByZero => match op.map(|op| op.opcode) {
            Some(Opcode::IntMod) => "integer modulo by zero".to_string(),
            _ => "integer division by zero".to_string(),
        },
        RuntimeErrorKind::StackOverflow if b as u64 > MAX_STACK_WORDS as u64 || a == 0 => {
            format!(
                "stack overflow: the frames need more than {} MiB of registers",
                (MAX_STACK_WORDS * 8) >> 20
            )
        }
        RuntimeErrorKind::StackOverflow => {
            format!("stack overflow: more than {max_depth} nested calls")
        }
        RuntimeErrorKind::BadCast => {
            let target = match op.map(|op| &op.aux) {
                Some(Aux::Type(t)) => type_name(*t),
                _ => "?".to_string(),
            };
            let actual = layout
                .heap_type_of_tag(a as u64)
                .map_or_else(|| format!("object with tag {a}"), type_name);
            format!("cannot cast a `{actual}` to `{target}`")
        }
        RuntimeErrorKind::NegativeLength => format!("negative array length {a}"),
        RuntimeErrorKind::InvalidChr => invalid_chr_message(a),
        RuntimeErrorKind::NegativeShift => format!("negative shift count {b}"),
        RuntimeErrorKind::JitHookMissing => {
            let id = match op.map(|op| &op.aux) {
                Some(Aux::Hook(id)) => *id as i64,
                _ => a,
            };
            format!("jit_hook #{id} reached with no JIT installed")
        }
        RuntimeErrorKind::OutOfMemory => match op.map(|op| (op.opcode, &op.aux)) {
            Some((Opcode::MallocArray, Aux::Type(t))) => {
                format!("out of memory allocating a `{}` of length {a}", type_name(*t))
            }
            _ => "out of memory".to_string(),
        },
        // The real text names the exception: `uncaught::take_uncaught` builds it.
        RuntimeErrorKind::Uncaught => "uncaught exception".to_string(),
    }
}

/// A runtime error: its kind, the span of the failing op, a one-line message, and the name of
/// the graph that failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuntimeError {
    /// What went wrong.
    pub kind: RuntimeErrorKind,
    /// The failing op's source position.
    pub span: Span,
    /// What went wrong, in one line.
    pub message: String,
    /// The name of the graph whose op failed.
    pub graph: String,
}

impl RuntimeError {
    /// An error of the JIT itself (a hook it could not serve, code it could not make), with
    /// no place in the program: kind [`RuntimeErrorKind::JitHookMissing`].
    pub fn jit(message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            kind: RuntimeErrorKind::JitHookMissing,
            span: Span::UNKNOWN,
            message: message.into(),
            graph: String::new(),
        }
    }

    /// The full text: `file:line:col: runtime error: message`, then the source line with a
    /// caret under the column (as [`crate::span::Diagnostic::render`] does).
    pub fn render(&self, sources: &SourceMap) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "{}: runtime error: {}", sources.location(self.span), self.message);
        match sources.excerpt(self.span) {
            Some(excerpt) => out.push_str(&excerpt),
            None => {
                let _ = writeln!(out, "    in graph {}", self.graph);
            }
        }
        out
    }
}
