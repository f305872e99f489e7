//! Benchmark of the IR interpreter: nanoseconds per executed IR op on loop-heavy RPy programs.
//! Run with `cargo bench -p rpy-ir --bench llinterp`. Each program runs several times; the
//! best time is reported (the machine is shared and noisy), with the op count of one run.

use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::time::{Duration, Instant};

const PROGRAMS: &[(&str, &str, &str, i64, u32)] = &[
    ("fact_loop (int loop)", "tests/programs/fact.rpy", "fact_loop", 20, 20_000),
    ("fib_iter (int loop)", "tests/programs/fib.rpy", "fib_iter", 90, 20_000),
    ("fib (recursive calls)", "tests/programs/fib.rpy", "fib", 25, 1),
    ("sieve (arrays)", "tests/programs/arrays.rpy", "sieve", 200_000, 1),
    ("linked list (allocation, fields)", "tests/programs/linkedlist.rpy", "run", 200_000, 1),
    ("bytecode interpreter (demo)", "examples/demo.rpy", "main", 20_000, 1),
];

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    println!("{:<34} {:>12} {:>12} {:>10}", "program", "IR ops", "best time", "ns/op");
    for (label, file, func, arg, reps) in PROGRAMS {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let program = rpy_ir::front::compile(file, &text).unwrap();
        let g = program.graph_by_name(func).unwrap();
        let mut interp = Interp::new(&program);
        let mut best = Duration::MAX;
        let mut ops = 0;
        for _ in 0..5 {
            interp.reset_ops_executed();
            let start = Instant::now();
            let (_, _out) = rpy_ir::externs::capture_output(|| {
                for _ in 0..*reps {
                    interp.call(g, &[RtValue::Int(*arg)]).unwrap();
                }
            });
            best = best.min(start.elapsed());
            ops = interp.ops_executed();
        }
        let ns = best.as_nanos() as f64 / ops as f64;
        println!("{label:<34} {ops:>12} {:>10.2?} {ns:>10.2}", best);
    }
}
