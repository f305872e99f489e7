//! The generated benchmark corpus (issue 17; `lang-tlc/bench-corpus/README.md`): writes
//! programs of [`lang_tlc::benchgen`] out, and measures the JIT on them whole-process.
//!
//! ```text
//! tlc_corpus show SEED [OPS]          print the program of SEED (its input in a comment)
//! tlc_corpus write DIR [N] [OPS]      write N programs as DIR/gen_SEED.tlc.src + DIR/inputs.txt
//!                                     (OPS: by default each seed's size in a default run)
//! tlc_corpus ratios [options]         run N programs in translated, jit and jit --jit-hot 1
//!     --n N            programs (default 60)      --first SEED   first seed (default 0)
//!     --seeds A,B,...  these seeds instead of FIRST..FIRST+N (e.g. the bottom ten of a run;
//!                      each keeps the size it has in a full run: OPS[seed % number of sizes])
//!     --ops A,B,...    sizes, bytecodes executed: seed S gets the (S mod count)-th
//!                      (default 10M,30M,80M: about 0.1-2 s translated)
//!     --bin PATH       the lang-tlc binary (default target/release/lang-tlc)
//!     --timeout S      seconds one run may take (default 60)
//!     --fixed          also the two fixed programs of bench-corpus/ (two classes, collatz)
//! ```
//!
//! `ratios` runs each program as its own process per mode (so a run's time includes starting
//! the process, loading the translated interpreter and every compilation): translated is the
//! reference, and every JIT run must print the same. JIT runs log `RPY_JIT_LOG=summary` and
//! `RPY_LLVM_LOG=jit`, from which it sums compile work: the driver's time per compilation
//! (`backend N us`: building residual graphs and handing them to the backend) and LLVM's
//! (`lower + optimise + codegen + link` per module, in the background at the hot tier). It
//! prints one line per program as it goes, then the distribution of speed ratios
//! (translated time / jit time), the tiering ratio (hot-1 time / default time), compile time
//! against run time, and the bottom ten programs with their seeds.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lang_tlc::benchgen::{generate, BenchProgram};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("show") => show(&args[1..]),
        Some("write") => write(&args[1..]),
        Some("ratios") => ratios(&args[1..]),
        _ => Err("usage: tlc_corpus show SEED [OPS] | write DIR [N] [OPS] | ratios [--n N] \
                  [--first SEED] [--seeds A,B] [--ops A,B] [--bin PATH] [--timeout S] [--fixed]"
            .to_string()),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn parse<T: std::str::FromStr>(s: Option<&String>, what: &str, default: T) -> Result<T, String> {
    match s {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| format!("bad {what}: {s}")),
    }
}

/// The sizes of a default `ratios` run: seed `s` gets `DEFAULT_OPS[s % 3]`.
const DEFAULT_OPS: [u64; 3] = [10_000_000, 30_000_000, 80_000_000];

/// The size seed `seed` has in a default `ratios` run.
fn default_ops(seed: u64) -> u64 {
    DEFAULT_OPS[(seed % DEFAULT_OPS.len() as u64) as usize]
}

/// A size with an optional `K`/`M` suffix.
fn parse_ops(s: &str) -> Result<u64, String> {
    let (digits, mult) = match s.chars().last() {
        Some('M') => (&s[..s.len() - 1], 1_000_000),
        Some('K') => (&s[..s.len() - 1], 1_000),
        _ => (s, 1),
    };
    digits.parse::<u64>().map(|n| n * mult).map_err(|_| format!("bad size: {s}"))
}

fn show(args: &[String]) -> Result<(), String> {
    let seed = parse(args.first(), "seed", 0u64)?;
    let ops = args.get(1).map_or(Ok(default_ops(seed)), |s| parse_ops(s))?;
    let p = generate(seed, ops);
    println!(
        "; seed {seed}, input {}, estimated {} bytecodes; {}",
        p.input, p.estimated_ops, p.summary
    );
    print!("{}", p.source);
    Ok(())
}

fn write(args: &[String]) -> Result<(), String> {
    let dir = PathBuf::from(args.first().ok_or("write needs a directory")?);
    let n = parse(args.get(1), "count", 100u64)?;
    let ops = args.get(2).map(|s| parse_ops(s)).transpose()?;
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut inputs = String::new();
    for seed in 0..n {
        let p = generate(seed, ops.unwrap_or_else(|| default_ops(seed)));
        let name = format!("gen_{seed}.tlc.src");
        std::fs::write(dir.join(&name), &p.source).map_err(|e| e.to_string())?;
        inputs.push_str(&format!("{name} {}\n", p.input));
    }
    std::fs::write(dir.join("inputs.txt"), inputs).map_err(|e| e.to_string())
}

/// Options of `ratios`.
struct Options {
    /// The seeds to run, in order.
    seeds: Vec<u64>,
    n: u64,
    first: u64,
    ops: Vec<u64>,
    bin: PathBuf,
    timeout: Duration,
    fixed: bool,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        seeds: Vec::new(),
        n: 60,
        first: 0,
        ops: DEFAULT_OPS.to_vec(),
        bin: PathBuf::from("target/release/lang-tlc"),
        timeout: Duration::from_secs(60),
        fixed: false,
    };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1);
        match args[i].as_str() {
            "--n" => o.n = parse(value, "--n", 0)?,
            "--first" => o.first = parse(value, "--first", 0)?,
            "--seeds" => {
                let v = value.ok_or("--seeds needs a value")?;
                o.seeds = v
                    .split(',')
                    .map(|s| s.parse().map_err(|_| format!("bad seed: {s}")))
                    .collect::<Result<_, _>>()?;
            }
            "--ops" => {
                let v = value.ok_or("--ops needs a value")?;
                o.ops = v.split(',').map(parse_ops).collect::<Result<_, _>>()?;
            }
            "--bin" => o.bin = PathBuf::from(value.ok_or("--bin needs a path")?),
            "--timeout" => o.timeout = Duration::from_secs(parse(value, "--timeout", 60)?),
            "--fixed" => {
                o.fixed = true;
                i += 1;
                continue;
            }
            other => return Err(format!("unknown option {other}")),
        }
        i += 2;
    }
    if o.ops.is_empty() {
        return Err("--ops is empty".into());
    }
    if o.seeds.is_empty() {
        o.seeds = (o.first..o.first + o.n).collect();
    }
    Ok(o)
}

/// One process's run: output, time, and the compile work it logged.
struct Run {
    stdout: String,
    ok: bool,
    /// Wall-clock seconds.
    secs: f64,
    /// CPU seconds (user + system, every thread of the process).
    cpu: f64,
    compilations: usize,
    /// The driver's microseconds over all compilations (`backend N us`).
    driver_us: u64,
    /// LLVM's milliseconds over all modules.
    llvm_ms: f64,
    /// The slowest LLVM module, in milliseconds.
    llvm_max_ms: f64,
    versions: u64,
    residual_ops: u64,
}

/// CPU seconds (user + system) of the children this process has waited for.
fn children_cpu() -> f64 {
    // SAFETY: `getrusage` writes the struct it is given; zeroed is a valid `rusage`.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

fn run(o: &Options, file: &Path, input: i64, args: &[&str]) -> Run {
    let cpu_before = children_cpu();
    let start = Instant::now();
    let mut child = Command::new(&o.bin)
        .args(args)
        .arg("run")
        .arg(file)
        .arg(input.to_string())
        .env("RPY_JIT_LOG", "summary")
        .env("RPY_LLVM_LOG", "jit")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", o.bin.display()));
    // Read the pipes on threads so a chatty log cannot block the child.
    let mut out_pipe = child.stdout.take().expect("piped");
    let mut err_pipe = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out_pipe, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err_pipe, &mut s).ok();
        s
    });
    // `None`: killed at the timeout (or not waitable).
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() < o.timeout => std::thread::sleep(Duration::from_millis(2)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let secs = start.elapsed().as_secs_f64();
    // Runs are sequential, so the children's CPU time since the spawn is this child's.
    let cpu = children_cpu() - cpu_before;
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let mut r = Run {
        stdout: stdout.trim().to_string(),
        ok: status.is_some_and(|s| s.success()),
        secs,
        cpu,
        compilations: 0,
        driver_us: 0,
        llvm_ms: 0.0,
        llvm_max_ms: 0.0,
        versions: 0,
        residual_ops: 0,
    };
    for line in stderr.lines() {
        if line.starts_with("jit: ") && line.contains("residual ops") {
            r.compilations += 1;
            r.driver_us += number_after(line, "backend ").unwrap_or(0.0) as u64;
            r.versions += number_after(line, "versions ").unwrap_or(0.0) as u64;
            r.residual_ops += number_after(line, "residual ops ").unwrap_or(0.0) as u64;
        } else if line.starts_with("[backend-llvm") && line.contains(" codegen ") {
            let ms: f64 = ["lower ", "optimise ", "codegen ", "link "]
                .iter()
                .filter_map(|k| number_after(line, k))
                .sum();
            r.llvm_ms += ms;
            r.llvm_max_ms = r.llvm_max_ms.max(ms);
        }
    }
    if !r.ok && r.stdout.is_empty() {
        r.stdout = if status.is_none() {
            "TIMEOUT".into()
        } else {
            stderr.lines().last().unwrap_or("").into()
        };
    }
    r
}

/// The number after the last `key` in `line`.
fn number_after(line: &str, key: &str) -> Option<f64> {
    let rest = &line[line.rfind(key)? + key.len()..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// One program's measurements.
struct Row {
    name: String,
    input: i64,
    translated: f64,
    translated_cpu: f64,
    jit: Run,
    hot1: Run,
    agree: bool,
}

impl Row {
    fn ratio(&self) -> f64 {
        self.translated / self.jit.secs
    }
    fn hot1_ratio(&self) -> f64 {
        self.translated / self.hot1.secs
    }
    fn cpu_ratio(&self) -> f64 {
        self.translated_cpu / self.jit.cpu
    }
    fn hot1_cpu_ratio(&self) -> f64 {
        self.translated_cpu / self.hot1.cpu
    }
}

fn measure(o: &Options, dir: &Path, name: &str, source: &str, input: i64) -> Row {
    let file = dir.join(format!("{name}.tlc.src"));
    std::fs::write(&file, source).expect("write the program");
    let translated = run(o, &file, input, &["--mode", "translated"]);
    let jit = run(o, &file, input, &["--mode", "jit"]);
    let hot1 = run(o, &file, input, &["--mode", "jit", "--jit-hot", "1"]);
    let agree =
        translated.ok && jit.stdout == translated.stdout && hot1.stdout == translated.stdout;
    if !agree {
        eprintln!(
            "MISMATCH {name} {input}: translated {:?}, jit {:?}, jit-hot-1 {:?}",
            translated.stdout, jit.stdout, hot1.stdout
        );
    }
    let _ = std::fs::remove_file(&file);
    Row {
        name: name.to_string(),
        input,
        translated: translated.secs,
        translated_cpu: translated.cpu,
        jit,
        hot1,
        agree,
    }
}

/// The table's header (the columns of [`print_row`]).
fn print_header() {
    println!(
        "{:<12} {:>8} {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} | {:>4} {:>6} {:>7} {:>6}",
        "program", "input", "tr s", "jit s", "hot1 s", "tr cpu", "jit", "hot1", "tr/jit", "cpu", "hot1",
        "jit/h1", "cpu", "comp", "vers", "comp ms", "max ms"
    );
}

/// One program: wall times, CPU times, speed ratios (translated / jit, by wall and by CPU,
/// and translated / hot-1 by CPU), the tiering ratio (jit / hot-1 time), and the default
/// jit run's compilations, versions, compile milliseconds and slowest LLVM module.
fn print_row(r: &Row) {
    println!(
        "{:<12} {:>8} {:>6.2} {:>6.2} {:>6.2} | {:>6.2} {:>6.2} {:>6.2} | {:>6.1} {:>6.1} {:>6.1} | {:>6.2} {:>6.2} | {:>4} {:>6} {:>7.0} {:>6.0}",
        r.name,
        r.input,
        r.translated,
        r.jit.secs,
        r.hot1.secs,
        r.translated_cpu,
        r.jit.cpu,
        r.hot1.cpu,
        r.ratio(),
        r.cpu_ratio(),
        r.hot1_cpu_ratio(),
        r.jit.secs / r.hot1.secs,
        r.jit.cpu / r.hot1.cpu,
        r.jit.compilations,
        r.jit.versions,
        r.jit.compile_ms(),
        r.jit.llvm_max_ms,
    );
}

impl Run {
    /// The driver's and LLVM's milliseconds.
    fn compile_ms(&self) -> f64 {
        self.driver_us as f64 / 1e3 + self.llvm_ms
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// `worst p10 median best` of speed ratios (low is bad).
fn distribution(label: &str, rows: &[&Row], f: impl Fn(&Row) -> f64) {
    let mut v: Vec<f64> = rows.iter().map(|r| f(r)).collect();
    if v.is_empty() {
        return;
    }
    v.sort_by(f64::total_cmp);
    println!(
        "  {label:<40} {:>7.2} {:>7.2} {:>7.2} {:>7.2}",
        v[0],
        percentile(&v, 0.1),
        percentile(&v, 0.5),
        v[v.len() - 1]
    );
}

/// Runs a tiny program once in each mode, untimed, so that the first measured program does
/// not pay for building the object caches (the translated interpreter and the JIT's tiered
/// interpreter): before this, the first program's translated and jit CPU held the whole
/// translation (gen_0: 0.91 s of "translated" CPU against 0.20 s measured alone).
fn warm_up(o: &Options, dir: &Path) {
    let file = dir.join("warm_up.tlc.src");
    std::fs::write(&file, "    PUSHARG\n    RETURN\n").expect("write the warm-up program");
    for args in
        [&["--mode", "translated"][..], &["--mode", "jit"], &["--mode", "jit", "--jit-hot", "1"]]
    {
        let _ = run(o, &file, 1, args);
    }
    let _ = std::fs::remove_file(&file);
}

fn ratios(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let dir = std::env::temp_dir().join(format!("tlc-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    warm_up(&o, &dir);
    print_header();
    let mut rows = Vec::new();
    for &seed in &o.seeds {
        let ops = o.ops[(seed % o.ops.len() as u64) as usize];
        let p: BenchProgram = generate(seed, ops);
        let row = measure(&o, &dir, &format!("gen_{seed}"), &p.source, p.input);
        print_row(&row);
        rows.push(row);
    }
    let mut fixed = Vec::new();
    if o.fixed {
        for (name, src, input) in FIXED {
            let row = measure(&o, &dir, name, src, *input);
            print_row(&row);
            fixed.push(row);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    summary(&rows);
    Ok(())
}

/// The two fixed programs of issue 17 (our own versions): two classes' methods sent in turn,
/// and a collatz-like nested loop with `DIV`.
const FIXED: &[(&str, &str, i64)] = &[
    ("two_classes", include_str!("../bench-corpus/two_classes.tlc.src"), 3_000_000),
    ("collatz", include_str!("../bench-corpus/collatz.tlc.src"), 30_000),
];

fn summary(rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    let all: Vec<&Row> = rows.iter().collect();
    let long: Vec<&Row> = rows.iter().filter(|r| r.translated >= 1.0).collect();
    let bad = rows.iter().filter(|r| !r.agree).count();
    println!();
    println!(
        "{} programs ({bad} disagreeing with translated); {} run >= 1 s translated",
        rows.len(),
        long.len()
    );
    println!("  {:<40} {:>7} {:>7} {:>7} {:>7}", "speed ratio", "worst", "p10", "median", "best");
    distribution("translated/jit, wall", &all, Row::ratio);
    distribution("translated/jit, cpu", &all, Row::cpu_ratio);
    distribution("translated/jit-hot-1, wall", &all, Row::hot1_ratio);
    distribution("translated/jit-hot-1, cpu", &all, Row::hot1_cpu_ratio);
    distribution(">= 1 s translated: translated/jit, wall", &long, Row::ratio);
    distribution(">= 1 s translated: translated/jit, cpu", &long, Row::cpu_ratio);
    distribution("tiering: hot-1 time / jit time, wall", &all, |r| r.hot1.secs / r.jit.secs);
    distribution("tiering: hot-1 time / jit time, cpu", &all, |r| r.hot1.cpu / r.jit.cpu);
    let slower = rows.iter().filter(|r| r.cpu_ratio() < 1.0).count();
    println!("  jit slower than translated (cpu): {slower} of {}", rows.len());
    for (label, pick) in [("jit (default tiering)", 0u8), ("jit --jit-hot 1", 1)] {
        let run: fn(&Row) -> &Run = if pick == 0 { |r| &r.jit } else { |r| &r.hot1 };
        let cpu: f64 = rows.iter().map(|r| run(r).cpu).sum();
        let comp: f64 = rows.iter().map(|r| run(r).compile_ms() / 1e3).sum();
        let llvm: f64 = rows.iter().map(|r| run(r).llvm_ms / 1e3).sum();
        let comps: usize = rows.iter().map(|r| run(r).compilations).sum();
        let max = rows.iter().map(|r| run(r).llvm_max_ms).fold(0.0, f64::max);
        let over: usize = rows.iter().filter(|r| run(r).llvm_max_ms > 50.0).count();
        let heavy = long.iter().filter(|r| run(r).compile_ms() / 1e3 > 0.1 * run(r).cpu).count();
        println!(
            "  {label}: cpu {cpu:.1} s in all, compile {comp:.1} s ({:.0}%; LLVM {llvm:.1} s), {comps} compilations; \
             slowest LLVM module {max:.0} ms, programs with one over 50 ms: {over}; \
             >= 1 s translated with compile over 10% of cpu: {heavy} of {}",
            100.0 * comp / cpu,
            long.len()
        );
    }
    let mut bottom: Vec<&Row> = rows.iter().collect();
    bottom.sort_by(|a, b| a.cpu_ratio().total_cmp(&b.cpu_ratio()));
    println!("bottom 10 (translated/jit by cpu):");
    print_header();
    for r in bottom.iter().take(10) {
        print_row(r);
    }
}
