//! Differential test over generated programs (`tests/gen/`): each program runs on the
//! mini-Python interpreter in every mode (llinterp, translated, jit), in process, and its
//! stdout, stderr (the whole traceback when it ends in an uncaught exception) and exit
//! status must be CPython 3.11's byte for byte. Where `/usr/bin/python3` is not CPython
//! 3.11, the modes are compared with llinterp (the semantic reference) instead.
//!
//! `generated_known_failures.txt` lists, one per line, the seeds known to fail (`SEED
//! reason`, the reason from the first failing mode): until big ints and traceback position
//! markers are merged most seeds are there. The test fails when an unlisted seed fails in
//! any mode, and when a listed one (among those run) passes in every mode, so the list only
//! shrinks; `BLESS=1` rewrites it from this run (over the default seeds).
//!
//! Environment: `PYGEN_SEEDS=N` (or a range `A..B`) runs those seeds instead of the first
//! [`DEFAULT_SEEDS`]; the test prints how many seeds ran, passed and failed.

#[allow(dead_code)]
mod gen;
mod support;

use support::cpython::{cpython, run_cpython};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lang_mini_python::compile_source;
use lang_mini_python::host::{Interpreter, Mode, Outcome, RunInput};

/// Seeds run by default.
const DEFAULT_SEEDS: u64 = 40;
/// Wall time one run (CPython's, or one mode's) may take.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The name the program runs under (tracebacks show it).
const FILE: &str = "gen.py";

fn seeds() -> std::ops::Range<u64> {
    let Ok(spec) = std::env::var("PYGEN_SEEDS") else { return 0..DEFAULT_SEEDS };
    match spec.split_once("..") {
        Some((a, b)) => a.parse().expect("PYGEN_SEEDS")..b.parse().expect("PYGEN_SEEDS"),
        None => 0..spec.parse().expect("PYGEN_SEEDS"),
    }
}

/// CPython's result for `source` (run as `gen.py` in a temporary directory, with the
/// corpus's reduced environment; its absolute path in tracebacks made relative).
fn run_cpython_on(python: &Path, seed: u64, source: &str) -> Outcome {
    let dir = std::env::temp_dir().join(format!("pygen-diff-{}-{seed}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(FILE), source).unwrap();
    let run = run_cpython(python, &dir, &[FILE.to_string()], None, TIME_LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    Outcome {
        status: run.status,
        stdout: run.out,
        stderr: String::from_utf8_lossy(&run.err).into_owned(),
    }
}

/// The interpreter's result in `mode`, on a thread with a large stack, with a time limit.
fn run_mode(source: &str, mode: Mode) -> Result<Outcome, String> {
    let (tx, rx) = mpsc::channel();
    let source = source.to_string();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let r = match compile_source(&source, FILE) {
                Ok(code) => {
                    let argv = vec![FILE.to_string()];
                    let input = RunInput {
                        code: &code,
                        filename: FILE,
                        source: &source,
                        argv: &argv,
                        capture_stderr: true,
                    };
                    Interpreter::get().run(&input, mode)
                }
                Err(e) => Ok(Outcome { status: 1, stdout: Vec::new(), stderr: e.render(FILE) }),
            };
            let _ = tx.send(r);
        })
        .expect("spawn");
    rx.recv_timeout(TIME_LIMIT).unwrap_or_else(|_| Err(format!("did not finish in {TIME_LIMIT:?}")))
}

fn known_failures_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/generated_known_failures.txt")
}

/// `SEED  reason` lines (comments start with '#').
fn known_failures() -> BTreeMap<u64, String> {
    let text = std::fs::read_to_string(known_failures_file()).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (seed, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (seed.parse().expect("a seed in generated_known_failures.txt"), reason.trim().into())
        })
        .collect()
}

/// Why `got` is not `want`, or None: a one-line reason, then the details.
fn mismatch(want: &Outcome, got: &Result<Outcome, String>) -> Option<(String, String)> {
    let got = match got {
        Ok(o) => o,
        Err(msg) => return Some((format!("interpreter failure: {msg}"), String::new())),
    };
    if got.stderr != want.stderr {
        let last = got.stderr.lines().last().unwrap_or("").chars().take(120).collect::<String>();
        return Some((
            format!("stderr differs: got '{last}'"),
            format!("--- want\n{}--- got\n{}", want.stderr, got.stderr),
        ));
    }
    if got.stdout != want.stdout {
        let (w, g) = (String::from_utf8_lossy(&want.stdout), String::from_utf8_lossy(&got.stdout));
        let line = w.lines().zip(g.lines()).position(|(a, b)| a != b);
        return Some((format!("stdout differs (first differing line: {line:?})"), String::new()));
    }
    if got.status != want.status {
        return Some((format!("status {} instead of {}", got.status, want.status), String::new()));
    }
    None
}

#[test]
fn generated_programs_agree_with_cpython_in_every_mode() {
    let python = cpython("modes compared with llinterp");
    let known = known_failures();
    // seed -> (first failing mode's reason, details of every failing mode)
    let mut failed: BTreeMap<u64, (String, Vec<String>)> = BTreeMap::new();
    let mut n = 0;
    let start = Instant::now();
    for seed in seeds() {
        let p = gen::generate(seed);
        n += 1;
        let reference = match &python {
            Some(py) => run_cpython_on(py, seed, &p.source),
            None => match run_mode(&p.source, Mode::Llinterp) {
                Ok(o) => o,
                Err(msg) => {
                    failed.insert(seed, (format!("[llinterp] {msg}"), Vec::new()));
                    continue;
                }
            },
        };
        for mode in [Mode::Llinterp, Mode::Translated, Mode::Jit] {
            if let Some((why, details)) = mismatch(&reference, &run_mode(&p.source, mode)) {
                let entry = failed
                    .entry(seed)
                    .or_insert_with(|| (format!("[{}] {why}", mode.name()), Vec::new()));
                entry.1.push(format!("seed {seed} [{}]: {why}\n{details}", mode.name()));
            }
        }
    }
    eprintln!(
        "{n} generated programs (seeds {:?}) in 3 modes: {} pass, {} fail ({:.1}s)",
        seeds(),
        n - failed.len(),
        failed.len(),
        start.elapsed().as_secs_f64()
    );
    if std::env::var("BLESS").is_ok() {
        let mut text = String::from(
            "# Generated-program seeds known to fail (see tests/generated.rs): SEED  reason.\n",
        );
        for (seed, (why, _)) in &failed {
            text.push_str(&format!("{seed}  {why}\n"));
        }
        std::fs::write(known_failures_file(), text).expect("write the known failures");
        return;
    }
    let ran: Vec<u64> = seeds().collect();
    let mut problems = Vec::new();
    for (seed, (_, details)) in &failed {
        if !known.contains_key(seed) {
            problems.push(details.join("\n"));
        }
    }
    for seed in known.keys() {
        if ran.contains(seed) && !failed.contains_key(seed) {
            problems.push(format!("seed {seed} passes now: remove it from the known failures"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
