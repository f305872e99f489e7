//! The Python-shaped example interpreter (`examples/pyvm/pyvm.rpy`) through the JIT driver on
//! the IR-interpreter backend: each example guest program (a counting loop, a function call,
//! a method call, a caught guest exception, an overflow caught and one not caught) gives the
//! IR interpreter's result (or error) and leaves the same frame; and the residual loop of the
//! counting loop is as tight as TLC's: no allocation, no frame traffic, no class tests.

#[allow(dead_code)]
mod common;

use common::cycle_blocks;
use rpy_ir::ir::{Graph, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::collections::BTreeMap;
use timeshift::{Backend, JitConfig, JitDriver, LlinterpBackend};

const PYVM: &str = include_str!("../../examples/pyvm/pyvm.rpy");

fn program() -> Program {
    rpy_ir::front::compile("pyvm.rpy", PYVM).unwrap_or_else(|d| panic!("{d}"))
}

fn call(p: &Program, interp: &mut Interp, func: &str, args: &[RtValue]) -> RtValue {
    let g = p.graph_by_name(func).unwrap();
    interp.call(g, args).unwrap_or_else(|e| panic!("{func}: {e:?}"))
}

fn code(p: &Program, interp: &Interp, name: &str) -> RtValue {
    let found = p.prebuilt_names.iter().find(|(_, n)| n.as_str() == name);
    interp.prebuilt(*found.expect("no such code object").0)
}

/// What a run gave: the guest result's `int_value` and the frame's `digest`, or the error.
type Outcome = Result<(RtValue, RtValue), String>;

/// Runs the guest program `name` on each of `ns` in the IR interpreter and through the JIT
/// driver, checks that they agree, and returns the outcomes and the residual graphs' ops in
/// their loops, per graph name.
/// Op counts in the loops of each residual graph, by graph name.
type LoopOps = Vec<(String, BTreeMap<String, usize>)>;

fn run_both(name: &str, ns: &[i64]) -> (Vec<Outcome>, LoopOps) {
    let p = program();
    let mut interp = Interp::new(&p);
    let backend = LlinterpBackend::with_prebuilt(&p, &interp.prebuilt_words());
    let d = JitDriver::with_backend(
        &p,
        "run",
        &["code"],
        JitConfig { payoff: timeshift::payoff::Payoff::UNBOUNDED, ..JitConfig::default() },
        |_| Ok(backend),
    )
    .unwrap();
    let c = code(&p, &interp, name);
    let run = p.graph_by_name("run").unwrap();
    let mut outcomes = Vec::new();
    for &n in ns {
        let want_frame = call(&p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let want = interp.call(run, &[c, want_frame]).map_err(|e| format!("{e:?}"));
        let got_frame = call(&p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let got = d.call(&[c, got_frame]).map_err(|e| format!("{e:?}"));
        let mut read = |r: Result<RtValue, String>, frame| {
            r.map(|v| {
                let value = call(&p, &mut interp, "int_value", &[v]);
                (value, call(&p, &mut interp, "digest", &[frame]))
            })
        };
        let (want, got) = (read(want, want_frame), read(got, got_frame));
        match (&want, &got) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}({n}): result and frame"),
            (Err(a), Err(b)) => {
                let guest = |e: &str| e.contains("GuestError");
                assert!(guest(a) && guest(b), "{name}({n}): {a} / {b}");
            }
            _ => panic!("{name}({n}): llinterp {want:?}, JIT {got:?}"),
        }
        outcomes.push(want);
    }
    let prog = d.backend().program();
    if std::env::var_os("PYVM_SHOW").is_some() {
        for (g, graph) in prog.graphs.iter().filter(|(_, g)| g.name.contains("__")) {
            eprintln!("{}\n{}", graph.name, rpy_ir::text::print_graph(&prog, g));
        }
    }
    // The residual graphs (not the interpreter's continuation graphs, `__cont`, which
    // fallbacks and invalidated code continue in).
    let loops = prog
        .graphs
        .values()
        .filter(|g| g.name.contains("__") && !g.name.contains("__cont"))
        .map(|g| (g.name.clone(), loop_ops(g)))
        .collect();
    (outcomes, loops)
}

/// Counts of each opcode in the blocks of `g` on a cycle.
fn loop_ops(g: &Graph) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for b in cycle_blocks(g, "") {
        for op in &g.blocks[b].ops {
            *counts.entry(g.ops[*op].opcode.info().name.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

fn count(ops: &BTreeMap<String, usize>, name: &str) -> usize {
    ops.get(name).copied().unwrap_or(0)
}

fn ints(outcomes: &[Outcome]) -> Vec<i64> {
    outcomes
        .iter()
        .map(|o| match o {
            Ok((RtValue::Int(v), _)) => *v,
            other => panic!("not an int result: {other:?}"),
        })
        .collect()
}

#[test]
fn the_counting_loop_is_as_tight_as_tlcs() {
    let (outcomes, loops) = run_both("COUNT", &[10, 0, 1, 1000]);
    assert_eq!(ints(&outcomes), [10, 0, 1, 1000]);
    let looping: Vec<_> = loops.iter().filter(|(_, ops)| !ops.is_empty()).collect();
    assert!(!looping.is_empty(), "a residual loop: {loops:?}");
    let banned = ["malloc", "getfield", "setfield", "getarrayitem", "setarrayitem"];
    for (name, ops) in looping {
        for op in banned.iter().chain(&["typeof", "instanceof", "call", "call_extern"]) {
            assert_eq!(count(ops, op), 0, "{name}: {op} in the loop: {ops:?}");
        }
        // What is left: the comparison, the overflow-checked add and its branch.
        assert_eq!(count(ops, "int_lt"), 1, "{name}: {ops:?}");
        assert!(count(ops, "int_add_ovf") <= 1 && count(ops, "int_add") <= 1, "{name}: {ops:?}");
    }
}

#[test]
fn a_guest_function_call_agrees() {
    let (outcomes, _) = run_both("CALLS", &[10, 0, 3, 200]);
    // acc = inc(acc) + i: n + n(n-1)/2.
    assert_eq!(ints(&outcomes), [55, 0, 6, 200 + 199 * 100]);
}

#[test]
fn a_guest_method_call_agrees() {
    let (outcomes, _) = run_both("METHODS", &[10, 0, 200]);
    // s += obj.add_to(i) with obj.base = 5.
    assert_eq!(ints(&outcomes), [95, 0, 1000 + 199 * 100]);
}

#[test]
fn a_caught_guest_exception_agrees_and_stays_virtual() {
    let (outcomes, loops) = run_both("EXCEPT", &[10, 0, 300]);
    assert_eq!(ints(&outcomes), [45, 0, 299 * 150]);
    let (name, ops) = loops.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    assert_eq!(count(ops, "malloc"), 0, "{name}: the raised value stays virtual: {ops:?}");
}

#[test]
fn an_overflow_becomes_a_guest_error_caught_by_the_guest() {
    let (outcomes, _) = run_both("OVERFLOW", &[10, 62, 63, 100]);
    // x doubles n times; the 63rd doubling overflows and the handler returns the count.
    assert_eq!(ints(&outcomes), [1024, 1 << 62, 62, 62]);
}

#[test]
fn an_uncaught_overflow_leaves_the_interpreter_as_a_guest_error() {
    let (outcomes, _) = run_both("UNCAUGHT", &[1, 5]);
    for o in outcomes {
        let e = o.expect_err("an error");
        assert!(e.contains("OverflowError: integer overflow"), "{e}");
    }
}
