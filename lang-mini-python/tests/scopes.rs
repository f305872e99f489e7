//! Compile-time scoping compared with CPython's: for each `scopes/NAME.py`, the dump of our
//! symbol table (`SymbolTable::dump`: every scope, every name's local / cell / free /
//! global_explicit / global_implicit classification) must equal `NAME.scopes`, which
//! `regen_expected.py scopes` writes from CPython 3.11's `symtable` module.

use std::path::{Path, PathBuf};

use lang_mini_python::{parser, symtable};

#[test]
fn scopes_match_cpython_symtable() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scopes");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scopes directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    programs.sort();
    assert!(programs.len() >= 10);
    let mut failures = Vec::new();
    for p in &programs {
        let src = std::fs::read_to_string(p).expect("read snippet");
        let expected =
            std::fs::read_to_string(p.with_extension("scopes")).expect("expected .scopes");
        let module = parser::parse_module(&src).expect("snippet parses");
        let got = symtable::build(&module).expect("snippet's scopes are valid").dump();
        if got != expected {
            failures.push(format!("{}:\n--- ours\n{got}--- CPython\n{expected}", p.display()));
        }
        // and the whole front end accepts it
        lang_mini_python::compile_source(&src, "x.py").expect("snippet compiles");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
