//! The front end against the conformance corpus (`tests/python/TOPIC/NAME.py`, written by
//! another part of the project with CPython's results beside each program): every program
//! whose expected stderr is not a compile-time error (a `SyntaxError`, `IndentationError`
//! or `TabError` report without a traceback) compiles, and its code objects pass the
//! verifier; every program whose expected result is such an error gets CPython's stderr
//! byte for byte from the binary, and exit status 1.
//!
//! `MINI_PYTHON_CORPUS=DIR` points the test at another corpus root (read at this edge
//! only). With no corpus present the test checks nothing and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_root() -> PathBuf {
    match std::env::var_os("MINI_PYTHON_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python"),
    }
}

fn programs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(topics) = std::fs::read_dir(root) else { return out };
    for t in topics {
        let t = t.expect("dir entry").path();
        if !t.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&t).expect("topic directory") {
            let f = f.expect("dir entry").path();
            if f.extension().is_some_and(|e| e == "py") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// Is this expected stderr a compile-time error report (no traceback)?
fn is_compile_error(err: &str) -> bool {
    let last = err.lines().last().unwrap_or("");
    !err.contains("Traceback (most recent call last)")
        && ["SyntaxError:", "IndentationError:", "TabError:"].iter().any(|k| last.starts_with(k))
}

#[test]
fn corpus_compiles_or_fails_as_cpython() {
    let root = corpus_root();
    let progs = programs(&root);
    if progs.is_empty() {
        eprintln!("no corpus under {}: nothing checked", root.display());
        return;
    }
    let root = root.canonicalize().expect("corpus root");
    let mut failures = Vec::new();
    let (mut compiled, mut syntax) = (0, 0);
    for p in &progs {
        let rel = p.strip_prefix(&root).unwrap_or(p).display().to_string();
        let expected_err = std::fs::read_to_string(p.with_extension("err")).unwrap_or_default();
        if is_compile_error(&expected_err) {
            syntax += 1;
            let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
                .arg(root.join(&rel))
                .current_dir(&root)
                .output()
                .expect("run lang-mini-python");
            let got = String::from_utf8_lossy(&out.stderr)
                .replace(&format!("File \"{}/", root.display()), "File \"");
            if out.status.code() != Some(1) || got != expected_err {
                failures.push(format!(
                    "{rel}: status {:?}\n--- ours\n{got}--- CPython\n{expected_err}",
                    out.status.code()
                ));
            }
            continue;
        }
        compiled += 1;
        let src = std::fs::read_to_string(p).expect("read program");
        match lang_mini_python::compile_source(&src, &rel) {
            Ok(code) => {
                if let Err(e) = lang_mini_python::verify::verify(&code) {
                    failures.push(format!("{rel}: invalid code: {e}"));
                }
            }
            Err(e) => failures.push(format!("{rel}: unexpected error:\n{}", e.render(&rel))),
        }
    }
    eprintln!("{compiled} programs compiled, {syntax} syntax errors compared");
    assert!(
        failures.is_empty(),
        "{} of {} programs:\n{}",
        failures.len(),
        progs.len(),
        failures.join("\n")
    );
}
