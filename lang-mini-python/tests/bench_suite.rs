//! The benchmark suite (`bench/`, issue 18) at its small sizes: every program listed in
//! `bench/sizes.txt` runs whole-process (the `lang-mini-python` binary, as
//! `scripts/bench_python.sh` runs it) in translated mode, in jit mode with the default
//! threshold, and in jit mode with `--jit-hot 1` (everything the program reaches is compiled
//! at its first visit, so the JIT's code computes the checksum); each run must exit 0 and print
//! what translated mode prints, and that must be CPython 3.11's stdout when
//! `/usr/bin/python3` is CPython 3.11 (the modes are still compared with each other when it
//! is not). `BENCH_ONLY=NAME,...` narrows the run.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::cpython::{cpython, run_cpython};

/// Wall time one run may take.
const TIME_LIMIT: Duration = Duration::from_secs(300);

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench")
}

/// `(name, small size)` from `bench/sizes.txt`.
fn suite() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(bench_dir().join("sizes.txt")).expect("bench/sizes.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut w = l.split_whitespace();
            let name = w.next().expect("name").to_string();
            let size = w.next().unwrap_or_else(|| panic!("sizes.txt: no size for {name}"));
            (name, size.to_string())
        })
        .collect()
}

/// `(status, stdout, stderr)` of our binary on `name.py size` with `flags` before it.
fn run_ours(dir: &Path, flags: &[&str], name: &str, size: &str) -> (i32, String, String) {
    let out = Command::new("timeout")
        .arg(TIME_LIMIT.as_secs().to_string())
        .arg(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(flags)
        .arg(format!("{name}.py"))
        .arg(size)
        .current_dir(dir)
        .output()
        .expect("lang-mini-python starts");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_program_is_listed_once() {
    let listed: Vec<String> = suite().into_iter().map(|(n, _)| n).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "a program is listed twice in bench/sizes.txt");
    assert!(
        listed.len() >= 12,
        "issue 18 asks for at least 12 benchmarks, {} listed",
        listed.len()
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(bench_dir())
        .expect("bench/")
        .filter_map(|e| {
            let p = e.expect("entry").path();
            (p.extension()? == "py").then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, sorted, "bench/*.py and bench/sizes.txt disagree");
}

#[test]
fn suite_agrees_with_cpython_in_every_mode() {
    let dir = bench_dir();
    let only: Option<Vec<String>> =
        std::env::var("BENCH_ONLY").ok().map(|s| s.split(',').map(String::from).collect());
    let python = cpython("comparing the modes with each other only");
    let modes: [(&str, &[&str]); 3] = [
        ("translated", &["--mode", "translated"]),
        ("jit", &["--mode", "jit"]),
        ("jit --jit-hot 1", &["--mode", "jit", "--jit-hot", "1"]),
    ];
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, size) in suite() {
        if only.as_ref().is_some_and(|o| !o.contains(&name)) {
            continue;
        }
        ran += 1;
        let expected = python.as_ref().map(|py| {
            let args = [format!("{name}.py"), size.clone()];
            let r = run_cpython(py, &dir, &args, None, TIME_LIMIT);
            assert_eq!(
                r.status,
                0,
                "CPython fails on {name}.py {size}: {}",
                String::from_utf8_lossy(&r.err)
            );
            String::from_utf8_lossy(&r.out).into_owned()
        });
        let mut reference: Option<String> = expected;
        for (mode, flags) in modes {
            let (status, out, err) = run_ours(&dir, flags, &name, &size);
            if status != 0 {
                failures.push(format!("{name}.py {size} [{mode}]: exit status {status}\n{err}"));
                continue;
            }
            match &reference {
                None => reference = Some(out),
                Some(r) if *r != out => failures.push(format!(
                    "{name}.py {size} [{mode}]: stdout differs\n--- expected\n{r}--- got\n{out}"
                )),
                Some(_) => {}
            }
        }
        eprintln!("bench {name} {size}: done");
    }
    assert!(ran > 0, "BENCH_ONLY selects no benchmark");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
