//! The RPy front end: source text to a verified [`Program`].
//!
//! Stages: [`lex`] (tokens with INDENT/DEDENT), [`parse`] (tokens to the [`ast`]),
//! [`lower`] (type checking and lowering to flow graphs in one pass over the AST; exceptions
//! become ordinary ops and branches there, see `lower/exceptions.rs`). Between parsing and
//! lowering, [`edges`] appends the RPy helpers a module uses (raising parsers and math, the
//! string builder).

pub mod ast;
pub mod edges;
pub mod lex;
pub mod lower;
pub mod parse;

use crate::ir::Program;
use crate::span::{Diagnostics, SourceMap};

/// Reads and compiles an RPy file; the error is the rendered diagnostics, or
/// `error: cannot read FILE: ...`.
pub fn compile_file(file: &str) -> Result<Program, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("error: cannot read {file}: {e}"))?;
    compile(file, &text).map_err(|d| d.to_string())
}

/// Compiles RPy source text to a program; every error is a located diagnostic.
pub fn compile(file_name: &str, text: &str) -> Result<Program, Diagnostics> {
    let mut sources = SourceMap::default();
    let file = sources.add(file_name, text);
    let (mut module, mentioned) = match lex_and_parse(text, file) {
        Ok(m) => m,
        Err(errors) => return Err(Diagnostics { errors, sources }),
    };
    if let Err(errors) = edges::add_helpers(&mut module, mentioned, &mut sources) {
        return Err(Diagnostics { errors, sources });
    }
    lower::lower(&module, sources)
}

/// Compiles several named RPy source files as one program (an interpreter split by
/// subject): each file is parsed on its own, so every diagnostic names the file and the
/// position it is about; the top-level items are then joined in the order given, and the
/// program is lowered as if it were one module (names are shared across the files).
pub fn compile_files(files: &[(&str, &str)]) -> Result<Program, Diagnostics> {
    let mut sources = SourceMap::default();
    let mut module = ast::Module { items: Vec::new() };
    let mut errors = Vec::new();
    let mut mentioned = std::collections::HashSet::new();
    for (name, text) in files {
        let file = sources.add(*name, *text);
        match lex_and_parse(text, file) {
            Ok((m, names)) => {
                module.items.extend(m.items);
                mentioned.extend(names);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics { errors, sources });
    }
    if let Err(errors) = edges::add_helpers(&mut module, mentioned, &mut sources) {
        return Err(Diagnostics { errors, sources });
    }
    lower::lower(&module, sources)
}

/// Source file `file`'s module and the names it mentions ([`edges::mentions_in`]), lexing
/// the text once.
fn lex_and_parse(
    text: &str,
    file: u32,
) -> Result<(ast::Module, std::collections::HashSet<String>), Vec<crate::span::Diagnostic>> {
    let toks = lex::lex(text, file).map_err(|d| vec![d])?;
    let mentioned = edges::mentions_in(&toks);
    Ok((parse::parse_tokens(toks, file)?, mentioned))
}
