//! Helpers written in RPy that the front end adds to a module that uses them: parsing that
//! raises (`parse_int(s)`, `parse_int_base(s, base)`, `parse_float(s)`), CPython's `math`
//! functions that raise (`sqrt`, `exp`, `log`, `log10`, `pow`, `fmod`, `hypot`, `sin`, `cos`,
//! `tan`), and the string builder (`strbuilder`, `new_builder()`, `builder_append(b, s)`,
//! `builder_append_char(b, c)`, `builder_build(b)`). The sources are `edges/*.rpy`.
//!
//! Vocabulary and invariants:
//! - A helper is one top-level item (a `def` or `struct`) of a helper file. A text
//!   **mentions** a name when it calls it (`NAME(`, not a method `.NAME(` nor `def NAME(`) or
//!   writes it as a type (`: NAME`, `-> NAME`); locals, fields and methods of the same name do
//!   not count.
//! - A helper is **wanted** when the user's module mentions its name and does not define
//!   that name itself, or when a wanted helper mentions it (closure).
//!   User definitions win: a program that defines its own `parse_int` or `log` keeps it, and
//!   helpers that mention that name then call the user's.
//! - The wanted helpers, in their files' order, are parsed as one extra source file named
//!   [`HELPERS_FILE`] (so spans inside them are real positions in that text) and appended
//!   to the module before lowering. A module that mentions no helper is unchanged, and so
//!   is its IR.
//! - Helpers are ordinary RPy: they raise through the exception transform
//!   (`lower/exceptions.rs`), the JIT sees through them like any other graph, and the IR
//!   interpreter, the LLVM backend and the timeshifter need nothing of their own.

use super::ast::{Item, Module};
use super::lex::{lex, Token, TokenKind};
use super::parse::parse;
use crate::span::{Diagnostic, SourceMap};
use std::collections::HashSet;

/// The name of the source file that holds the helpers a module uses.
pub const HELPERS_FILE: &str = "<rpy helpers>";

/// The helper files, in the order their items are emitted.
const SOURCES: &[&str] = &[
    include_str!("edges/parse.rpy"),
    include_str!("edges/math.rpy"),
    include_str!("edges/builder.rpy"),
];

/// One helper: its name, its text and the identifiers that text mentions.
struct Helper {
    name: String,
    text: String,
    mentions: HashSet<String>,
}

/// The names `text` uses as module-level names: called (`NAME(`, not `.NAME(`) or written as
/// a type (`: NAME`, `-> NAME`). Names that are only locals, fields, methods or the name of
/// a `def` do not count,
/// so a program with a local variable `log` does not get the helper `log`. Empty if `text`
/// does not lex.
fn mentions(text: &str) -> HashSet<String> {
    mentions_in(&lex(text, 0).unwrap_or_default())
}

/// The names the tokens of a text mention ([`mentions`]), for a text lexed already.
pub fn mentions_in(tokens: &[Token]) -> HashSet<String> {
    let mut out = HashSet::new();
    for (i, t) in tokens.iter().enumerate() {
        let TokenKind::Name(n) = &t.kind else { continue };
        let before = i.checked_sub(1).map(|j| &tokens[j].kind);
        let after = tokens.get(i + 1).map(|t| &t.kind);
        let called = after == Some(&TokenKind::LParen)
            && !matches!(before, Some(TokenKind::Dot | TokenKind::Def));
        let typed = matches!(before, Some(TokenKind::Colon | TokenKind::Arrow));
        if called || typed {
            out.insert(n.clone());
        }
    }
    out
}

/// Splits the helper files into their top-level items (comments between items dropped).
fn helpers() -> Vec<Helper> {
    let mut out: Vec<Helper> = Vec::new();
    for source in SOURCES {
        for line in source.lines() {
            let head = line.strip_prefix("def ").or_else(|| line.strip_prefix("struct "));
            if let Some(rest) = head {
                let end = rest.find(['(', ':']).unwrap_or(rest.len());
                let name = rest[..end].trim().to_string();
                out.push(Helper { name, text: String::new(), mentions: HashSet::new() });
            } else if line.starts_with('#') || out.is_empty() {
                continue;
            }
            let h = out.last_mut().expect("an item started");
            h.text.push_str(line);
            h.text.push('\n');
        }
    }
    for h in &mut out {
        h.mentions = mentions(&h.text);
    }
    out
}

fn item_name(item: &Item) -> &str {
    match item {
        Item::Struct(s) => &s.name,
        Item::Func(f) => &f.name,
        Item::Const(c) => &c.name,
    }
}

/// Appends to `module` the helpers it uses, given the names its text mentions
/// ([`mentions_in`] of its tokens), adding their source file to `sources`. An error here is a
/// bug in the helper sources, reported as located diagnostics.
pub fn add_helpers(
    module: &mut Module,
    mentioned: HashSet<String>,
    sources: &mut SourceMap,
) -> Result<(), Vec<Diagnostic>> {
    let defined: HashSet<&str> = module.items.iter().map(item_name).collect();
    let helpers = helpers();
    let mut wanted = mentioned;
    let mut chosen = vec![false; helpers.len()];
    loop {
        let mut grew = false;
        for (i, h) in helpers.iter().enumerate() {
            if !chosen[i] && wanted.contains(&h.name) && !defined.contains(h.name.as_str()) {
                chosen[i] = true;
                wanted.extend(h.mentions.iter().cloned());
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    if !chosen.contains(&true) {
        return Ok(());
    }
    let helper_text: String =
        helpers.iter().zip(&chosen).filter(|(_, &c)| c).map(|(h, _)| h.text.as_str()).collect();
    let file = sources.add(HELPERS_FILE, helper_text.clone());
    let extra = parse(&helper_text, file)?;
    module.items.extend(extra.items);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_helper_file_parses_and_names_are_unique() {
        let hs = helpers();
        let names: HashSet<&str> = hs.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names.len(), hs.len());
        for name in ["parse_int", "parse_float", "log", "strbuilder", "builder_build"] {
            assert!(names.contains(name), "{name}");
        }
        let all: String = SOURCES.concat();
        assert!(parse(&all, 0).is_ok());
    }

    #[test]
    fn only_wanted_helpers_are_added() {
        let text = "def f(s: str) -> int:\n    return parse_int(s)\n";
        let mut m = parse(text, 0).unwrap();
        let mut sources = SourceMap::default();
        sources.add("f.rpy", text);
        add_helpers(&mut m, mentions(text), &mut sources).unwrap();
        let names: Vec<&str> = m.items.iter().map(item_name).collect();
        assert_eq!(names, ["f", "parse_int_base", "parse_int"]);
    }

    #[test]
    fn user_definitions_win() {
        let text = "def log(x: float) -> float:\n    return log(x)\n";
        let mut m = parse(text, 0).unwrap();
        add_helpers(&mut m, mentions(text), &mut SourceMap::default()).unwrap();
        assert_eq!(m.items.len(), 1);
    }
}
