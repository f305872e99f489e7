//! Tests of the IR interpreter on graphs built by hand, one module per subject; `support`
//! holds the builders they share.

mod control;
mod errors;
mod externs;
mod gc;
mod heap;
mod jit_hook;
mod scalar_ops;
mod support;

use super::*;
use control::{fact_graph, sum_graph};
use gc::node_program;

#[test]
fn instructions_stay_small() {
    assert!(std::mem::size_of::<compile::Inst>() <= 20, "{}", std::mem::size_of::<compile::Inst>());
}

/// Timing of the interpreter loop, in ns per executed IR op: run with
/// `cargo test --release -p rpy-ir llinterp::tests::bench -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench() {
    let (mut p, _, churn) = node_program();
    let sum = sum_graph(&mut p);
    let fact = fact_graph(&mut p);
    let mut interp = Interp::new(&p);
    let mut time = |label: &str, g: GraphIdx, args: &[RtValue], reps: usize| {
        interp.reset_ops_executed();
        let t = std::time::Instant::now();
        for _ in 0..reps {
            interp.call(g, args).unwrap();
        }
        let ns = t.elapsed().as_nanos() as f64;
        let ops = interp.ops_executed() as f64;
        println!("{label}: {:.0} ms, {ops} ops, {:.2} ns/op", ns / 1e6, ns / ops);
    };
    time("sum loop 100M", sum, &[RtValue::Int(100_000_000)], 1);
    time("fact(20) x 1M", fact, &[RtValue::Int(20)], 1_000_000);
    time("alloc loop 10M", churn, &[RtValue::Int(10_000_000), RtValue::Bool(false)], 1);
}
