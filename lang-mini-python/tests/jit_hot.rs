//! `--jit-hot` invariance: the corpus (`tests/python/`) run in jit mode with `--jit-hot 1`
//! (every bytecode position is hot at its first visit, so the JIT compiles everything it
//! reaches at once) must give the results the default threshold gives.
//!
//! The judge, per program: a program that passes (not in `known_failures.txt`) must still
//! give CPython's stdout, stderr and exit status; a known failure must give exactly what
//! jit mode with the default threshold gives (the JIT must never change a result, even a
//! wrong one).
//!
//! Each `--jit-hot 1` run is a process of its own (the binary): a JIT driver shared by the
//! whole corpus would spend its compile budget and its payoff credit on the first programs
//! and interpret the rest, which then tested nothing of the JIT (13 compilations for 439
//! programs, found 2026-12-07).
//!
//! Compiling everything costs seconds per program, so by default (CI) the test runs a
//! fixed sample: every `SAMPLE_STRIDE`-th program of the sorted corpus, plus the programs
//! reading stdin. `JIT_HOT_ALL=1` runs all of them; `CONFORMANCE_ONLY=topic/` narrows the
//! run to a prefix (as in `conformance.rs`). The runs go several at once (`JIT_HOT_JOBS`,
//! by default one per core), and a changed result is printed when it is found.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use lang_mini_python::compile_source;
use lang_mini_python::host::{Interpreter, Mode, Outcome, RunInput};

mod support;
use support::{corpus_dir, programs, read_list};

/// The sample run by default: programs 0, N, 2N... of the sorted corpus.
const SAMPLE_STRIDE: usize = 12;

/// The programs listed in `known_failures.txt`.
fn known_failures() -> Vec<String> {
    read_list("known_failures.txt").into_keys().collect()
}

fn read(rel: &str, ext: &str) -> Vec<u8> {
    let base = corpus_dir().join(rel.trim_end_matches(".py"));
    std::fs::read(base.with_extension(ext)).unwrap_or_default()
}

/// CPython's result for `rel`.
fn expected(rel: &str) -> Outcome {
    Outcome {
        status: String::from_utf8_lossy(&read(rel, "status")).trim().parse().expect("status"),
        stdout: read(rel, "out"),
        stderr: String::from_utf8_lossy(&read(rel, "err")).into_owned(),
    }
}

fn args(rel: &str) -> Vec<String> {
    String::from_utf8_lossy(&read(rel, "args")).lines().map(String::from).collect()
}

/// `rel` in jit mode with the threshold `hot` (None: the default), in process, or through
/// the binary for programs reading stdin and for a threshold given.
fn run(rel: &str, hot: Option<u64>) -> Result<Outcome, String> {
    let root = corpus_dir();
    let stdin_file = root.join(rel.trim_end_matches(".py")).with_extension("in");
    if stdin_file.exists() || hot.is_some() {
        let stdin = match std::fs::File::open(stdin_file) {
            Ok(f) => Stdio::from(f),
            Err(_) => Stdio::null(),
        };
        let hot_args = hot.map(|n| vec!["--jit-hot".to_string(), n.to_string()]);
        let mut command = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"));
        command
            .current_dir(&root)
            .args(["--mode", "jit"])
            .args(hot_args.unwrap_or_default())
            .arg(rel)
            .args(args(rel))
            .stdin(stdin);
        if hot.is_some() {
            // With a threshold, everything is compiled (no payoff model).
            command.env("RPY_JIT_PAYOFF", "off");
        }
        let out = command.output().map_err(|e| e.to_string())?;
        let prefix = format!("File \"{}/", root.display());
        return Ok(Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).replace(&prefix, "File \""),
        });
    }
    let source = std::fs::read_to_string(root.join(rel)).expect("read program");
    let code = match compile_source(&source, rel) {
        Ok(c) => c,
        Err(e) => return Ok(Outcome { status: 1, stdout: Vec::new(), stderr: e.render(rel) }),
    };
    let argv: Vec<String> = std::iter::once(rel.to_string()).chain(args(rel)).collect();
    let input =
        RunInput { code: &code, filename: rel, source: &source, argv: &argv, capture_stderr: true };
    Interpreter::get().run(&input, Mode::Jit)
}

/// What differs between two results, if anything.
fn difference(want: &Result<Outcome, String>, got: &Result<Outcome, String>) -> Option<String> {
    if want == got {
        return None;
    }
    let last = |r: &Result<Outcome, String>| match r {
        Ok(o) => format!(
            "status {}, stderr ending '{}'",
            o.status,
            o.stderr.lines().last().unwrap_or("").chars().take(120).collect::<String>()
        ),
        Err(e) => format!("interpreter failure: {}", e.lines().next().unwrap_or("")),
    };
    Some(format!("expected {}; got {}", last(want), last(got)))
}

/// How many `--jit-hot 1` runs go at once: `JIT_HOT_JOBS`, else the machine's cores.
fn jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::env::var("JIT_HOT_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(cores).max(1)
}

#[test]
fn jit_hot_1_gives_the_default_results() {
    let all = std::env::var("JIT_HOT_ALL").is_ok();
    let only = std::env::var("CONFORMANCE_ONLY").ok();
    let known = known_failures();
    let start = Instant::now();
    let mut sample = Vec::new();
    for (i, rel) in programs().into_iter().enumerate() {
        let stdin = corpus_dir().join(rel.trim_end_matches(".py")).with_extension("in").exists();
        let sampled = all || i % SAMPLE_STRIDE == 0 || stdin;
        if sampled && only.as_ref().is_none_or(|p| rel.starts_with(p.as_str())) {
            // A known failure's default result comes from this process's interpreter, here.
            let want = if known.contains(&rel) { run(&rel, None) } else { Ok(expected(&rel)) };
            sample.push((rel, want));
        }
    }
    // The `--jit-hot 1` runs are processes of their own: several at once.
    let next = AtomicUsize::new(0);
    let failures: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs().min(sample.len()) {
            scope.spawn(|| {
                while let Some((rel, want)) = sample.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Some(why) = difference(want, &run(rel, Some(1))) {
                        eprintln!("--jit-hot 1 changes {rel}: {why}");
                        failures.lock().expect("no panics holding it").insert(rel.clone(), why);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("no panics holding it");
    let ran = sample.len();
    eprintln!(
        "--jit-hot 1: {} of {ran} programs give the default results ({:.1}s)",
        ran - failures.len(),
        start.elapsed().as_secs_f64()
    );
    let report: Vec<String> = failures.iter().map(|(r, w)| format!("{r}: {w}")).collect();
    assert!(report.is_empty(), "--jit-hot 1 changes results:\n{}", report.join("\n"));
}
