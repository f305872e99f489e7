//! The paper's table (TLC.md §6): factorial, fibonacci and accumulator at n = 10, 10^5, 10^6,
//! 10^7 (and beyond, where a mode is fast enough), run by the TLC interpreter in each
//! execution mode and written in plain Rust, side by side in one process.
//!
//! Run with `cargo bench -p lang-tlc --bench paper [-- --mode M ... --budget SECONDS]`;
//! `-- --rss` prints the peak memory of the translated interpreter and of the JIT at n = 10^7
//! instead (each run a `lang-tlc` process of its own).
//! `--mode llinterp|translated|jit` (repeatable) picks the interpreter columns (default: every
//! available mode); `--budget` is the longest a single run may be predicted to take before a
//! mode skips a size (default 20 s), predicted from the mode's time at the previous size.
//!
//! Columns:
//! - `Rust`: the same algorithm in Rust, `--release` (accumulator through `dyn Accumulator`,
//!   as the paper's C# went through an interface); the paper's "C#" column.
//! - `llinterp`, `translated`: the TLC interpreter in the IR interpreter and compiled to
//!   native code. A run is a whole `Interpreter::run`: inputs built in the RPy heap, the
//!   interpreter, the result printed (translated mode also hands the run to its thread and
//!   back, about 10 µs). llinterp runs on a thread of its own, so the main thread stays
//!   unknown to the collector, as in a command-line run of translated mode.
//! - `JIT`, `JIT 2`: the first run of the program with the JIT, compile time included, and the
//!   best of later runs of the same program (its code compiled already: the JIT keeps a
//!   program's objects, and with them the code compiled for it, from run to run). Each cell
//!   has a fresh JIT, started (analysis, codewriter, the tiered interpreter loaded from the
//!   object cache) before timing, so `JIT - JIT 2` is the cost of compiling. A first run is
//!   the tiered interpreter until a bytecode position is hot (1000 visits), then code compiled
//!   from there; a program's second run compiles the whole call from the portal's entry.
//!   Residual code runs at O0 first; a loop past 10^5 iterations is compiled at the hot tier
//!   on a thread of its own and goes on there once it is ready. `JIT` is the median of up to
//!   five first runs (each on a fresh JIT, while they add up to less than two seconds), `JIT 2`
//!   the best later run of any of them.
//! - `tr/Rust`, `ll/tr`: ratios of the times. `bytecodes`: TLC instructions executed, counted
//!   by the counting interpreter (`Interpreter::compile_counting`, a counter at the global
//!   merge point) translated, exactly for n ≤ 10^6; beyond, from the line through the counts
//!   at 10^5 and 10^6, which must give the count at 10 exactly (the programs are loops).
//!   `ns/bc`: translated time per executed bytecode.
//!
//! LLVM unrolls the Rust factorial loop into independent chains of multiplications (wrapping
//! multiplication is associative), so it takes less than one multiplication latency per
//! iteration.
//!
//! Times are the best of up to five batches (a batch repeats short runs to last at least a
//! millisecond); the machine is shared and noisy. Every column's result must agree with Rust's
//! (64-bit wrapping arithmetic) or the harness panics.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

use lang_tlc::{assemble, benchmarks, Interpreter, Mode, Program, Settings};

/// The paper's sizes, then larger ones for modes fast enough to run them.
const SIZES: [i64; 6] = [10, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/// Counts are exact up to this size and extrapolated beyond.
const MAX_COUNTED: i64 = 1_000_000;

/// A batch lasts at least this long (short runs are repeated).
const MIN_BATCH: Duration = Duration::from_millis(1);

/// At most this many batches, and no new batch once this much time has passed.
const MAX_BATCHES: usize = 5;
const MEASURE_TIME: Duration = Duration::from_secs(2);

// ---- The same algorithms in Rust ----

/// Factorial with wrapping multiplication, as `factorial.tlc.src` computes it.
fn rust_factorial(n: i64) -> i64 {
    let (mut acc, mut n) = (1i64, n);
    while n > 1 {
        acc = acc.wrapping_mul(n);
        n -= 1;
    }
    acc
}

/// The n-th Fibonacci number with wrapping addition, as `fibo.tlc.src` computes it (n ≥ 1).
fn rust_fibo(n: i64) -> i64 {
    let (mut a, mut b, mut n) = (0i64, 1i64, n);
    loop {
        n -= 1;
        if n == 0 {
            return b;
        }
        (a, b) = (b, a.wrapping_add(b));
    }
}

/// What the accumulator program's object does, called through a trait object.
trait Accumulator {
    fn accumulate(&mut self, x: i64);
    fn value(&self) -> i64;
}

/// The `add` method: the sum of the arguments.
struct Add {
    value: i64,
}

impl Accumulator for Add {
    fn accumulate(&mut self, x: i64) {
        self.value = self.value.wrapping_add(x);
    }
    fn value(&self) -> i64 {
        self.value
    }
}

/// The `count` method: the number of calls.
struct Count {
    value: i64,
}

impl Accumulator for Count {
    fn accumulate(&mut self, _: i64) {
        self.value = self.value.wrapping_add(1);
    }
    fn value(&self) -> i64 {
        self.value
    }
}

/// `accumulator.tlc.src`: 0 + 1 + ... + (n-1) for n ≥ 0, |n| for n < 0. The object is hidden
/// from the optimiser, so every call goes through the vtable.
fn rust_accumulator(n: i64) -> i64 {
    let mut obj: Box<dyn Accumulator> =
        if n >= 0 { Box::new(Add { value: 0 }) } else { Box::new(Count { value: 0 }) };
    let obj: &mut dyn Accumulator = black_box(&mut *obj);
    let mut n = n.wrapping_abs();
    while n != 0 {
        n -= 1;
        obj.accumulate(n);
    }
    obj.value()
}

/// A benchmark: its name, its TLC source and the same algorithm in Rust.
type Benchmark = (&'static str, &'static str, fn(i64) -> i64);

const PROGRAMS: [Benchmark; 3] = [
    ("factorial", benchmarks::FACTORIAL, rust_factorial),
    ("fibo", benchmarks::FIBO, rust_fibo),
    ("accumulator", benchmarks::ACCUMULATOR, rust_accumulator),
];

// ---- Measuring ----

/// The best time per call of `f` and its last result.
/// First runs of the JIT column whose median is shown (fewer if they add up to more than
/// [`MEASURE_TIME`]).
const FIRST_RUNS: usize = 5;

fn measure<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let start = Instant::now();
    let mut result = f();
    let first = start.elapsed();
    let per_batch = (MIN_BATCH.as_secs_f64() / first.as_secs_f64().max(1e-9)).ceil() as u32;
    let per_batch = per_batch.max(1);
    let mut best = first;
    let mut batches = 0;
    while batches < MAX_BATCHES && start.elapsed() < MEASURE_TIME {
        let t = Instant::now();
        for _ in 0..per_batch {
            result = f();
        }
        best = best.min(t.elapsed() / per_batch);
        batches += 1;
    }
    (best, result)
}

/// A cell of the table: a time, or why there is none.
#[derive(Clone, Copy)]
enum Cell {
    Time(Duration),
    /// Not run: predicted to take longer than the budget (the prediction).
    Skipped(Duration),
    /// The mode was not asked for, or is not available.
    NotRun,
}

impl Cell {
    fn time(self) -> Option<Duration> {
        match self {
            Cell::Time(d) => Some(d),
            _ => None,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Time(d) => f.pad(&time_text(*d)),
            Cell::Skipped(d) => f.pad(&format!("(~{:.0} s)", d.as_secs_f64())),
            Cell::NotRun => f.pad("n/a"),
        }
    }
}

fn time_text(d: Duration) -> String {
    let s = d.as_secs_f64();
    match s {
        s if s < 1e-6 => format!("{:.1} ns", s * 1e9),
        s if s < 1e-3 => format!("{:.1} µs", s * 1e6),
        s if s < 1.0 => format!("{:.1} ms", s * 1e3),
        s => format!("{s:.2} s"),
    }
}

fn ratio(a: Cell, b: Cell) -> String {
    match (a.time(), b.time()) {
        (Some(a), Some(b)) => format!("{:.1}", a.as_secs_f64() / b.as_secs_f64()),
        _ => "-".into(),
    }
}

/// How long a run at `n` will take, from the time at the previous size (none at the first).
fn predict(previous: Option<(i64, Cell)>, n: i64) -> Duration {
    match previous {
        Some((m, Cell::Time(d) | Cell::Skipped(d))) => d.mul_f64(n as f64 / m as f64),
        _ => Duration::ZERO,
    }
}

fn check(result: Result<String, lang_tlc::TlcError>, want: i64, column: &str, n: i64) {
    let text = result.unwrap_or_else(|e| panic!("{column} at n = {n}: {e}"));
    let got: i64 = text.parse().unwrap_or_else(|_| panic!("{column} at n = {n}: printed {text}"));
    assert_eq!(got, want, "{column} at n = {n} disagrees with Rust");
}

/// Times `program` at `n` in `mode` and checks the result against Rust's: the first run
/// (for the JIT, compile time included) and the best run (for the other modes, the best).
fn time_mode(
    interp: &Interpreter,
    program: &Program,
    n: i64,
    mode: Mode,
    want: i64,
) -> (Cell, Cell) {
    let timed = || {
        let (first, best) = match mode {
            Mode::Jit => {
                // Fresh JITs (started before timing): a first run compiles everything. The
                // median of several first runs while they are short (one otherwise): a single
                // one varies by a third on this shared machine.
                let mut firsts = Vec::new();
                let mut best = Duration::MAX;
                while firsts.len() < FIRST_RUNS
                    && (firsts.is_empty() || firsts.iter().sum::<Duration>() < MEASURE_TIME)
                {
                    let jit = Interpreter::compile()
                        .unwrap_or_else(|e| panic!("{e}"))
                        .with_settings(Settings::from_env());
                    jit.start_jit().unwrap_or_else(|e| panic!("{e}"));
                    let start = Instant::now();
                    let result = jit.run(program, n, mode);
                    firsts.push(start.elapsed());
                    check(result, want, mode.name(), n);
                    let (later, result) = measure(|| jit.run(program, n, mode));
                    check(result, want, "jit (second run)", n);
                    best = best.min(later);
                }
                firsts.sort();
                (firsts[firsts.len() / 2], best)
            }
            _ => {
                let (best, result) = measure(|| interp.run(program, n, mode));
                check(result, want, mode.name(), n);
                (best, best)
            }
        };
        (Cell::Time(first), Cell::Time(best))
    };
    match mode {
        // On a thread of its own, which unregisters from the collector when it ends: this
        // thread stays unknown to the collector, as in a command-line run of translated mode,
        // so collections need not suspend it.
        Mode::Llinterp => std::thread::scope(|s| s.spawn(timed).join().unwrap()),
        _ => timed(),
    }
}

/// Bytecodes executed by `program` at each size: counted exactly up to [`MAX_COUNTED`],
/// extrapolated along the line through the last two counts beyond, after checking that the
/// line gives the first count exactly.
fn bytecode_counts(counting: &Interpreter, program: &Program, name: &str) -> Vec<(i64, u64)> {
    let mut counts = Vec::new();
    for n in SIZES.into_iter().filter(|&n| n <= MAX_COUNTED) {
        let (_, c) = counting
            .run_counting(program, n, Mode::Translated)
            .unwrap_or_else(|e| panic!("counting {name} at {n}: {e}"));
        counts.push((n, c));
    }
    let [(n0, c0), .., (n1, c1), (n2, c2)] = counts[..] else { panic!("too few counts") };
    let slope = (c2 - c1) / (n2 - n1) as u64;
    let line = |n: i64| c1 as i128 + (n - n1) as i128 * slope as i128;
    assert!(
        (c2 - c1) % (n2 - n1) as u64 == 0 && line(n0) == c0 as i128,
        "{name}: bytecode counts are not linear in n: {counts:?}"
    );
    for n in SIZES.into_iter().filter(|&n| n > MAX_COUNTED) {
        counts.push((n, line(n) as u64));
    }
    counts
}

struct Args {
    modes: Vec<Mode>,
    budget: Duration,
    /// Measure peak memory (one process per program and mode) instead of the table.
    rss: bool,
}

/// Peak RSS, in KiB, of `lang-tlc --mode MODE run FILE N` (a process of its own), and what it
/// printed.
// Reaped by `wait4` (for its rusage), which clippy does not see.
#[allow(clippy::zombie_processes)]
fn peak_rss(mode: Mode, file: &str, n: i64) -> (u64, String) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_lang-tlc"))
        .args(["--mode", mode.name(), "run", file, &n.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cannot start lang-tlc");
    let pid = child.id() as libc::pid_t;
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.expect("piped"), &mut out).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    (usage.ru_maxrss as u64, out.trim().to_string())
}

/// The memory table: peak RSS of the translated interpreter and of the JIT running each
/// benchmark at n = 10^7, each in a process of its own.
fn memory_table() {
    let n = 10_000_000;
    println!("peak RSS at n = {n} (one process per run: lang-tlc --mode M run FILE {n})\n");
    println!("{:<12} {:>14} {:>10} {:>9}", "program", "translated MiB", "JIT MiB", "JIT/tr");
    for (name, _, _) in PROGRAMS {
        let file = format!("{}/../conformance/tlc/{name}.tlc.src", env!("CARGO_MANIFEST_DIR"));
        let (tr, tr_out) = peak_rss(Mode::Translated, &file, n);
        let (jit, jit_out) = peak_rss(Mode::Jit, &file, n);
        assert_eq!(tr_out, jit_out, "{name}: translated and JIT disagree");
        let mib = |k: u64| k as f64 / 1024.0;
        println!("{name:<12} {:>14.1} {:>10.1} {:>9.2}", mib(tr), mib(jit), jit as f64 / tr as f64);
    }
}

fn parse_args() -> Args {
    let mut modes = Vec::new();
    let mut budget = Duration::from_secs(20);
    let mut rss = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mode" => {
                let m = args.next().unwrap_or_default();
                modes.push(Mode::from_name(&m).unwrap_or_else(|| panic!("unknown mode '{m}'")));
            }
            "--budget" => {
                let s: f64 = args.next().and_then(|s| s.parse().ok()).expect("--budget SECONDS");
                budget = Duration::from_secs_f64(s);
            }
            "--rss" => rss = true,
            // `cargo bench` passes `--bench`; anything else is for other harnesses.
            _ => {}
        }
    }
    if modes.is_empty() {
        modes = vec![Mode::Llinterp, Mode::Translated, Mode::Jit];
    }
    Args { modes, budget, rss }
}

fn main() {
    let args = parse_args();
    if args.rss {
        memory_table();
        return;
    }
    let wants = |m: Mode| args.modes.contains(&m);
    let interp = Interpreter::get();
    let start = Instant::now();
    let stats = interp.translate().unwrap_or_else(|e| panic!("{e}"));
    println!("tlc.rpy translated in {}: {stats}", time_text(start.elapsed()));
    if wants(Mode::Jit) {
        let start = Instant::now();
        let stats = interp.start_jit().unwrap_or_else(|e| panic!("{e}"));
        println!("JIT mode started in {} (tiered tlc.rpy: {stats})", time_text(start.elapsed()));
    }
    let counting = Interpreter::compile_counting().unwrap_or_else(|e| panic!("{e}"));
    counting.translate().unwrap_or_else(|e| panic!("{e}"));
    println!(
        "budget: a mode skips a size predicted to take more than {:.0} s per run (shown as \
         (~prediction))\n",
        args.budget.as_secs_f64()
    );
    println!(
        "{:<12} {:>11} {:>21} {:>10} {:>10} {:>10} {:>8} {:>8} {:>8} {:>8} {:>13} {:>6}",
        "program",
        "n",
        "result",
        "Rust",
        "llinterp",
        "translated",
        "JIT",
        "JIT 2",
        "tr/Rust",
        "ll/tr",
        "bytecodes",
        "ns/bc"
    );
    let modes = [Mode::Llinterp, Mode::Translated, Mode::Jit];
    for (name, src, rust) in PROGRAMS {
        let program = assemble(src).unwrap_or_else(|e| panic!("{name}: {e}"));
        let counts = bytecode_counts(&counting, &program, name);
        // Per mode: the last size it ran (or skipped) and its best time.
        let mut previous: [Option<(i64, Cell)>; 3] = [None; 3];
        for (&n, &(_, bytecodes)) in SIZES.iter().zip(&counts) {
            // First what runs: a mode skips a size predicted to exceed the budget.
            let mut cells = [Cell::NotRun; 3];
            for (i, &mode) in modes.iter().enumerate() {
                if wants(mode) {
                    let p = predict(previous[i], n);
                    cells[i] = if p > args.budget { Cell::Skipped(p) } else { Cell::Time(p) };
                }
            }
            if !cells.iter().any(|c| matches!(c, Cell::Time(_))) {
                continue;
            }
            let (rust_time, want) = measure(|| black_box(rust(black_box(n))));
            let mut jit_first = cells[2];
            for (i, &mode) in modes.iter().enumerate() {
                if let Cell::Time(_) = cells[i] {
                    let (first, best) = time_mode(interp, &program, n, mode, want);
                    cells[i] = best;
                    if mode == Mode::Jit {
                        jit_first = first;
                    }
                }
                if wants(mode) {
                    previous[i] = Some((n, cells[i]));
                }
            }
            let [ll, tr, jit2] = cells;
            let rust_cell = Cell::Time(rust_time);
            let ns_per_bc = match tr.time() {
                Some(d) => format!("{:.1}", d.as_secs_f64() * 1e9 / bytecodes as f64),
                None => "-".into(),
            };
            println!(
                "{name:<12} {n:>11} {want:>21} {rust_cell:>10} {ll:>10} {tr:>10} {jit_first:>8} \
                 {jit2:>8} {:>8} {:>8} {bytecodes:>13} {ns_per_bc:>6}",
                ratio(tr, rust_cell),
                ratio(ll, tr),
            );
        }
    }
    // No compilation may run under LLVM's exit-time destructors.
    backend_llvm::quiesce();
}
