//! A program's first JIT run (compile time included) and its best later run, on fresh JITs in
//! one process (the first round also pays for LLVM's code being paged in): what the paper
//! table's `JIT` and `JIT 2` columns measure, one program at a time, so that a timeline of
//! what the JIT does can be read beside it (`RPY_LLVM_LOG=jit RPY_JIT_LOG=summary`).
//!
//! `cargo run --release -p lang-tlc --example first_run -- FILE N [ROUNDS]`; the last line is
//! the median of first − best later over the rounds (the compile overhead the issue measures).

use lang_tlc::{Interpreter, Mode, Settings};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<i64>().ok()))
    else {
        eprintln!("usage: first_run FILE N [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(4);
    let fail = |e: String| -> ! {
        eprintln!("{e}");
        std::process::exit(1)
    };
    let src = std::fs::read_to_string(&file).unwrap_or_else(|e| fail(format!("{file}: {e}")));
    let program = lang_tlc::assemble(&src).unwrap_or_else(|e| fail(format!("{file}: {e}")));
    let mut overheads = Vec::new();
    // The environment's settings (RPY_LLVM_LOG, RPY_JIT_LOG, the object cache...), read once.
    let settings = Settings::from_env();
    for round in 0..rounds {
        let jit =
            Interpreter::compile().unwrap_or_else(|e| fail(e)).with_settings(settings.clone());
        jit.start_jit().unwrap_or_else(|e| fail(e.to_string()));
        eprintln!("---- round {round}");
        let start = Instant::now();
        let result = jit.run(&program, n, Mode::Jit).unwrap_or_else(|e| fail(e.to_string()));
        let first = start.elapsed();
        let mut later = Duration::MAX;
        for _ in 0..6 {
            let start = Instant::now();
            jit.run(&program, n, Mode::Jit).unwrap_or_else(|e| fail(e.to_string()));
            later = later.min(start.elapsed());
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "round {round}: {result}: first {:.2} ms, best later {:.3} ms, first - later {:.2} ms",
            ms(first),
            ms(later),
            ms(first - later)
        );
        overheads.push(ms(first.saturating_sub(later)));
    }
    overheads.sort_by(f64::total_cmp);
    if let Some(median) = overheads.get(overheads.len() / 2) {
        println!("median first - later over {} rounds: {median:.2} ms", overheads.len());
    }
    // No compilation may run under LLVM's exit-time destructors.
    backend_llvm::quiesce();
}
