//! Benchmarks of translated mode: loop-heavy RPy programs compiled by LLVM at O0 and O2,
//! side by side with the same algorithms written in Rust (and llinterp for scale), then the
//! compile time per function at O0 and O2, and start-up with a cold and a warm object cache.
//! Run with `cargo bench -p backend-llvm --bench translated`. Times are the best of several
//! runs (the machine is shared and noisy).

use backend_llvm::{translate, translate_with, OptLevel, Options};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// (name, file under benches/programs, argument, Rust version)
type Case = (&'static str, &'static str, i64, fn(i64) -> i64);

const CASES: &[Case] = &[
    ("sieve (bool arrays)", "sieve.rpy", 10, rust_sieve_bench),
    ("collatz (int // and %)", "collatz.rpy", 300_000, rust_collatz_bench),
    ("mandelbrot (floats)", "mandel.rpy", 400, rust_mandel_bench),
    ("bytecode interpreter (boxed ints)", "interp.rpy", 1_000_000, rust_interp_bench),
];

const RUNS: usize = 5;

fn best_of(runs: usize, mut f: impl FnMut() -> i64) -> (Duration, i64) {
    let mut best = Duration::MAX;
    let mut result = 0;
    for _ in 0..runs {
        let start = Instant::now();
        result = std::hint::black_box(f());
        best = best.min(start.elapsed());
    }
    (best, result)
}

fn load(file: &str) -> Program {
    let path = format!("{}/benches/programs/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    rpy_ir::front::compile(file, &text).unwrap_or_else(|d| panic!("{d}"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn run_times() {
    println!("== run time (best of {RUNS}; ratios are translated / Rust)");
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>8} {:>8} {:>11} {:>9}",
        "program", "Rust ms", "O0 ms", "O2 ms", "O0/Rust", "O2/Rust", "llinterp ms", "interp/O2"
    );
    for &(name, file, arg, rust) in CASES {
        let program = load(file);
        let args = [RtValue::Int(arg)];
        let (rust_t, want) = best_of(RUNS, || rust(arg));
        let mut times = Vec::new();
        for opt in [OptLevel::O0, OptLevel::O2] {
            let mut t = translate(&program, opt).unwrap();
            let (d, got) = best_of(RUNS, || t.call("bench", &args).unwrap().as_int().unwrap());
            assert_eq!(got, want, "{name} at {opt:?}");
            times.push(d);
        }
        let g = program.graph_by_name("bench").unwrap();
        let mut interp = Interp::new(&program);
        let (interp_t, got) = best_of(1, || interp.call(g, &args).unwrap().as_int().unwrap());
        assert_eq!(got, want, "{name} in llinterp");
        println!(
            "{name:<34} {:>10.2} {:>10.2} {:>10.2} {:>8.2} {:>8.2} {:>11.1} {:>9.1}",
            ms(rust_t),
            ms(times[0]),
            ms(times[1]),
            times[0].as_secs_f64() / rust_t.as_secs_f64(),
            times[1].as_secs_f64() / rust_t.as_secs_f64(),
            ms(interp_t),
            interp_t.as_secs_f64() / times[1].as_secs_f64()
        );
    }
}

fn compile_times() {
    println!("\n== compile time (best of {RUNS}): whole program, per function (graph), O2 phases");
    println!(
        "{:<12} {:>6} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "program",
        "graphs",
        "ops",
        "O0 ms",
        "O0 /fn",
        "O2 ms",
        "O2 /fn",
        "lower",
        "opt",
        "codegen",
        "link",
        "bytes"
    );
    let demo = format!("{}/../rpy-ir/examples/demo.rpy", env!("CARGO_MANIFEST_DIR"));
    let demo_program =
        rpy_ir::front::compile("demo.rpy", &std::fs::read_to_string(demo).unwrap()).unwrap();
    let mut programs: Vec<(String, Program)> =
        CASES.iter().map(|c| (c.1.to_string(), load(c.1))).collect();
    programs.push(("demo.rpy".into(), demo_program));
    for (name, program) in &programs {
        let mut best: Vec<backend_llvm::CompileStats> = Vec::new();
        for opt in [OptLevel::O0, OptLevel::O2] {
            let mut b: Option<backend_llvm::CompileStats> = None;
            for _ in 0..RUNS {
                let t = translate(program, opt).unwrap();
                if b.as_ref().is_none_or(|b| t.stats().total() < b.total()) {
                    b = Some(t.stats().clone());
                }
            }
            best.push(b.unwrap());
        }
        let n = program.graphs.len();
        let (o0, o2) = (&best[0], &best[1]);
        println!(
            "{name:<12} {n:>6} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7}",
            o2.ops,
            ms(o0.total()),
            ms(o0.total()) / n as f64,
            ms(o2.total()),
            ms(o2.total()) / n as f64,
            ms(o2.lower),
            ms(o2.optimise),
            ms(o2.codegen),
            ms(o2.link),
            o2.object_bytes
        );
    }
}

fn startup() {
    println!("\n== start-up at O2: translate with a cold and a warm object cache");
    let dir = std::env::temp_dir().join(format!("rpy-llvm-bench-cache-{}", std::process::id()));
    println!("{:<22} {:>10} {:>10}", "program", "cold ms", "warm ms");
    for &(_, file, _, _) in CASES {
        let program = load(file);
        let _ = std::fs::remove_dir_all(&dir);
        let options = Options { cache_dir: Some(dir.clone()), ..Options::new(OptLevel::O2) };
        let start = Instant::now();
        let cold = translate_with(&program, &options).unwrap();
        let cold_t = start.elapsed();
        assert!(!cold.stats().cached);
        let mut warm_t = Duration::MAX;
        for _ in 0..RUNS {
            let start = Instant::now();
            let warm = translate_with(&program, &options).unwrap();
            warm_t = warm_t.min(start.elapsed());
            assert!(warm.stats().cached);
        }
        println!("{file:<22} {:>10.2} {:>10.2}", ms(cold_t), ms(warm_t));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    run_times();
    compile_times();
    startup();
}

// ---- The same algorithms in Rust ----

fn rust_sieve(n: usize) -> i64 {
    let mut composite = vec![false; n + 1];
    let mut count = 0;
    let mut i = 2;
    while i <= n {
        if !composite[i] {
            count += 1;
            let mut j = i * i;
            while j <= n {
                composite[j] = true;
                j += i;
            }
        }
        i += 1;
    }
    count
}

fn rust_sieve_bench(reps: i64) -> i64 {
    (0..reps).map(|_| rust_sieve(std::hint::black_box(1_000_000))).sum()
}

fn rust_collatz_bench(limit: i64) -> i64 {
    let mut total = 0;
    for i in 1..limit {
        let (mut n, mut s) = (i, 0);
        while n != 1 {
            n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
            s += 1;
        }
        total += s;
    }
    total
}

fn rust_mandel_bench(size: i64) -> i64 {
    let max_iter = 100;
    let mut count = 0;
    for y in 0..size {
        let ci = 2.0 * y as f64 / size as f64 - 1.0;
        for x in 0..size {
            let cr = 2.0 * x as f64 / size as f64 - 1.5;
            let (mut zr, mut zi, mut i) = (0.0f64, 0.0f64, 0);
            while i < max_iter && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                i += 1;
            }
            if i == max_iter {
                count += 1;
            }
        }
    }
    count
}

/// The interpreter of interp.rpy: boxed, shared integers (`Rc`), a value stack, dispatch.
enum Obj {
    Int(i64),
    Nil,
}

const COUNTDOWN: [i64; 19] = [10, 1, 0, 2, 1, 7, 9, 9, 0, 2, 1, 3, 5, 1, 1, 4, 5, 8, 3];

fn int_of(o: &Obj) -> i64 {
    match o {
        Obj::Int(v) => *v,
        Obj::Nil => 0,
    }
}

fn rust_interpret(code: &[i64], arg: i64) -> Rc<Obj> {
    let mut stack: Vec<Rc<Obj>> = Vec::with_capacity(32);
    let mut pc = 0;
    while pc < code.len() {
        let op = code[pc];
        pc += 1;
        match op {
            1 => {
                stack.push(Rc::new(Obj::Int(code[pc])));
                pc += 1;
            }
            10 => stack.push(Rc::new(Obj::Int(arg))),
            2 => {
                let o = stack[stack.len() - 1 - code[pc] as usize].clone();
                stack.push(o);
                pc += 1;
            }
            3 | 4 => {
                let b = int_of(&stack.pop().unwrap());
                let a = int_of(&stack.pop().unwrap());
                stack.push(Rc::new(Obj::Int(if op == 3 { a + b } else { a - b })));
            }
            5 => {
                let top = stack.pop().unwrap();
                let below = stack.pop().unwrap();
                stack.push(top);
                stack.push(below);
            }
            6 => {
                stack.pop();
            }
            7 => {
                if int_of(&stack.pop().unwrap()) != 0 {
                    pc = code[pc] as usize;
                } else {
                    pc += 1;
                }
            }
            8 => pc = code[pc] as usize,
            9 => return stack.pop().unwrap(),
            _ => return Rc::new(Obj::Nil),
        }
    }
    Rc::new(Obj::Nil)
}

fn rust_interp_bench(n: i64) -> i64 {
    int_of(&rust_interpret(std::hint::black_box(&COUNTDOWN), n))
}
