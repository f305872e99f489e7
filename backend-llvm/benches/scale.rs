//! Translation time and memory against program size: programs of N chained one-line graphs
//! (`def f{i}(x: int) -> int: return f{i+1}(x)`, as `manyfn8000.rpy` of the robustness
//! repros) translated by `rpy-llvm run --no-cache --stats` at O0 and O2, each in a process of
//! its own so that its peak RSS is its own. Growth is about linear when the time and memory
//! per graph stay flat down a level's column.
//!
//! Run with `cargo bench -p backend-llvm --bench scale [-- N ...]` (default N = 1000, 2000,
//! 4000, 8000, 16000). Columns: `translate` is the binary's own account (lowering,
//! optimisation, code generation, linking; wall time), `CPU` the process's user + system
//! time (front end and run included), `RSS` its peak resident memory, `hot` the graphs given
//! the optimiser (see `backend_llvm::partition`). The machine is shared: CPU time is the
//! steadier measure.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The text of the program of `n` chained graphs.
fn chain(n: usize) -> String {
    let mut src = String::new();
    for i in 0..n {
        let _ = writeln!(src, "def f{i}(x: int) -> int:\n    return f{}(x)", i + 1);
    }
    let _ = writeln!(src, "def f{n}(x: int) -> int:\n    return x");
    src
}

/// What one translation cost.
struct Run {
    translate: Duration,
    wall: Duration,
    cpu: Duration,
    rss_kb: i64,
    hot: usize,
}

/// A `Duration`'s `Debug` text (`1.5s`, `250.3ms`, `80µs`) read back.
fn parse_duration(text: &str) -> Option<Duration> {
    let (num, scale) = if let Some(v) = text.strip_suffix("ms") {
        (v, 1e-3)
    } else if let Some(v) = text.strip_suffix("µs") {
        (v, 1e-6)
    } else if let Some(v) = text.strip_suffix("ns") {
        (v, 1e-9)
    } else {
        (text.strip_suffix('s')?, 1.0)
    };
    Some(Duration::from_secs_f64(num.parse::<f64>().ok()? * scale))
}

/// Runs `rpy-llvm` on `file` at `opt` and waits for it, with its resource usage.
fn translate(file: &Path, opt: &str) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rpy-llvm"))
        .args(["run", "--no-cache", "--stats", "--opt", opt])
        .arg(file)
        .args(["f0", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rpy-llvm starts");
    // Read to the end first (the child's exit closes it), so a full pipe cannot block it.
    let stderr = std::io::read_to_string(child.stderr.take().expect("piped")).unwrap_or_default();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4, not Child::wait: it also gives the child's own peak RSS and CPU time.
    // SAFETY: waits for our own child; both out-pointers are valid for writes.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let wall = start.elapsed();
    // Reaped already: this only settles the Child's state (an error is expected).
    let _ = child.try_wait();
    assert!(status == 0, "rpy-llvm failed on {}: {stderr}", file.display());
    // "translated at O2 in 1.2s: 8001 graphs (728 hot), ..."
    let line = stderr.lines().find(|l| l.starts_with("translated at")).expect("a stats line");
    let translate = line
        .split_once(" in ")
        .and_then(|(_, rest)| rest.split_once(':'))
        .and_then(|(d, _)| parse_duration(d))
        .expect("the translation time");
    let hot = line
        .split_once(" (")
        .and_then(|(_, rest)| rest.split_once(" hot)"))
        .and_then(|(h, _)| h.parse().ok())
        .expect("the hot graphs");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    Run { translate, wall, cpu, rss_kb: usage.ru_maxrss, hot }
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1000, 2000, 4000, 8000, 16000] } else { sizes };
    let dir = std::env::temp_dir().join(format!("rpy-scale-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    println!("== translation of N chained graphs (rpy-llvm run --no-cache, one process each)");
    println!(
        "{:>6} {:>5} {:>12} {:>9} {:>8} {:>8} {:>6} {:>14} {:>14}",
        "N",
        "level",
        "translate s",
        "wall s",
        "CPU s",
        "RSS MB",
        "hot",
        "CPU ms/graph",
        "RSS KB/graph"
    );
    for opt in ["O0", "O2"] {
        for &n in &sizes {
            let file = dir.join(format!("chain{n}.rpy"));
            std::fs::write(&file, chain(n)).expect("the program is written");
            let r = translate(&file, opt);
            println!(
                "{:>6} {:>5} {:>12.2} {:>9.2} {:>8.2} {:>8.1} {:>6} {:>14.3} {:>14.1}",
                n,
                opt,
                r.translate.as_secs_f64(),
                r.wall.as_secs_f64(),
                r.cpu.as_secs_f64(),
                r.rss_kb as f64 / 1024.0,
                r.hot,
                r.cpu.as_secs_f64() * 1e3 / n as f64,
                r.rss_kb as f64 / n as f64,
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
