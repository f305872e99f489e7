//! Translation of large programs: a generated program of a few thousand graphs translates at
//! O2, agrees with llinterp (results and runtime errors, across the hot and the cold part of
//! its code), loads from the object cache, and gets LLVM's optimiser on a number of graphs
//! the budget bounds whatever the program's size. (`cargo bench -p backend-llvm --bench
//! scale` measures the time and memory.)

use backend_llvm::target::{GRAPH_COST, OPTIMISE_BUDGET};
use backend_llvm::{stack, translate, translate_with, OptLevel, Options};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeError};

/// `n` chained graphs `f0` … `f{n-1}` (`f{i}(x) = f{i+1}(x) + 1`), the last calling `looped`
/// (a graph with a loop: hot, though only cold code calls it), which divides by its argument.
fn chain(n: usize) -> Program {
    let mut src = String::new();
    for i in 0..n {
        src.push_str(&format!("def f{i}(x: int) -> int:\n    return f{}(x) + 1\n", i + 1));
    }
    src.push_str(&format!("def f{n}(x: int) -> int:\n    return looped(x)\n"));
    src.push_str(
        "def looped(x: int) -> int:\n    i = 0\n    s = 0\n    while i < 3:\n        \
         s = s + 100 // x\n        i = i + 1\n    return s\n",
    );
    rpy_ir::front::compile("chain.rpy", &src).unwrap_or_else(|d| panic!("{d}"))
}

fn outcome(r: Result<RtValue, RuntimeError>) -> String {
    match r {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("error {:?} at {:?} in {}: {}", e.kind, e.span, e.graph, e.message),
    }
}

#[test]
fn thousands_of_graphs_translate_and_agree_with_llinterp() {
    let n = 3000;
    let program = chain(n);
    let mut t = translate(&program, OptLevel::O2).unwrap();
    let stats = t.stats().clone();
    assert_eq!(stats.graphs, n + 2);
    // The hot set is bounded by the budget, not by the program's size.
    let bound = OPTIMISE_BUDGET / GRAPH_COST + 1;
    let hot_graphs = stats.hot_graphs.expect("translated, not loaded");
    assert!(hot_graphs <= bound, "{hot_graphs} hot graphs, more than {bound}");
    assert!(hot_graphs > 100, "only {hot_graphs} hot graphs");
    let looped = program.graph_by_name("looped").unwrap();
    let want: Vec<String> = stack::run_on_big_stack(|| {
        let mut interp = Interp::new(&program);
        [1, 0, 7].iter().map(|&x| outcome(interp.call(looped, &[RtValue::Int(x)]))).collect()
    });
    for (x, want) in [1, 0, 7].into_iter().zip(&want) {
        assert_eq!(&outcome(t.call(looped, &[RtValue::Int(x)])), want, "looped({x})");
    }
    let f0 = program.graph_by_name("f0").unwrap();
    let want: Vec<String> = stack::run_on_big_stack(|| {
        let mut interp = Interp::new(&program);
        [1, 0].iter().map(|&x| outcome(interp.call(f0, &[RtValue::Int(x)]))).collect()
    });
    assert_eq!(want[0], format!("Int({})", 300 + n));
    assert!(want[1].starts_with("error DivisionByZero"), "{}", want[1]);
    for (x, want) in [1, 0].into_iter().zip(&want) {
        assert_eq!(&outcome(t.call(f0, &[RtValue::Int(x)])), want, "f0({x})");
    }
}

#[test]
fn the_hot_set_does_not_grow_with_the_program() {
    let small = translate(&chain(1000), OptLevel::O2).unwrap().stats().hot_graphs;
    let large = translate(&chain(2000), OptLevel::O2).unwrap().stats().hot_graphs;
    assert_eq!(small, large);
    // O0 compiles everything alike: one module.
    let all = translate(&chain(1000), OptLevel::O0).unwrap().stats().hot_graphs;
    assert_eq!(all, Some(1002));
}

#[test]
fn a_split_program_loads_from_the_object_cache() {
    let dir = std::env::temp_dir().join(format!("rpy-llvm-scale-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let program = chain(1500);
    let options = Options { cache_dir: Some(dir.clone()), ..Options::new(OptLevel::O2) };
    let mut cold = translate_with(&program, &options).unwrap();
    assert!(!cold.stats().cached);
    let mut warm = translate_with(&program, &options).unwrap();
    assert!(warm.stats().cached);
    for x in [2, 0] {
        let args = [RtValue::Int(x)];
        assert_eq!(outcome(cold.call("f0", &args)), outcome(warm.call("f0", &args)), "f0({x})");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
