//! Disassembly goldens: each `dis/NAME.py` compiles to the text in `NAME.dis`
//! (`BLESS=1` rewrites them). Every code object also passes the independent verifier, and
//! the binary's `--dis` prints the same text.

use std::path::{Path, PathBuf};
use std::process::Command;

use lang_mini_python::{compile_source, dis, verify};

fn programs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dis");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dis directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    v.sort();
    v
}

#[test]
fn disassembly_goldens() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let progs = programs();
    assert!(progs.len() >= 20);
    for p in &progs {
        let src = std::fs::read_to_string(p).expect("read program");
        let name = p.file_name().expect("name").to_string_lossy().to_string();
        let code = compile_source(&src, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        verify::verify(&code).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = dis::disassemble(&code);
        let golden = p.with_extension("dis");
        if bless {
            std::fs::write(&golden, &text).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == text => {}
            Ok(expected) => failures.push(format!(
                "{name}: differs (BLESS=1 to accept)\n--- got\n{text}--- golden\n{expected}"
            )),
            Err(_) => failures
                .push(format!("{name}: no golden {} (BLESS=1 to write it)", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn binary_dis_prints_the_same() {
    let p = &programs()[0];
    let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .arg("--dis")
        .arg(p)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let src = std::fs::read_to_string(p).expect("read");
    let shown = format!("{}", p.display());
    let code = compile_source(&src, &shown).expect("compiles");
    assert_eq!(String::from_utf8_lossy(&out.stdout), dis::disassemble(&code));
}
