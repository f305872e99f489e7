//! The conformance corpus (`tests/python/`) run on the mini-Python interpreter in every
//! mode, in process (the interpreter compiled and translated once): stdout, stderr and the
//! exit status must be CPython's, byte for byte.
//!
//! Modes: translated and jit for every program; llinterp (the IR interpreter, the
//! semantic reference) for the quick ones (those not listed in `llinterp_slow.txt`).
//! Programs reading stdin (a `.in` file) run through the binary instead (in-process runs
//! cannot feed stdin).
//!
//! `known_failures.txt` lists, one per line, the programs known to fail (`PATH  reason`).
//! The test fails when an unlisted program fails in any mode, and when a listed one
//! passes in every mode (so the list only shrinks). `BLESS=1` rewrites the list from this
//! run's failures, each with its first mode's reason. `CONFORMANCE_ONLY=topic/`
//! narrows the run to paths starting with that prefix (then the list is not checked).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lang_mini_python::compile_source;
use lang_mini_python::host::{Interpreter, Mode, Outcome, RunInput};

mod support;
use support::{corpus_dir, list_file, programs, read_list};

/// Wall time one program may take in one mode before the test gives up on it.
const TIME_LIMIT: Duration = Duration::from_secs(60);

struct Expected {
    out: Vec<u8>,
    err: String,
    status: i32,
    args: Vec<String>,
    stdin: bool,
}

fn expected(rel: &str) -> Expected {
    let base = corpus_dir().join(rel.trim_end_matches(".py"));
    let read = |ext: &str| std::fs::read(base.with_extension(ext)).unwrap_or_default();
    let status = String::from_utf8_lossy(&read("status")).trim().parse().expect("status file");
    let args = String::from_utf8_lossy(&read("args")).lines().map(String::from).collect();
    Expected {
        out: read("out"),
        err: String::from_utf8_lossy(&read("err")).into_owned(),
        status,
        args,
        stdin: base.with_extension("in").exists(),
    }
}

/// A program's result in `mode`, in process; syntax errors are reported as the binary does.
fn run_in_process(rel: &str, args: &[String], mode: Mode) -> Result<Outcome, String> {
    let source = std::fs::read_to_string(corpus_dir().join(rel)).expect("read program");
    let code = match compile_source(&source, rel) {
        Ok(c) => c,
        Err(e) => return Ok(Outcome { status: 1, stdout: Vec::new(), stderr: e.render(rel) }),
    };
    let argv: Vec<String> = std::iter::once(rel.to_string()).chain(args.iter().cloned()).collect();
    let input =
        RunInput { code: &code, filename: rel, source: &source, argv: &argv, capture_stderr: true };
    Interpreter::get().run(&input, mode)
}

/// A program's result in `mode` through the binary (for programs reading stdin).
fn run_binary(rel: &str, args: &[String], mode: Mode) -> Result<Outcome, String> {
    let root = corpus_dir();
    let stdin = std::fs::File::open(root.join(rel.trim_end_matches(".py")).with_extension("in"))
        .map_err(|e| e.to_string())?;
    let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .current_dir(&root)
        .args(["--mode", mode.name(), rel])
        .args(args)
        .stdin(Stdio::from(stdin))
        .output()
        .map_err(|e| e.to_string())?;
    let prefix = format!("File \"{}/", root.display());
    Ok(Outcome {
        status: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).replace(&prefix, "File \""),
    })
}

/// Runs with a time limit (a program that does not finish fails the whole test: the
/// machine it runs on cannot be interrupted).
fn run_limited(rel: &str, e: &Expected, mode: Mode) -> Result<Outcome, String> {
    let (tx, rx) = mpsc::channel();
    let (rel2, args, stdin) = (rel.to_string(), e.args.clone(), e.stdin);
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let r = if stdin {
                run_binary(&rel2, &args, mode)
            } else {
                run_in_process(&rel2, &args, mode)
            };
            let _ = tx.send(r);
        })
        .expect("spawn");
    match rx.recv_timeout(TIME_LIMIT) {
        Ok(r) => r,
        Err(_) => panic!("{rel} did not finish in {TIME_LIMIT:?} in mode {}", mode.name()),
    }
}

/// Why a result is not the expected one, or None if it is.
fn mismatch(e: &Expected, r: &Result<Outcome, String>) -> Option<String> {
    let o = match r {
        Ok(o) => o,
        Err(msg) => return Some(format!("interpreter failure: {msg}")),
    };
    let last = |s: &str| s.lines().last().unwrap_or("").chars().take(120).collect::<String>();
    if o.stderr != e.err {
        return Some(format!("stderr differs: got '{}'", last(&o.stderr)));
    }
    if o.stdout != e.out {
        return Some("stdout differs".into());
    }
    if o.status != e.status {
        return Some(format!("status {} instead of {}", o.status, e.status));
    }
    None
}

#[test]
fn corpus_in_every_mode() {
    let only = std::env::var("CONFORMANCE_ONLY").ok();
    let known = read_list("known_failures.txt");
    let slow = read_list("llinterp_slow.txt");
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut passes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut counted = 0;
    let start = Instant::now();
    for rel in programs() {
        if only.as_ref().is_some_and(|p| !rel.starts_with(p.as_str())) {
            continue;
        }
        counted += 1;
        let e = expected(&rel);
        let mut modes = vec![Mode::Translated, Mode::Jit];
        if !slow.contains_key(&rel) {
            modes.push(Mode::Llinterp);
        }
        for mode in modes {
            match mismatch(&e, &run_limited(&rel, &e, mode)) {
                None => *passes.entry(mode.name()).or_default() += 1,
                Some(why) => {
                    failures.entry(rel.clone()).or_insert(format!("[{}] {why}", mode.name()));
                }
            }
        }
    }
    let llinterp_total = counted - slow.len().min(counted);
    for (mode, total) in [("translated", counted), ("jit", counted), ("llinterp", llinterp_total)] {
        eprintln!("{mode}: {} of {total} programs pass", passes.get(mode).copied().unwrap_or(0));
    }
    eprintln!("({:.1}s)", start.elapsed().as_secs_f64());
    if std::env::var("BLESS").is_ok() {
        let mut text = String::from(
            "# Corpus programs known to fail (see tests/conformance.rs): PATH  reason.\n",
        );
        for (rel, why) in &failures {
            let reason = why;
            text.push_str(&format!("{rel}  {reason}\n"));
        }
        std::fs::write(list_file("known_failures.txt"), text).expect("write the list");
        return;
    }
    if only.is_some() {
        for (rel, why) in &failures {
            eprintln!("FAIL {rel}: {why}");
        }
        return;
    }
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|(rel, _)| !known.contains_key(*rel))
        .map(|(rel, why)| format!("{rel}: {why}"))
        .collect();
    let fixed: Vec<&String> = known.keys().filter(|rel| !failures.contains_key(*rel)).collect();
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "programs failing but not in known_failures.txt:\n{}\nprograms in known_failures.txt that pass now (remove them):\n{}",
        unexpected.join("\n"),
        fixed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"),
    );
}

#[test]
fn every_listed_program_exists() {
    let all: Vec<String> = programs();
    for list in ["known_failures.txt", "llinterp_slow.txt"] {
        for rel in read_list(list).keys() {
            assert!(all.contains(rel), "{list} names {rel}, which is not a corpus program");
            assert!(Path::new(&corpus_dir().join(rel)).exists());
        }
    }
}
