//! Fallbacks of the portal frame (`timeshift::resume`): a tiered bytecode loop whose body
//! promotes a value with more values than its site takes cases for, so iterations leave
//! compiled code through the switch's generic fallback. Its continuation is cut at the
//! global merge point (the rest of one instruction) and calls the one shared copy of the
//! interpreter loop; with `JitConfig::resume`, the continuation asks the JIT there and
//! compiled code takes over again, many times. Every run agrees with the IR interpreter.

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::tiering::tiered;
use timeshift::{Backend, Budgets, JitConfig, JitDriver};

/// A loop whose one promotion site meets four values (shared with timeshift's test).
const VM: &str = include_str!("../../timeshift/tests/programs/promote_loop.rpy");

fn program() -> &'static Program {
    Box::leak(Box::new(
        rpy_ir::front::compile("promote_loop.rpy", VM).unwrap_or_else(|d| panic!("{d}")),
    ))
}

/// Runs the loop for several `x` through the tiered interpreter with one case at the
/// promotion site (three of the four values take the generic fallback), checking each result
/// against the IR interpreter; the driver afterwards.
fn run_tiered(resume: bool) -> JitDriver<'static, JitBackend> {
    let p = program();
    let config = JitConfig {
        budgets: Budgets { max_cases: 1, ..Budgets::default() },
        resume,
        ..JitConfig::default()
    };
    let d = JitDriver::with_backend(p, "run", &["code"], config, |mp| {
        let t = translate(&tiered(p, mp.expect("a merge point")), OptLevel::O0)
            .map_err(|e| e.to_string())?;
        Ok(JitBackend::new(t, JitOptions::default()))
    })
    .unwrap();
    let mp = d.merge_point().unwrap().clone();
    let types: Vec<Ty> = mp.greens.iter().chain(&mp.reds).map(|(_, t)| *t).collect();
    let run = p.graph_by_name("run").unwrap();
    let mut interp = Interp::new(p);
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if a.elem == Ty::Int))
        .unwrap()
        .0;
    let items: Vec<RtValue> = [1, 2, 3, 0, 4].iter().map(|&i| RtValue::Int(i)).collect();
    let code = interp.alloc_array(at, &items);
    let entry = |values: &[RtValue], visits: u64| d.enter_at_merge_point(values, visits);
    for x in [10, 50_000, 3, 200_000] {
        let want = interp.call(run, &[code, RtValue::Int(x)]).unwrap();
        let got = d.backend().with_merge_entry(&types, p.graphs[run].ret, &entry, || {
            d.backend().call_interpreter(run, &[code, RtValue::Int(x)])
        });
        assert_eq!(Ok(want), got.map_err(|e| e.to_string()), "x = {x}");
    }
    d
}

#[test]
fn compiled_code_takes_over_again_after_a_generic_fallback_and_agrees() {
    let d = run_tiered(true);
    let fallbacks = d.reports().iter().filter(|r| r.what.contains("fallback")).count();
    assert!(fallbacks >= 1, "a generic fallback: {:?}", d.reports());
    // Three iterations in four reach the fallback in compiled code; each fallback interprets
    // at least one ask interval (64 visits of the loop head's counter) before resuming:
    // some 260 000 iterations resume a few thousand times.
    assert!(d.resumes() > 1_000, "resumed {} times", d.resumes());
}

#[test]
fn a_fallback_compiles_the_rest_of_one_instruction_and_shares_the_interpreter_loop() {
    let d = run_tiered(false);
    assert_eq!(d.resumes(), 0);
    let prog = d.backend().program();
    // (Hot-tier copies of a graph are named after it with a suffix.)
    let named = |part: &str| -> Vec<usize> {
        prog.graphs
            .values()
            .filter(|g| g.name.ends_with(part))
            .map(|g| g.blocks.values().map(|b| b.ops.len()).sum())
            .collect()
    };
    let (shared, cuts) = (named("_shared"), named("_cut"));
    assert_eq!(shared.len(), 1, "one shared continuation: {shared:?}");
    assert!(!cuts.is_empty(), "a cut continuation");
    // The cut holds the rest of the promoting instruction (a few ops); the shared one the
    // interpreter's loop.
    assert!(cuts.iter().all(|&n| n < shared[0] && n < 30), "cuts {cuts:?}, shared {shared:?}");
}
