//! Continuations (graphs entered in the middle, the fallback of a flexswitch case that gives
//! up): run from a position with the values live there, they give the function's result.

use rpy_ir::ir::{Exit, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::fallback::{continuation, Position};

const SRC: &str = "
def f(a: int, b: int) -> int:
    x = a * 2
    s = 0
    i = 0
    while i < b:
        if i > x:
            s = s - i
        else:
            s = s + x + i
        i += 1
    return s
";

fn program() -> Program {
    rpy_ir::front::compile("test.rpy", SRC).unwrap_or_else(|d| panic!("{d}"))
}

/// Runs `f`'s continuation at `at` with the live variables given by source name.
fn run_at(p: &Program, at: Position, values: &[(&str, i64)]) -> i64 {
    let f = &p.graphs[p.graph_by_name("f").unwrap()];
    let (graph, inputs) = continuation(f, at, "f__cont");
    let args: Vec<RtValue> = inputs
        .iter()
        .map(|v| {
            let name = f.vars[*v].name.clone().unwrap_or_else(|| panic!("{v} has no name"));
            let (_, k) = values
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("no value for {name} ({v}) at {at:?}"));
            RtValue::Int(*k)
        })
        .collect();
    let mut q = p.clone();
    let g = q.add_graph(graph);
    rpy_ir::verify::verify_graph(&q, g).unwrap_or_else(|e| panic!("{e:?}"));
    match Interp::new(&q).call(g, &args).unwrap() {
        RtValue::Int(r) => r,
        other => panic!("{other:?}"),
    }
}

fn f(p: &Program, a: i64, b: i64) -> i64 {
    let g = p.graph_by_name("f").unwrap();
    match Interp::new(p).call(g, &[RtValue::Int(a), RtValue::Int(b)]).unwrap() {
        RtValue::Int(r) => r,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_continuation_after_the_first_op_gives_the_functions_result() {
    let p = program();
    let g = &p.graphs[p.graph_by_name("f").unwrap()];
    let at = Position { block: g.entry, op: 1 };
    for (a, b) in [(0, 0), (3, 5), (1, 9), (-2, 4)] {
        assert_eq!(run_at(&p, at, &[("x", a * 2), ("b", b)]), f(&p, a, b), "f({a}, {b})");
    }
}

#[test]
fn a_continuation_at_a_loop_header_runs_the_loop() {
    let p = program();
    let g = &p.graphs[p.graph_by_name("f").unwrap()];
    // The loop header: the block whose exit tests `i < b`.
    let header = g
        .blocks
        .iter()
        .find(|(_, d)| {
            matches!(d.exit, Exit::Branch { .. })
                && d.ops.iter().any(|o| g.ops[*o].opcode.info().name == "int_lt")
        })
        .map(|(b, _)| b)
        .unwrap();
    for (a, b) in [(3, 5), (1, 9), (2, 0)] {
        let at = Position { block: header, op: 0 };
        let vals = [("x", a * 2), ("b", b), ("s", 0), ("i", 0)];
        assert_eq!(run_at(&p, at, &vals), f(&p, a, b), "f({a}, {b})");
    }
}
