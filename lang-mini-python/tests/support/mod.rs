//! What the corpus tests share: where the corpus is, its programs, and the `PATH  reason`
//! lists kept beside it (`known_failures.txt`, `llinterp_slow.txt`); `cpython` runs CPython
//! the corpus way. Each test crate uses part of it.
#![allow(dead_code)]

pub mod cpython;
pub mod residual;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The corpus root, `tests/python`.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python")
}

/// A list file beside the corpus, under `tests/`.
pub fn list_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

/// `PATH  reason` lines (comments start with '#').
pub fn read_list(name: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(list_file(name)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((p, r)) => (p.to_string(), r.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// Corpus paths (`topic/name.py`), sorted.
pub fn programs() -> Vec<String> {
    let root = corpus_dir();
    let mut out = Vec::new();
    for topic in std::fs::read_dir(&root).expect("corpus dir") {
        let topic = topic.expect("entry").path();
        if !topic.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&topic).expect("topic dir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "py") {
                out.push(f.strip_prefix(&root).expect("under root").to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// `program` (source text) run by the binary in jit mode with everything hot compiled
/// (`RPY_JIT_PAYOFF=off`) and the JIT's log stages `log` (`RPY_JIT_LOG`): its stderr (the
/// log) and stdout.
pub fn jit_logged(program: &str, log: &str) -> (String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(["--mode", "jit", "-c", program])
        .env("RPY_JIT_LOG", log)
        .env("RPY_JIT_PAYOFF", "off")
        .output()
        .expect("lang-mini-python runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (text(&out.stderr), text(&out.stdout))
}
