//! TLC through the JIT on the IR-interpreter backend: the TLC interpreter (`tlc.rpy`) with the
//! portal `interp_eval` and PyPy's greens (bytecode, pc, constant pool), driven by
//! timeshift's JIT driver, against the same interpreter run by the IR interpreter.

use lang_tlc::runner::{encode_pool, NameTable};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::{JitDriver, LlinterpBackend};

fn source(name: &str) -> String {
    let path = format!("{}/../conformance/tlc/{name}.tlc.src", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

struct Setup {
    code: RtValue,
    pool: RtValue,
}

fn setup(interp: &mut Interp, name: &str) -> Setup {
    let p = interp.program();
    let tlc = lang_tlc::assemble(&source(name)).unwrap();
    let mut names = NameTable::default();
    let data: Vec<RtValue> = encode_pool(&tlc, &mut names).into_iter().map(RtValue::Int).collect();
    let load_pool = p.graph_by_name("load_pool").unwrap();
    let Ty::Ref(data_ty) = p.graphs[load_pool].params[0] else { panic!() };
    let code = interp.alloc_str_latin1(&tlc.code);
    let data = interp.alloc_array(data_ty, &data);
    let pool = interp.call(load_pool, &[data]).unwrap();
    Setup { code, pool }
}

fn args(interp: &mut Interp, input: i64) -> RtValue {
    let p = interp.program();
    let int_obj = p.types.struct_by_name("IntObj").unwrap();
    let obj = p.types.struct_by_name("Obj").unwrap();
    let arr = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if a.elem == Ty::Ref(obj) && !a.immutable))
        .unwrap()
        .0;
    let o = interp.alloc_struct(int_obj, &[RtValue::Int(input)]);
    interp.alloc_array(arr, &[o])
}

fn int_of(interp: &mut Interp, v: RtValue) -> i64 {
    let g = interp.program().graph_by_name("int_value").unwrap();
    match interp.call(g, &[v]).unwrap() {
        RtValue::Int(i) => i,
        other => panic!("{other:?}"),
    }
}

fn jit_agrees(name: &str, inputs: &[i64]) -> JitDriver<'static, LlinterpBackend> {
    let d = jit_agrees_with(name, inputs, timeshift::Budgets::default());
    for r in d.reports() {
        assert!(r.gave_up.is_none(), "{name}: {}: {:?}", r.what, r.gave_up);
    }
    d
}

/// Runs `name` on each input through the JIT (with `budgets`) and through the IR interpreter,
/// and requires the same result.
fn jit_agrees_with(
    name: &str,
    inputs: &[i64],
    budgets: timeshift::Budgets,
) -> JitDriver<'static, LlinterpBackend> {
    let program: &'static rpy_ir::ir::Program =
        Box::leak(Box::new(lang_tlc::Interpreter::compile().unwrap().rpy_program().clone()));
    let mut interp = Interp::new(program);
    let s = setup(&mut interp, name);
    let mut d = JitDriver::new(
        program,
        "interp_eval",
        &["code", "pc", "pool"],
        LlinterpBackend::new(program),
    )
    .unwrap();
    d.config.budgets = budgets;
    let eval = program.graph_by_name("interp_eval").unwrap();
    for &n in inputs {
        let a1 = args(&mut interp, n);
        let want = interp.call(eval, &[s.code, RtValue::Int(0), a1, s.pool]).unwrap();
        let a2 = args(&mut interp, n);
        let got = d
            .call(&[s.code, RtValue::Int(0), a2, s.pool])
            .unwrap_or_else(|e| panic!("{name}({n}): {e}"));
        assert_eq!(int_of(&mut interp, got), int_of(&mut interp, want), "{name}({n})");
    }
    d
}

#[test]
fn factorial_through_the_jit() {
    jit_agrees("factorial", &[5, 10, 1, 20]);
}

#[test]
fn fibonacci_through_the_jit() {
    jit_agrees("fibo", &[1, 2, 10, 30]);
}

#[test]
fn accumulator_through_the_jit() {
    jit_agrees("accumulator", &[0, 10, 100]);
}

/// Prints the residual graphs after factorial, or the program named by `TLC_SHOW` (inspection
/// aid: `--ignored --nocapture`).
#[test]
#[ignore]
fn show_factorial_residual_code() {
    use timeshift::Backend;
    let d = jit_agrees(&std::env::var("TLC_SHOW").unwrap_or("factorial".into()), &[20, 10]);
    let p = d.backend().program();
    for (g, graph) in p.graphs.iter() {
        if graph.name.contains("__") {
            println!("{}", rpy_ir::text::print_graph(&p, g));
        }
    }
}

/// TLC.md §6 (PyPy's own JIT check): `getattr` of a fresh object allocates at most once
/// (the boxed result) and makes no call: the attribute lookup unrolls to a constant index, and
/// the instance with its `values` array stays virtual.
#[test]
fn getattr_of_a_fresh_object_allocates_at_most_once_and_calls_nothing() {
    use timeshift::Backend;
    let d = jit_agrees("getattr", &[0, 1]);
    let p = d.backend().program();
    let mut mallocs = 0;
    for graph in p.graphs.values().filter(|g| g.name.contains("__")) {
        for op in graph.blocks.values().flat_map(|b| &b.ops) {
            let name = graph.ops[*op].opcode.info().name;
            assert!(
                !matches!(name, "call" | "call_indirect"),
                "{}: a call\n{}",
                graph.name,
                rpy_ir::text::print_graph(&p, p.graph_by_name(&graph.name).unwrap())
            );
            if name == "malloc" || name == "malloc_array" {
                mallocs += 1;
            }
        }
    }
    let text: Vec<String> = p
        .graphs
        .iter()
        .filter(|(_, g)| g.name.contains("__"))
        .map(|(g, _)| rpy_ir::text::print_graph(&p, g))
        .collect();
    assert!(mallocs <= 1, "{mallocs} allocations:\n{}", text.join("\n"));
}

/// The blocks of `graph` on a cycle (reachable from themselves), in block order: the
/// residual loops.
fn loop_blocks(graph: &rpy_ir::ir::Graph) -> Vec<rpy_ir::ir::Block> {
    use rpy_ir::flow::{Dominators, Flow, Loops};
    let flow = Flow::new(graph);
    let loops = Loops::new(&flow, &Dominators::new(&flow));
    graph.blocks.keys().filter(|&b| loops.depth(b) > 0).collect()
}

/// What the residual loops of a driver's compiled code hold: per residual graph with a loop,
/// the op names inside its loop blocks (ops after a loop's exit are not counted).
fn loop_ops(d: &JitDriver<'static, LlinterpBackend>) -> Vec<(String, Vec<&'static str>)> {
    use timeshift::Backend;
    let p = d.backend().program();
    let mut out = Vec::new();
    for graph in p.graphs.values().filter(|g| g.name.contains("__")) {
        let blocks = loop_blocks(graph);
        if blocks.is_empty() {
            continue;
        }
        let ops = blocks
            .iter()
            .flat_map(|b| &graph.blocks[*b].ops)
            .map(|op| graph.ops[*op].opcode.info().name)
            .collect();
        out.push((graph.name.clone(), ops));
    }
    out
}

/// Asserts that `name`'s compiled loops exist, compute with `op`, and neither allocate nor
/// call: the stack values stay virtual around the loop (the boxed result is allocated once,
/// after the loop's exit).
fn assert_loops_do_not_allocate(name: &str, inputs: &[i64], op: &str) {
    use timeshift::Backend;
    let d = jit_agrees(name, inputs);
    let loops = loop_ops(&d);
    let p = d.backend().program();
    let text = || {
        let all: Vec<String> = p
            .graphs
            .iter()
            .filter(|(_, g)| g.name.contains("__"))
            .map(|(g, _)| rpy_ir::text::print_graph(&p, g))
            .collect();
        all.join("\n")
    };
    assert!(
        loops.iter().any(|(_, ops)| ops.contains(&op)),
        "{name}: no loop with {op}\n{}",
        text()
    );
    for (graph, ops) in &loops {
        for bad in ["malloc", "malloc_array", "call", "call_indirect", "jit_hook"] {
            assert!(!ops.contains(&bad), "{name}: {bad} in the loop of {graph}\n{}", text());
        }
    }
}

/// TLC.md §6 / DESIGN.md §9: after warm-up, factorial's loop runs in residual code without
/// boxing: no allocation and no call inside the loop.
#[test]
fn factorial_loop_neither_allocates_nor_calls() {
    assert_loops_do_not_allocate("factorial", &[5, 20, 10], "int_mul");
}

#[test]
fn fibonacci_loop_neither_allocates_nor_calls() {
    assert_loops_do_not_allocate("fibo", &[5, 30, 10], "int_add");
}

#[test]
fn accumulator_loop_neither_allocates_nor_calls() {
    assert_loops_do_not_allocate("accumulator", &[5, 100, 10], "int_add");
}

/// Tight budgets make flexswitch cases give up inside the TLC interpreter (and one case per
/// promotion site leaves the other values to the switch's fallback): the fallbacks — the rest
/// of the portal call in the interpreter's graphs, entered in the middle — still agree with the
/// interpreter. (3 and 5 ops: the portal's first graph fits, a case does not — at 2 the
/// portal's graph itself gives up, and the whole call runs in the interpreter; the others
/// leave some cases whole.)
#[test]
fn tight_budgets_fall_back_to_the_interpreter_and_agree() {
    let mut fallbacks = 0;
    for max_residual_ops in [3, 5, 8, 15, 25] {
        let budgets =
            timeshift::Budgets { max_residual_ops, max_cases: 1, ..timeshift::Budgets::default() };
        for (name, inputs) in
            [("factorial", &[5, 10, 1][..]), ("fibo", &[1, 2, 10]), ("accumulator", &[0, 10, -3])]
        {
            let d = jit_agrees_with(name, inputs, budgets);
            fallbacks += d.reports().iter().filter(|r| r.what.contains("fallback")).count();
        }
    }
    assert!(fallbacks >= 3, "only {fallbacks} fallbacks");
}

/// A TLC result as text, read through the interpreter's accessors (`None`: the error kind).
fn show(interp: &mut Interp, v: RtValue) -> String {
    let p = interp.program();
    let call = |interp: &mut Interp, f: &str, args: &[RtValue]| {
        interp.call(p.graph_by_name(f).unwrap(), args).unwrap()
    };
    if matches!(v, RtValue::Ref(r) if r.is_null()) {
        let kind = call(interp, "error_kind", &[]);
        return format!("error {}", rpy_ir::runtime::str_text(kind).unwrap());
    }
    match call(interp, "obj_kind", &[v]) {
        RtValue::Int(0) => int_of(interp, v).to_string(),
        RtValue::Int(1) => "nil".into(),
        RtValue::Int(2) => {
            let car = call(interp, "cons_car", &[v]);
            let cdr = call(interp, "cons_cdr", &[v]);
            format!("({} . {})", show(interp, car), show(interp, cdr))
        }
        _ => {
            let RtValue::Int(n) = call(interp, "instance_size", &[v]) else { panic!() };
            let items: Vec<String> = (0..n)
                .map(|i| {
                    let x = call(interp, "instance_value", &[v, RtValue::Int(i)]);
                    show(interp, x)
                })
                .collect();
            format!("<object {}>", items.join(" "))
        }
    }
}

/// Every conformance case through the JIT with budgets so tight that flexswitch cases give up
/// all over the interpreter (and each promotion site compiles one case): the fallbacks agree
/// with the IR interpreter on every result and error.
#[test]
fn every_conformance_case_agrees_under_tight_budgets() {
    let program: &'static rpy_ir::ir::Program =
        Box::leak(Box::new(lang_tlc::Interpreter::compile().unwrap().rpy_program().clone()));
    let cases = std::fs::read_to_string(format!(
        "{}/../conformance/tlc/cases.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let eval = program.graph_by_name("interp_eval").unwrap();
    let clear = program.graph_by_name("clear_error").unwrap();
    let mut fallbacks = 0;
    let mut checked = 0;
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut parts = line.split_whitespace();
        let (name, input) = (parts.next().unwrap(), parts.next().unwrap().parse::<i64>().unwrap());
        for max_residual_ops in [15, 60] {
            let mut interp = Interp::new(program);
            let s = setup(&mut interp, name);
            let mut d = JitDriver::new(
                program,
                "interp_eval",
                &["code", "pc", "pool"],
                LlinterpBackend::with_prebuilt(program, &interp.prebuilt_words()),
            )
            .unwrap();
            d.config.budgets =
                timeshift::Budgets { max_residual_ops, max_cases: 1, ..Default::default() };
            interp.call(clear, &[]).unwrap();
            let a1 = args(&mut interp, input);
            let want = interp.call(eval, &[s.code, RtValue::Int(0), a1, s.pool]).unwrap();
            let want = show(&mut interp, want);
            interp.call(clear, &[]).unwrap();
            let a2 = args(&mut interp, input);
            let got = d
                .call(&[s.code, RtValue::Int(0), a2, s.pool])
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            let got = show(&mut interp, got);
            assert_eq!(got, want, "{line} ({max_residual_ops} residual ops)");
            fallbacks += d.reports().iter().filter(|r| r.what.contains("fallback")).count();
        }
        checked += 1;
    }
    assert!(checked >= 170, "only {checked} cases");
    assert!(fallbacks >= 10, "only {fallbacks} fallbacks");
}

/// Runs several programs, in order, through ONE JIT driver (other green keys: other code
/// strings and pools), each result checked against the IR interpreter. Returns the driver and,
/// per program, the residual graph compiled for its key.
fn jit_agrees_in_one_driver(
    programs: &[(&str, &[i64])],
) -> (JitDriver<'static, LlinterpBackend>, Vec<rpy_ir::ir::GraphIdx>) {
    use timeshift::Backend;
    let program: &'static rpy_ir::ir::Program =
        Box::leak(Box::new(lang_tlc::Interpreter::compile().unwrap().rpy_program().clone()));
    let mut interp = Interp::new(program);
    let d = JitDriver::new(
        program,
        "interp_eval",
        &["code", "pc", "pool"],
        LlinterpBackend::with_prebuilt(program, &interp.prebuilt_words()),
    )
    .unwrap();
    let eval = program.graph_by_name("interp_eval").unwrap();
    let mut keys = Vec::new();
    for (name, inputs) in programs {
        let s = setup(&mut interp, name);
        let before = d.backend().program().graphs.len();
        for &n in *inputs {
            let a1 = args(&mut interp, n);
            let want = interp.call(eval, &[s.code, RtValue::Int(0), a1, s.pool]).unwrap();
            let a2 = args(&mut interp, n);
            let got = d
                .call(&[s.code, RtValue::Int(0), a2, s.pool])
                .unwrap_or_else(|e| panic!("{name}({n}): {e}"));
            assert_eq!(int_of(&mut interp, got), int_of(&mut interp, want), "{name}({n})");
        }
        let p = d.backend().program();
        let key = p
            .graphs
            .iter()
            .skip(before)
            .find(|(_, g)| g.name.contains("__jit"))
            .map(|(g, _)| g)
            .unwrap_or_else(|| panic!("{name}: no graph compiled for its key"));
        keys.push(key);
    }
    for r in d.reports() {
        assert!(r.gave_up.is_none(), "{}: {:?}", r.what, r.gave_up);
    }
    (d, keys)
}

/// The residual graphs reachable from `root` through calls (cases, entry graphs).
fn reachable_graphs(
    p: &rpy_ir::ir::Program,
    root: rpy_ir::ir::GraphIdx,
) -> Vec<rpy_ir::ir::GraphIdx> {
    let mut seen = vec![root];
    let mut work = vec![root];
    while let Some(g) = work.pop() {
        let graph = &p.graphs[g];
        for od in graph.ops.values() {
            if let rpy_ir::ir::Aux::Graph(callee) = od.aux {
                if p.graphs[callee].name.contains("__") && !seen.contains(&callee) {
                    seen.push(callee);
                    work.push(callee);
                }
            }
        }
    }
    seen
}

/// Asserts that the loops of the residual graphs reachable from `key` compute with `op` and
/// neither allocate nor call.
fn assert_key_loops_do_not_allocate(
    d: &JitDriver<'static, LlinterpBackend>,
    name: &str,
    key: rpy_ir::ir::GraphIdx,
    op: &str,
) {
    use timeshift::Backend;
    let p = d.backend().program();
    let graphs = reachable_graphs(&p, key);
    let text = || {
        let all: Vec<String> = graphs.iter().map(|g| rpy_ir::text::print_graph(&p, *g)).collect();
        all.join("\n")
    };
    let mut computes = false;
    for g in &graphs {
        let graph = &p.graphs[*g];
        let ops: Vec<&str> = loop_blocks(graph)
            .iter()
            .flat_map(|b| &graph.blocks[*b].ops)
            .map(|op| graph.ops[*op].opcode.info().name)
            .collect();
        computes |= ops.contains(&op);
        for bad in ["malloc", "malloc_array", "call", "call_indirect", "jit_hook"] {
            assert!(!ops.contains(&bad), "{name}: {bad} in the loop of {}\n{}", graph.name, text());
        }
    }
    assert!(computes, "{name}: no loop with {op}\n{}", text());
}

/// Other programs compiled first by the same driver (other green keys) must not make a
/// program's loops worse: per-key state (values met at promotion sites, entry graphs, version
/// budgets) does not leak across keys.
#[test]
fn loops_stay_tight_when_one_driver_runs_several_programs() {
    let (fact, fibo, acc) = (
        ("factorial", &[10, 100_000][..], "int_mul"),
        ("fibo", &[10, 100_000][..], "int_add"),
        ("accumulator", &[10, 100_000, 100_000][..], "int_add"),
    );
    for order in [[fact, fibo, acc], [acc, fact, fibo], [fibo, acc, fact]] {
        let programs: Vec<(&str, &[i64])> = order.iter().map(|(n, i, _)| (*n, *i)).collect();
        let (d, keys) = jit_agrees_in_one_driver(&programs);
        for ((name, _, op), key) in order.iter().zip(keys) {
            assert_key_loops_do_not_allocate(&d, name, key, op);
        }
    }
}

/// Accumulator with inputs of both signs: its two paths (two classes, `add` and `count`) meet
/// at the loop's merge point in one graph, where the object's class becomes a variable. The
/// class promoted in the loop is then a constant in the object again (the promoted variable is
/// replaced everywhere), so the back edge matches the loop's version and nothing is boxed.
#[test]
fn accumulator_with_both_signs_keeps_its_loops_tight() {
    let (d, keys) =
        jit_agrees_in_one_driver(&[("accumulator", &[-10, 10, 100_000, -100_000, 100_000][..])]);
    assert_key_loops_do_not_allocate(&d, "accumulator", keys[0], "int_add");
}

/// Compilations split at the global merge point (`Budgets::split_ops`, timeshift's
/// `rainbow/split.rs`) when they are this small: the paper's programs are cut into many
/// graphs, their loops cut into pieces, and still agree with the interpreter; the loops close
/// through the split entries (the compilations do not grow with the iterations), and nothing
/// gives up.
#[test]
fn tiny_split_sizes_cut_loops_into_graphs_that_close_and_agree() {
    for split_ops in [4, 12, 40] {
        let mut splits = 0;
        for (name, inputs) in [
            ("factorial", &[5, 10, 300][..]),
            ("fibo", &[1, 10, 300]),
            ("accumulator", &[0, 10, 300]),
        ] {
            let budgets = timeshift::Budgets { split_ops, ..timeshift::Budgets::default() };
            let d = jit_agrees_with(name, inputs, budgets);
            let reports = d.reports();
            for r in &reports {
                assert!(r.gave_up.is_none(), "{name} ({split_ops}): {}: {:?}", r.what, r.gave_up);
            }
            assert!(
                reports.len() <= 120,
                "{name} ({split_ops}): {} compilations for 300 iterations",
                reports.len()
            );
            splits += reports.iter().map(|r| r.stats.splits).sum::<usize>();
        }
        assert!(splits >= 3, "split size {split_ops}: only {splits} splits");
    }
}
