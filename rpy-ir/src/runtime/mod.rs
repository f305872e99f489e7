//! What every execution mode shares at run time: values ([`value`]), the heap's objects and
//! how to reach into them ([`heap`]), the errors and limits of a run ([`error`]), and which
//! compiled code relies on quasi-immutable fields ([`quasi`]), direct portal calls running
//! ([`portal_calls`]). The IR
//! interpreter ([`crate::llinterp`]), the JIT and the LLVM backend all use these, so a value,
//! an object or a failure means the same in every mode.
//!
//! Invariants:
//! - Nothing here runs IR: the IR interpreter executes graphs, [`crate::fold`] evaluates pure
//!   ops on constants, and [`heap::Heap::read_op`] evaluates the ops that read objects on
//!   run-time values; each op's semantics is written once.
//! - No Rust code outside rpy-ir reads or writes an object by the heap layout's offsets (the
//!   LLVM lowering only emits them into compiled code): the safe accessors of [`heap`] check
//!   every access (see its invariants).

pub mod error;
pub mod heap;
pub mod portal_calls;
pub mod quasi;
pub mod uncaught;
pub mod value;

pub use error::{
    error_message, RuntimeError, RuntimeErrorKind, DEFAULT_MAX_DEPTH, MAX_ARRAY_BYTES,
    MAX_STACK_WORDS,
};
pub use heap::{new_str, new_str_latin1, str_chars, str_text, AccessError, Heap, Object, Slot};
pub use value::RtValue;
