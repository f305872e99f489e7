//! The generated benchmark corpus (issue 17; `lang-tlc/bench-corpus/README.md`): writes
//! programs of [`lang_tlc::benchgen`] out, and measures the JIT on them whole-process.
//!
//! ```text
//! tlc_corpus show SEED [OPS]          print the program of SEED (its input in a comment)
//! tlc_corpus write DIR [N] [OPS]      write N programs as DIR/gen_SEED.tlc.src + DIR/inputs.txt
//! tlc_corpus ratios [options]         run N programs in translated, jit and jit --jit-hot 1
//!     --n N            programs (default 100)      --first SEED   first seed (default 0)
//!     --ops A,B,...    sizes, bytecodes executed, cycled over the programs
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
                  [--first SEED] [--ops A,B] [--bin PATH] [--timeout S] [--fixed]"
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
    let ops = args.get(1).map_or(Ok(20_000_000), |s| parse_ops(s))?;
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
    let ops = args.get(2).map_or(Ok(20_000_000), |s| parse_ops(s))?;
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut inputs = String::new();
    for seed in 0..n {
        let p = generate(seed, ops);
        let name = format!("gen_{seed}.tlc.src");
        std::fs::write(dir.join(&name), &p.source).map_err(|e| e.to_string())?;
        inputs.push_str(&format!("{name} {}\n", p.input));
    }
    std::fs::write(dir.join("inputs.txt"), inputs).map_err(|e| e.to_string())
}

/// Options of `ratios`.
struct Options {
    n: u64,
    first: u64,
    ops: Vec<u64>,
    bin: PathBuf,
    timeout: Duration,
    fixed: bool,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        n: 100,
        first: 0,
        ops: vec![10_000_000, 30_000_000, 80_000_000],
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
    Ok(o)
}

/// One process's run: output, time, and the compile work it logged.
struct Run {
    stdout: String,
    ok: bool,
    secs: f64,
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

fn run(o: &Options, file: &Path, input: i64, args: &[&str]) -> Run {
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
    let mut status = None;
    while start.elapsed() < o.timeout {
        if let Ok(Some(s)) = child.try_wait() {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let secs = start.elapsed().as_secs_f64();
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let mut r = Run {
        stdout: stdout.trim().to_string(),
        ok: status.is_some_and(|s| s.success()),
        secs,
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
    Row { name: name.to_string(), input, translated: translated.secs, jit, hot1, agree }
}

fn print_row(r: &Row) {
    println!(
        "{:<14} {:>9} {:>7.3} {:>7.3} {:>7.3} {:>7.1} {:>7.1} {:>6.2} {:>5} {:>7} {:>8.1} {:>7.1}",
        r.name,
        r.input,
        r.translated,
        r.jit.secs,
        r.hot1.secs,
        r.ratio(),
        r.hot1_ratio(),
        r.hot1.secs / r.jit.secs,
        r.jit.compilations,
        r.jit.versions,
        r.jit.driver_us as f64 / 1e3 + r.jit.llvm_ms,
        r.jit.llvm_max_ms,
    );
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn ratios(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let dir = std::env::temp_dir().join(format!("tlc-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    println!(
        "{:<14} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>5} {:>7} {:>8} {:>7}",
        "program",
        "input",
        "tr s",
        "jit s",
        "hot1 s",
        "tr/jit",
        "tr/hot1",
        "h1/jit",
        "comp",
        "vers",
        "comp ms",
        "max ms"
    );
    let mut rows = Vec::new();
    for k in 0..o.n {
        let seed = o.first + k;
        let ops = o.ops[(k % o.ops.len() as u64) as usize];
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
    let bad = rows.iter().filter(|r| !r.agree).count();
    let mut r: Vec<f64> = rows.iter().map(Row::ratio).collect();
    r.sort_by(f64::total_cmp);
    let mut h: Vec<f64> = rows.iter().map(Row::hot1_ratio).collect();
    h.sort_by(f64::total_cmp);
    let mut tier: Vec<f64> = rows.iter().map(|r| r.jit.secs / r.hot1.secs).collect();
    tier.sort_by(f64::total_cmp);
    println!();
    println!("{} programs ({} disagreeing with translated)", rows.len(), bad);
    println!(
        "speed ratio translated/jit:      worst {:.2}  p10 {:.2}  median {:.2}  best {:.2}",
        r[0],
        percentile(&r, 0.1),
        percentile(&r, 0.5),
        r[r.len() - 1]
    );
    println!(
        "speed ratio translated/jit-hot1: worst {:.2}  p10 {:.2}  median {:.2}  best {:.2}",
        h[0],
        percentile(&h, 0.1),
        percentile(&h, 0.5),
        h[h.len() - 1]
    );
    println!(
        "default tiering time / hot-1 time: best {:.2}  median {:.2}  p90 {:.2}  worst {:.2}",
        tier[0],
        percentile(&tier, 0.5),
        percentile(&tier, 0.9),
        tier[tier.len() - 1]
    );
    let long: Vec<&Row> = rows.iter().filter(|r| r.translated >= 1.0).collect();
    if let Some(w) = long.iter().map(|r| r.ratio()).min_by(f64::total_cmp) {
        println!(
            "programs running >= 1 s translated: {}, worst translated/jit {:.2}",
            long.len(),
            w
        );
    }
    let run_s: f64 = rows.iter().map(|r| r.jit.secs).sum();
    let comp_s: f64 = rows.iter().map(|r| r.jit.driver_us as f64 / 1e6 + r.jit.llvm_ms / 1e3).sum();
    let llvm_s: f64 = rows.iter().map(|r| r.jit.llvm_ms / 1e3).sum();
    let max_llvm = rows.iter().map(|r| r.jit.llvm_max_ms).fold(0.0, f64::max);
    let comps: usize = rows.iter().map(|r| r.jit.compilations).sum();
    println!(
        "jit (default tiering): run {run_s:.2} s in all, compile {comp_s:.2} s ({:.0}%; LLVM {llvm_s:.2} s), \
         {comps} compilations, slowest LLVM module {max_llvm:.1} ms",
        100.0 * comp_s / run_s
    );
    let run1: f64 = rows.iter().map(|r| r.hot1.secs).sum();
    let comp1: f64 =
        rows.iter().map(|r| r.hot1.driver_us as f64 / 1e6 + r.hot1.llvm_ms / 1e3).sum();
    let max1 = rows.iter().map(|r| r.hot1.llvm_max_ms).fold(0.0, f64::max);
    println!(
        "jit --jit-hot 1:       run {run1:.2} s in all, compile {comp1:.2} s ({:.0}%), slowest LLVM module {max1:.1} ms",
        100.0 * comp1 / run1
    );
    let mut bottom: Vec<&Row> = rows.iter().collect();
    bottom.sort_by(|a, b| a.ratio().total_cmp(&b.ratio()));
    println!("bottom 10 (translated/jit):");
    for r in bottom.iter().take(10) {
        print_row(r);
    }
}
