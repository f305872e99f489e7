//! Being written.
use super::ast::Module;
use crate::ir::Program;
use crate::span::{Diagnostics, SourceMap};
/// Lowers a module.
pub fn lower(_m: &Module, _s: SourceMap) -> Result<Program, Diagnostics> { todo!() }
