//! The TLC conformance cases (`conformance/tlc/cases.txt`, a copy of `../shared/conformance/tlc`, TLC.md "Conformance
//! protocol"), every line, run on the RPy interpreter in every execution mode (the IR
//! interpreter, translated, the JIT on LLVM with its default threshold and compiling at once,
//! the JIT on the IR backend), and a differential test comparing the modes' full output.
//!
//! Each line is `PROGRAM INPUT EXPECTED`: the printed result, or `error KIND`. Cases run on a
//! few threads (the RPy interpreter is compiled once and shared); every failure is collected
//! and reported together, with the slowest cases, so one run shows the whole picture.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lang_tlc::{assemble, Interpreter, Mode};

/// The conformance directory: an unchanged copy of `../shared/conformance/tlc` in the repository.
fn conformance_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/tlc");
    assert!(dir.is_dir(), "conformance directory not found at {}", dir.display());
    dir
}

/// One line of `cases.txt`.
#[derive(Clone, Debug)]
struct Case {
    line: usize,
    program: String,
    input: i64,
    expected: String,
}

fn read_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(conformance_dir().join("cases.txt")).unwrap();
    let mut cases = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut parts = l.splitn(3, ' ');
        let (Some(program), Some(input), Some(expected)) =
            (parts.next(), parts.next(), parts.next())
        else {
            panic!("cases.txt:{}: malformed line '{l}'", i + 1);
        };
        cases.push(Case {
            line: i + 1,
            program: program.to_string(),
            input: input.parse().unwrap_or_else(|_| panic!("cases.txt:{}: bad input", i + 1)),
            expected: expected.trim().to_string(),
        });
    }
    cases
}

/// Runs one case in `mode`; `Err` describes a mismatch.
fn check(interp: &Interpreter, case: &Case, mode: Mode) -> Result<(), String> {
    let path = conformance_dir().join(format!("{}.tlc.src", case.program));
    let src = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let program = assemble(&src).map_err(|e| format!("does not assemble: {e}"))?;
    let got = match interp.run(&program, case.input, mode) {
        Ok(text) => text,
        Err(e) => format!("error {} ({})", e.kind.name(), e.message),
    };
    let matches = match case.expected.strip_prefix("error ") {
        Some(kind) => got.starts_with(&format!("error {kind} (")),
        None => got == case.expected,
    };
    match matches {
        true => Ok(()),
        false => Err(format!("expected {}, got {got}", case.expected)),
    }
}

/// A case, how long it took, and whether it passed.
type Outcome = (Case, Duration, Result<(), String>);

#[test]
fn every_conformance_case_in_llinterp() {
    run_every_case(Interpreter::get(), Mode::Llinterp);
}

#[test]
fn every_conformance_case_translated() {
    let stats = Interpreter::get().translate().unwrap_or_else(|e| panic!("{e}"));
    eprintln!("translated tlc.rpy: {stats}");
    run_every_case(Interpreter::get(), Mode::Translated);
}

/// The JIT on the IR-interpreter backend (the JIT core's backend): every case through the
/// generated JIT, residual code run by the IR interpreter.
#[test]
fn every_case_passes_through_the_jit_on_the_ir_backend() {
    run_every_case(Interpreter::get(), Mode::JitLlinterp);
}

/// The JIT on LLVM (the default mode) with its default threshold: cold code stays in the
/// translated interpreter, hot loops are compiled.
#[test]
fn every_case_passes_through_the_jit_on_llvm() {
    run_every_case(Interpreter::get(), Mode::Jit);
}

/// The JIT on LLVM compiling at the first visit of every bytecode position: every case runs
/// in residual code compiled by LLVM into the translated interpreter's session.
#[test]
fn every_case_passes_through_the_eager_jit_on_llvm() {
    let mut eager = Interpreter::compile().unwrap();
    eager.set_jit_hot(1);
    run_every_case(&eager, Mode::Jit);
}

/// Runs every case in `mode` and fails with the list of mismatches, if any.
fn run_every_case(interp: &Interpreter, mode: Mode) {
    let cases = read_cases();
    assert!(cases.len() >= 170, "only {} cases read", cases.len());
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Outcome>> = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get()).min(8);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some(case) = cases.get(i) else { break };
                let start = Instant::now();
                let r = check(interp, case, mode);
                results.lock().unwrap().push((case.clone(), start.elapsed(), r));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(c, ..)| c.line);
    let mut slowest: Vec<_> = results.iter().map(|(c, d, _)| (*d, c)).collect();
    slowest.sort_by_key(|&(d, _)| std::cmp::Reverse(d));
    for (d, c) in slowest.iter().take(5) {
        eprintln!("{}: slow: {} {} took {:.3} s", mode.name(), c.program, c.input, d.as_secs_f64());
    }
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(c, _, r)| {
            r.as_ref()
                .err()
                .map(|e| format!("cases.txt:{}: {} {}: {e}", c.line, c.program, c.input))
        })
        .collect();
    let total: Duration = results.iter().map(|(_, d, _)| *d).sum();
    eprintln!(
        "{}: {} of {} conformance cases pass ({:.2} s of run time on {threads} threads)",
        mode.name(),
        results.len() - failures.len(),
        results.len(),
        total.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{}: {} failures:\n{}",
        mode.name(),
        failures.len(),
        failures.join("\n")
    );
}

/// The differential test: every case's printed result or error (kind and message) is the
/// same text in every mode — llinterp (the reference), translated, the JIT on LLVM compiling
/// at once, and the JIT on the IR backend.
#[test]
fn every_case_prints_the_same_in_every_mode() {
    let mut eager = Interpreter::compile().unwrap();
    eager.set_jit_hot(1);
    let reference = Interpreter::get();
    let mut mismatches = Vec::new();
    for case in read_cases() {
        let path = conformance_dir().join(format!("{}.tlc.src", case.program));
        let program = assemble(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let want = reference.run(&program, case.input, Mode::Llinterp);
        let others = [
            ("translated", reference.run(&program, case.input, Mode::Translated)),
            ("jit", eager.run(&program, case.input, Mode::Jit)),
            ("jit-llinterp", reference.run(&program, case.input, Mode::JitLlinterp)),
        ];
        for (mode, got) in others {
            if got != want {
                mismatches.push(format!(
                    "cases.txt:{}: {} {}: llinterp {want:?}, {mode} {got:?}",
                    case.line, case.program, case.input
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}
