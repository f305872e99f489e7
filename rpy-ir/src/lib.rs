//! rpy-ir: the restricted IR every other crate of the JIT generator stands on.
//!
//! Map of the crate:
//! - [`span`]: source positions and `file:line:col` diagnostics with a caret excerpt.
//! - [`types`]: low-level types (int, float, bool, char, void, GC pointers to structs and
//!   arrays, function pointers) and the [`types::TypeTable`].
//! - [`ops`]: the op table, defined once and read by every consumer.
//! - [`ir`]: flow graphs in SSA form with block parameters; [`ir::Program`].
//! - [`fold`]: constant folding of pure ops, agreeing exactly with [`llinterp`].
//! - [`front`]: the RPy language: lexer, parser, type checker and lowering to flow graphs;
//!   exceptions are lowered away there (`front/lower/exceptions.rs`: a prebuilt exception
//!   state, checks after calls that can raise, `ovfcheck`); the generic containers
//!   `list[T]`, `dict[K, V]`, `rdict[K, V]` are an RPy prelude (`front/prelude/*.rpy`)
//!   specialised per type argument (`front/lower/generic.rs`) and reached through
//!   type-directed dispatch (`front/lower/containers.rs`).
//! - [`flow`]: control-flow analyses of a graph (reverse postorder, back edges, dominators,
//!   loops), computed here once for every crate.
//! - [`verify`]: the IR verifier (run after every transformation in debug and test builds).
//! - [`text`]: the textual IR, a printer and a parser that round-trip.
//! - [`dot`]: Graphviz export of a graph.
//! - [`layout`]: the heap layout (header word, field offsets, array header) shared by the IR
//!   interpreter and compiled code.
//! - [`gc`]: bindings to the Boehm-Demers-Weiser collector that allocates every heap object.
//! - [`externs`]: the registry of Rust runtime functions callable from RPy (`call_extern`).
//! - [`runtime`]: what every execution mode shares at run time: values ([`runtime::RtValue`],
//!   the one conversion from and to constants and words), checked access to heap objects
//!   (strings, fields, items, prebuilt objects: [`runtime::heap`]), runtime errors and limits,
//!   and the host's check for an uncaught RPy exception ([`runtime::uncaught`]).
//! - [`llinterp`]: the IR interpreter, the semantic reference for every other mode.

pub mod dot;
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
pub mod text;
pub mod types;
pub mod verify;
