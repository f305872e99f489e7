//! rpy-ir: the restricted IR every other crate of the JIT generator stands on.
//!
//! Map of the crate:
//! - [`entity`]: the one way entity index types are declared ([`entity!`]).
//! - [`span`]: source positions and `file:line:col` diagnostics with a caret excerpt.
//! - [`types`]: low-level types (int, float, bool, char — a Unicode scalar value —, void, GC
//!   pointers to structs and arrays, function pointers) and the [`types::TypeTable`].
//! - [`ops`]: the op table, defined once and read by every consumer.
//! - [`ir`]: flow graphs in SSA form with block parameters; [`ir::Program`]; the clean-ups
//!   of built graphs (`Graph::simplify`, `Graph::remove_redundant_params` in `ir/params.rs`).
//! - [`fold`]: constant folding of pure ops, agreeing exactly with [`llinterp`].
//! - [`front`]: the RPy language: lexer, parser, type checker and lowering to flow graphs
//!   (methods dispatched by class, tuples and `for` loops lower to the core ops: see
//!   `front/lower/mod.rs`); exceptions are lowered away there (`front/lower/exceptions.rs`:
//!   a prebuilt exception state, checks after calls that can raise, `ovfcheck`); RPy helpers
//!   a module calls (raising `parse_int`/`parse_float`/math, `strbuilder`) are appended
//!   before lowering (`front/edges.rs`, sources in `front/edges/*.rpy`); the generic
//!   containers `list[T]`, `dict[K, V]`, `rdict[K, V]` are an RPy prelude
//!   (`front/prelude/*.rpy`) specialised per type argument (`front/lower/generic.rs`) and
//!   reached through type-directed dispatch (`front/lower/containers.rs`); `for` walks
//!   them without an iterator object (`front/lower/container_walks.rs`).
//! - [`flow`]: control-flow analyses of a graph (reverse postorder, back edges, dominators,
//!   loops), computed here once for every crate.
//! - [`verify`]: the IR verifier (run after every transformation in debug and test builds).
//! - [`text`]: the textual IR, a printer and a parser that round-trip.
//! - [`dot`]: Graphviz export of a graph.
//! - [`layout`]: the heap layout (header word, field offsets, array header) shared by the IR
//!   interpreter and compiled code.
//! - [`gc`]: bindings to the Boehm-Demers-Weiser collector that allocates every heap object.
//! - [`externs`]: the registry of Rust runtime functions callable from RPy (`call_extern`):
//!   printing and basic strings, [`externs::strings`] (find/replace/split/join/strip/case/
//!   classes/slices with steps), [`externs::numbers`] (CPython's float formatting, `int()` and
//!   `float()` parsing with a status, math with CPython's domain status), [`externs::io`]
//!   (stdin lines, stderr, the exit status), [`externs::bigint`] (Python's arbitrary-precision
//!   int arithmetic over `num-bigint`, on the type `bigint`: a `str` of encoded digits).
//! - [`runtime`]: what every execution mode shares at run time: values ([`runtime::RtValue`],
//!   the one conversion from and to constants and words), checked access to heap objects
//!   (strings, fields, items, prebuilt objects: [`runtime::heap`]), runtime errors and limits,
//!   and the host's check for an uncaught RPy exception ([`runtime::uncaught`]),
//!   which compiled code relies on which quasi-immutable field ([`runtime::quasi`]), and
//!   whether a direct portal call of compiled code is running ([`runtime::portal_calls`]).
//! - [`llinterp`]: the IR interpreter, the semantic reference for every other mode.
//! - [`virtualizable`]: virtualizable structs (an interpreter's frame whose fields and array
//!   items the JIT keeps in registers) in the type table, and the effects analysis saying
//!   which graphs may access them.
//! - [`binary`]: a compact binary form of a [`ir::Program`] that decodes to the same program
//!   (every index checked), for hosts that keep the front end's output between runs.
//! - [`cli`]: what the command-line tools share (finding the function to run, printing its
//!   result, the exit status).

pub mod binary;
pub mod cli;
pub mod dot;
pub mod entity;
pub mod externs;
pub mod flow;
pub mod fold;
pub mod front;
pub mod gc;
pub mod ir;
pub mod layout;
pub mod llinterp;
pub mod ops;
pub mod runtime;
pub mod span;
#[cfg(test)]
mod test_programs;
pub mod text;
pub mod types;
pub mod verify;
pub mod virtualizable;
