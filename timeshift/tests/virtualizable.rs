//! Virtualizable frames on the IR-interpreter backend: a small stack bytecode interpreter
//! whose frame (locals array, value stack, stack depth) is declared virtualizable, run through
//! the JIT driver and compared with the IR interpreter — on results and on the frame's
//! contents afterwards — and the residual loops' shapes: no frame traffic across a residual
//! call that cannot reach the frame, write-back before and read-back after one that can,
//! memory up to date at flexswitch misses and fallbacks.
//!
//! The interpreter ([`VM`]) is shaped like a Python one (code objects with their own number of
//! locals and stack size, a frame made per call, `LOAD_FAST`/`STORE_FAST`, a value stack whose
//! depth is a green of the dispatch loop and a field of the frame): the start of the
//! Python-shaped example interpreter.

#[allow(dead_code)]
mod common;

use common::cycle_blocks;
use rpy_ir::ir::{Graph, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::collections::BTreeMap;
use timeshift::{Backend, Budgets, JitConfig, JitDriver, LlinterpBackend};

/// The interpreter (see its header). `run` is the portal (green: the code object).
const VM: &str = include_str!("virtualizable/vm.rpy");

/// The interpreter's program, its prebuilt objects made once by `interp` (the reference)
/// and shared with the backend, so both run the same code objects.
struct Setup {
    program: Program,
}

impl Setup {
    fn new(src: &str) -> Setup {
        let program = rpy_ir::front::compile("vm.rpy", src).unwrap_or_else(|d| panic!("{d}"));
        Setup { program }
    }

    fn code(&self, interp: &Interp, name: &str) -> RtValue {
        let p = self.program.prebuilt_names.iter().find(|(_, n)| n.as_str() == name);
        interp.prebuilt(*p.expect("no such code object").0)
    }

    fn call(&self, interp: &mut Interp, func: &str, args: &[RtValue]) -> RtValue {
        let g = self.program.graph_by_name(func).unwrap();
        interp.call(g, args).unwrap_or_else(|e| panic!("{func}: {e:?}"))
    }
}

/// Runs `code` on `n` through a driver (with `budgets`) and in the IR interpreter, for each
/// `n` in `ns`, and checks that results and frames agree. Returns the driver's residual
/// graphs' ops, per graph name.
fn run_both(code: &str, ns: &[i64], budgets: Budgets) -> Vec<(String, BTreeMap<String, usize>)> {
    run_vm(VM, code, ns, budgets)
}

/// [`run_both`] on the interpreter `src`.
fn run_vm(
    src: &str,
    code: &str,
    ns: &[i64],
    budgets: Budgets,
) -> Vec<(String, BTreeMap<String, usize>)> {
    let s = Setup::new(src);
    let mut interp = Interp::new(&s.program);
    let backend = LlinterpBackend::with_prebuilt(&s.program, &interp.prebuilt_words());
    let config = JitConfig { budgets, ..JitConfig::default() };
    let d = JitDriver::with_backend(&s.program, "run", &["code"], config, |_| Ok(backend)).unwrap();
    let c = s.code(&interp, code);
    for &n in ns {
        let want_frame = s.call(&mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let want = s.call(&mut interp, "run", &[c, want_frame]);
        let got_frame = s.call(&mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let got = d.call(&[c, got_frame]).unwrap_or_else(|e| panic!("{code}({n}): {e:?}"));
        assert_eq!(want, got, "{code}({n}): results differ");
        let (a, b) = (
            s.call(&mut interp, "digest", &[want_frame]),
            s.call(&mut interp, "digest", &[got_frame]),
        );
        assert_eq!(a, b, "{code}({n}): the frames differ afterwards");
    }
    let prog = d.backend().program();
    if std::env::var_os("VABLE_SHOW").is_some() {
        for (g, graph) in prog.graphs.iter().filter(|(_, g)| g.name.contains("__")) {
            eprintln!("{}\n{}", graph.name, rpy_ir::text::print_graph(&prog, g));
        }
    }
    prog.graphs
        .values()
        .filter(|g| g.name.contains("__"))
        .map(|g| (g.name.clone(), loop_ops(g)))
        .collect()
}

/// Counts of each opcode in the blocks of `g` on a cycle; and, in those holding a `call`, of
/// the frame stores before it (`"store before call"`) and the frame reads after it (`"read
/// after call"`).
fn loop_ops(g: &Graph) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for b in cycle_blocks(g, "") {
        let names: Vec<&str> =
            g.blocks[b].ops.iter().map(|op| g.ops[*op].opcode.info().name).collect();
        for name in &names {
            *counts.entry(name.to_string()).or_insert(0) += 1;
        }
        if let Some(at) = names.iter().position(|n| *n == "call") {
            let stores = names[..at].iter().filter(|n| n.starts_with("set")).count();
            let reads = names[at..].iter().filter(|n| n.starts_with("get")).count();
            *counts.entry("store before call".into()).or_insert(0) += stores;
            *counts.entry("read after call".into()).or_insert(0) += reads;
        }
    }
    counts
}

fn count(ops: &BTreeMap<String, usize>, name: &str) -> usize {
    ops.get(name).copied().unwrap_or(0)
}

const FRAME_OPS: [&str; 4] = ["getfield", "setfield", "getarrayitem", "setarrayitem"];

#[test]
fn a_frame_stays_in_registers_across_a_call_that_cannot_reach_it() {
    let graphs = run_both("HELPER_LOOP", &[10, 0, 1, 37], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    for op in FRAME_OPS {
        assert_eq!(count(ops, op), 0, "{name}: {op} in the loop: {ops:?}");
    }
    assert_eq!(count(ops, "call"), 1, "{name}: the one residual call: {ops:?}");
    assert_eq!(count(ops, "malloc"), 0, "{name}: {ops:?}");
    assert_eq!(count(ops, "store before call") + count(ops, "read after call"), 0, "{ops:?}");
}

#[test]
fn a_call_that_may_reach_the_frame_sees_it_written_back_and_it_is_read_back_after() {
    let graphs = run_both("PROBE_LOOP", &[10, 0, 1, 5], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    assert_eq!(count(ops, "call"), 1, "{name}: {ops:?}");
    // Before the call: the stack depth and the items the probe reads (i, n, acc are locals
    // 0..2, the stack holds acc); after it, what the loop uses again is read back.
    assert!(count(ops, "store before call") >= 2, "{name}: written back: {ops:?}");
    assert!(count(ops, "read after call") >= 1, "{name}: read back: {ops:?}");
}

#[test]
fn flexswitch_cases_and_misses_see_the_frame_the_interpreter_expects() {
    let graphs = run_both("PROMOTE_LOOP", &[10, 3, 20], Budgets::default());
    assert!(graphs.iter().any(|(n, _)| n.contains("__case")), "cases were compiled");
    // Compiled again with the values met inline: the loop switches on them and keeps the
    // frame in registers (the miss paths write it back before calling the JIT).
    let looping: Vec<_> = graphs.iter().filter(|(_, ops)| count(ops, "int_lt") > 0).collect();
    assert!(!looping.is_empty(), "a residual loop: {graphs:?}");
    for (name, ops) in looping {
        for op in FRAME_OPS {
            assert_eq!(count(ops, op), 0, "{name}: {op} in the loop: {ops:?}");
        }
    }
}

#[test]
fn fallbacks_to_the_interpreter_see_the_frame_written_back() {
    // One case per promotion site at most: the other values fall back to the interpreter,
    // which continues on the frame in memory.
    let budgets = Budgets { max_cases: 1, max_inline_cases: 0, ..Budgets::default() };
    let graphs = run_both("PROMOTE_LOOP", &[10, 7, 2], budgets);
    assert!(graphs.iter().any(|(n, _)| n.contains("__fallback")), "fallbacks: {graphs:?}");
}

#[test]
fn a_tight_entry_budget_writes_the_frame_back_at_each_merge_and_agrees() {
    let budgets = Budgets { max_virtualizable_entries: 1, ..Budgets::default() };
    let graphs = run_both("HELPER_LOOP", &[10, 3], budgets);
    let (_, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    assert!(count(ops, "setarrayitem") > 0, "past the budget the loop writes its frame: {ops:?}");
}

/// The VM with boxed values (`boxed.rpy`): the frame's locals and stack hold objects, every
/// operation makes a new one.
const BOXED: &str = include_str!("virtualizable/boxed.rpy");

#[test]
fn boxed_values_in_the_frame_stay_virtual_and_the_loop_allocates_nothing() {
    let graphs = run_vm(BOXED, "HELPER_LOOP", &[10, 0, 1, 37], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    for op in FRAME_OPS.iter().chain(&["malloc", "typeof"]) {
        assert_eq!(count(ops, op), 0, "{name}: {op} in the loop: {ops:?}");
    }
    assert_eq!(count(ops, "call"), 1, "{name}: the one residual call: {ops:?}");
}

#[test]
fn an_index_not_known_at_compile_time_writes_the_array_back_and_reads_memory() {
    let graphs = run_both("DYNAMIC_LOOP", &[10, 0, 2, 31], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    // The local read at a run-time index is a residual read, after the locals are written
    // back (the three of them: i, n, acc); the stack stays in registers.
    assert_eq!(count(ops, "getarrayitem"), 1, "{name}: {ops:?}");
    assert_eq!(count(ops, "setarrayitem"), 3, "{name}: {ops:?}");
}

#[test]
fn without_the_declaration_the_same_loop_reads_and_writes_the_frame() {
    // The contrast: the heap cache alone flushes at merge points and before residual calls.
    let plain = VM.replace("virtualizable(depth, locals[*], stack[*])", "");
    let graphs = run_vm(&plain, "HELPER_LOOP", &[10, 3], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    let traffic: usize = FRAME_OPS.iter().map(|op| count(ops, op)).sum();
    assert!(traffic >= 4, "{name}: {ops:?}");
}
