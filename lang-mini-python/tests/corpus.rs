//! The mini-Python conformance corpus (`tests/python/<topic>/NAME.py`, see its README.md) is
//! well-formed, and still what CPython 3.11 says; and the random-program generator
//! (`tests/gen/`) makes programs CPython runs to completion.
//!
//! Well-formed: every program has its `.out`, `.err` and `.status`; no expectation file lacks
//! its program; the README's topic table names exactly the topic directories; there are at
//! least [`MIN_PROGRAMS`] programs and [`MIN_UNCAUGHT`] of them end in an uncaught exception or
//! a syntax error, whose expected stderr is a CPython report naming the program by its
//! corpus-relative path (nothing depends on where the repository lives).
//!
//! Against CPython (only where `/usr/bin/python3` is CPython 3.11; otherwise these tests say
//! so on stderr and pass): every [`SAMPLE_EVERY`]th program is run the way
//! `scripts/python_expected.py` runs them (corpus root as working directory, path relative to
//! it, reduced environment, `.in` on stdin, `.args` as arguments, absolute corpus paths in
//! tracebacks rewritten to relative ones) and must reproduce its three files byte for byte;
//! and [`DEFAULT_GEN_SEEDS`] generated programs must run to completion (status 0, or 1 with
//! exactly the exception the generator planted at the end), each in under [`GEN_TIME_LIMIT`].
//!
//! Environment: `PYGEN_SEEDS=200` checks that many seeds (or a range, `=200..400`) and prints
//! statistics (features per program, lines, CPython's time); `PYGEN_SEED=17` prints that
//! seed's program and CPython's output.

mod gen;
mod support;

use support::cpython::{cpython, run_cpython, Run};

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The corpus must hold at least this many programs.
const MIN_PROGRAMS: usize = 300;
/// ... and at least this many ending in an uncaught exception or a syntax error.
const MIN_UNCAUGHT: usize = 50;
/// One program in this many is re-run under CPython.
const SAMPLE_EVERY: usize = 10;
/// Seeds of generated programs checked by default.
const DEFAULT_GEN_SEEDS: u64 = 40;
/// Wall time a generated program may take under CPython (a second, with slack for a loaded
/// machine: the `PYGEN_SEEDS` statistics report the real times).
const GEN_TIME_LIMIT: Duration = Duration::from_secs(3);
/// What an expectation file may be named, besides the program.
const SUFFIXES: &[&str] = &["out", "err", "status", "in", "args"];

fn corpus_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    assert!(dir.is_dir(), "corpus directory not found at {}", dir.display());
    dir
}

/// A corpus program: its topic, its path relative to the corpus root, and its expectations.
struct Case {
    topic: String,
    rel: String,
    out: Vec<u8>,
    err: Vec<u8>,
    status: i32,
}

impl Case {
    fn base(&self) -> PathBuf {
        corpus_dir().join(self.rel.trim_end_matches(".py"))
    }
    /// Ends in an uncaught exception or a syntax error (a CPython report on stderr).
    fn is_uncaught_error(&self) -> bool {
        let err = String::from_utf8_lossy(&self.err);
        let report =
            err.starts_with("Traceback (most recent call last):\n") || err.starts_with("  File \"");
        self.status == 1 && report
    }
}

/// Topic directories, sorted.
fn topics() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Every file of a topic, sorted by name.
fn topic_files(topic: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir().join(topic))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every program with its expectations; problems (a missing or malformed file) are collected.
fn read_corpus() -> (Vec<Case>, Vec<String>) {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for topic in topics() {
        for name in topic_files(&topic) {
            let Some(stem) = name.strip_suffix(".py") else { continue };
            let rel = format!("{topic}/{name}");
            let base = corpus_dir().join(&topic).join(stem);
            let read = |suffix: &str| std::fs::read(base.with_extension(suffix));
            let (Ok(out), Ok(err), Ok(status)) = (read("out"), read("err"), read("status")) else {
                problems.push(format!("{rel}: missing .out, .err or .status"));
                continue;
            };
            let status = String::from_utf8_lossy(&status);
            let Some(status) = status.strip_suffix('\n').and_then(|s| s.parse::<i32>().ok()) else {
                problems.push(format!("{rel}: .status is not a number and a newline"));
                continue;
            };
            if std::str::from_utf8(&read("py").unwrap_or_default()).is_err() {
                problems.push(format!("{rel}: not UTF-8"));
            }
            cases.push(Case { topic: topic.clone(), rel, out, err, status });
        }
    }
    (cases, problems)
}

#[test]
fn every_program_has_out_err_and_status_files() {
    let (cases, mut problems) = read_corpus();
    for topic in topics() {
        for name in topic_files(&topic) {
            let path = Path::new(&name);
            let ext =
                path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            let stem = path.file_stem().unwrap().to_string_lossy();
            if ext == "py" {
                continue;
            }
            if !SUFFIXES.contains(&ext.as_str()) {
                problems.push(format!("{topic}/{name}: not a program or an expectation file"));
            } else if !corpus_dir().join(&topic).join(format!("{stem}.py")).exists() {
                problems.push(format!("{topic}/{name}: no program {stem}.py"));
            }
        }
    }
    for c in &cases {
        if !(0..=255).contains(&c.status) {
            problems.push(format!("{}: status {} out of range", c.rel, c.status));
        }
    }
    assert!(problems.is_empty(), "malformed corpus:\n{}", problems.join("\n"));
}

#[test]
fn readme_topic_index_lists_exactly_the_topic_directories() {
    let readme = std::fs::read_to_string(corpus_dir().join("README.md")).unwrap();
    let listed: Vec<String> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|t| !t.contains('.'))
        .map(str::to_string)
        .collect();
    let dirs = topics();
    let unlisted: Vec<&String> = dirs.iter().filter(|d| !listed.contains(d)).collect();
    let missing: Vec<&String> = listed.iter().filter(|l| !dirs.contains(l)).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "README.md topics: directories not listed {unlisted:?}, listed but absent {missing:?}"
    );
    for t in &dirs {
        assert!(topic_files(t).iter().any(|f| f.ends_with(".py")), "topic {t} has no program");
    }
}

#[test]
fn corpus_has_300_programs_and_50_uncaught_errors() {
    let (cases, _) = read_corpus();
    let uncaught = cases.iter().filter(|c| c.is_uncaught_error()).count();
    let mut per_topic: Vec<(String, usize)> = Vec::new();
    for c in &cases {
        match per_topic.last_mut() {
            Some((t, n)) if *t == c.topic => *n += 1,
            _ => per_topic.push((c.topic.clone(), 1)),
        }
    }
    eprintln!("{} programs, {uncaught} uncaught errors; per topic: {per_topic:?}", cases.len());
    assert!(cases.len() >= MIN_PROGRAMS, "only {} programs (< {MIN_PROGRAMS})", cases.len());
    assert!(uncaught >= MIN_UNCAUGHT, "only {uncaught} uncaught-error programs (< {MIN_UNCAUGHT})");
}

#[test]
fn error_reports_name_programs_by_corpus_relative_path() {
    let (cases, _) = read_corpus();
    let root = corpus_dir();
    let root = root.to_string_lossy();
    let mut problems = Vec::new();
    for c in &cases {
        let err = String::from_utf8_lossy(&c.err);
        if err.contains(root.as_ref()) || err.contains("/work/") || err.contains("/home/") {
            problems.push(format!("{}: stderr holds an absolute path", c.rel));
        }
        for line in err.lines().filter(|l| l.starts_with("  File \"")) {
            if !line.starts_with(&format!("  File \"{}\", line ", c.rel)) {
                problems.push(format!("{}: frame of another file: {line}", c.rel));
            }
        }
        if c.is_uncaught_error() {
            let last = err.lines().last().unwrap_or("");
            let class = last.split(':').next().unwrap_or("");
            let is_name = |s: &str| {
                s.starts_with(|c: char| c.is_ascii_uppercase())
                    && s.chars().all(|c| c.is_alphanumeric() || c == '_')
            };
            if !is_name(class) {
                problems.push(format!("{}: last stderr line is not an exception: {last}", c.rel));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sampled_programs_still_match_cpython_3_11() {
    let Some(python) = cpython("skipped") else { return };
    let (cases, _) = read_corpus();
    let mut failures = Vec::new();
    let mut ran = 0;
    for c in cases.iter().step_by(SAMPLE_EVERY) {
        let base = c.base();
        let mut args = vec![c.rel.clone()];
        if let Ok(text) = std::fs::read_to_string(base.with_extension("args")) {
            args.extend(text.lines().filter(|l| !l.is_empty()).map(str::to_string));
        }
        let stdin = std::fs::read(base.with_extension("in")).ok();
        let run = run_cpython(&python, &corpus_dir(), &args, stdin, Duration::from_secs(10));
        ran += 1;
        for (what, got, want) in [("stdout", &run.out, &c.out), ("stderr", &run.err, &c.err)] {
            if got != want {
                failures.push(format!(
                    "{}: {what} differs\n--- expected\n{}--- CPython\n{}",
                    c.rel,
                    String::from_utf8_lossy(want),
                    String::from_utf8_lossy(got)
                ));
            }
        }
        if run.status != c.status {
            failures
                .push(format!("{}: status {} expected, CPython {}", c.rel, c.status, run.status));
        }
    }
    eprintln!("re-ran {ran} of {} programs under CPython", cases.len());
    assert!(
        failures.is_empty(),
        "regenerate with scripts/python_expected.py?\n{}",
        failures.join("\n")
    );
}

/// The seeds to check: `PYGEN_SEEDS` (`N` or `A..B`), else `0..DEFAULT_GEN_SEEDS`.
fn gen_seeds() -> (std::ops::Range<u64>, bool) {
    let Ok(spec) = std::env::var("PYGEN_SEEDS") else { return (0..DEFAULT_GEN_SEEDS, false) };
    let range = match spec.split_once("..") {
        Some((a, b)) => a.parse().expect("PYGEN_SEEDS")..b.parse().expect("PYGEN_SEEDS"),
        None => 0..spec.parse().expect("PYGEN_SEEDS"),
    };
    (range, true)
}

#[test]
fn generated_programs_are_the_same_for_the_same_seed() {
    for seed in [0, 1, 7, 12345, u64::MAX] {
        let (a, b) = (gen::generate(seed), gen::generate(seed));
        assert_eq!(a.source, b.source, "seed {seed}");
        assert_eq!(a.uncaught, b.uncaught, "seed {seed}");
    }
    assert_ne!(gen::generate(1).source, gen::generate(2).source);
}

#[test]
fn generated_programs_run_to_completion_in_cpython() {
    let Some(python) = cpython("skipped") else { return };
    if let Ok(seed) = std::env::var("PYGEN_SEED") {
        let p = gen::generate(seed.parse().expect("PYGEN_SEED"));
        let (run, _) = run_generated(&python, &p);
        eprintln!(
            "{}--- stdout\n{}--- stderr\n{}--- status {}",
            p.source,
            String::from_utf8_lossy(&run.out),
            String::from_utf8_lossy(&run.err),
            run.status
        );
        return;
    }
    let (seeds, report) = gen_seeds();
    let mut failures = Vec::new();
    let mut stats = gen::Features::default();
    let mut with_feature: std::collections::BTreeMap<&'static str, usize> = Default::default();
    let mut times = Vec::new();
    let (mut lines, mut uncaught, mut n) = (Vec::new(), 0, 0);
    let mut outputs = std::collections::HashSet::new();
    for seed in seeds {
        let p = gen::generate(seed);
        let (run, problem) = run_generated(&python, &p);
        n += 1;
        times.push(run.time);
        outputs.insert(run.out.clone());
        lines.push(p.features.count("lines"));
        uncaught += p.uncaught.is_some() as usize;
        for (k, v) in &p.features.counts {
            *stats.counts.entry(k).or_insert(0) += v;
            *with_feature.entry(k).or_insert(0) += 1;
        }
        if let Some(problem) = problem {
            failures.push(format!(
                "seed {seed}: {problem}\n{}--- stderr\n{}",
                p.source,
                String::from_utf8_lossy(&run.err)
            ));
        }
    }
    times.sort();
    lines.sort();
    let median = |v: &[usize]| v.get(v.len() / 2).copied().unwrap_or(0);
    let summary = format!(
        "{n} generated programs: CPython time median {:?}, max {:?}; lines median {}, min {}, \
         max {}; {uncaught} end uncaught; {} distinct outputs",
        times.get(times.len() / 2).copied().unwrap_or_default(),
        times.last().copied().unwrap_or_default(),
        median(&lines),
        lines.first().copied().unwrap_or(0),
        lines.last().copied().unwrap_or(0),
        outputs.len(),
    );
    eprintln!("{summary}");
    if report {
        eprintln!("feature: programs with it / total occurrences");
        for (k, v) in &stats.counts {
            eprintln!("  {k:<16} {:>5} {v:>7}", with_feature[k]);
        }
    }
    assert!(failures.is_empty(), "{} of {n} failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// Runs a generated program (from a temporary directory, as `gen.py`); the problem, if its
/// run is not what the generator meant.
fn run_generated(python: &Path, p: &gen::Program) -> (Run, Option<String>) {
    let dir = std::env::temp_dir().join(format!("pygen-{}-{}", std::process::id(), p.seed));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("gen.py"), &p.source).unwrap();
    let run = run_cpython(python, &dir, &["gen.py".to_string()], None, GEN_TIME_LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&run.err).into_owned();
    let last = err.lines().last().unwrap_or("").to_string();
    let problem = match p.uncaught {
        _ if run.status == -9 => Some(format!("killed after {GEN_TIME_LIMIT:?}")),
        None if run.status != 0 || !err.is_empty() => {
            Some(format!("status {} (expected 0): {last}", run.status))
        }
        Some(class) if run.status != 1 || !last.starts_with(&format!("{class}:")) => Some(format!(
            "status {}, last line {last:?} (expected an uncaught {class})",
            run.status
        )),
        _ if !String::from_utf8_lossy(&run.out).contains("end\n") => {
            Some("did not reach its end".to_string())
        }
        _ => None,
    };
    (run, problem)
}
