//! Being written.
use super::ast::Module;
use crate::span::Diagnostic;
/// Parses a module.
pub fn parse(_text: &str, _file: u32) -> Result<Module, Vec<Diagnostic>> {
    todo!()
}
