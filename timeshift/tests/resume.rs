//! Fallbacks of the portal frame on the IR-interpreter backend (`timeshift::resume`): the
//! continuation is cut at the global merge point and calls one shared copy of the
//! interpreter loop; the asks of `JitConfig::resume` are no-ops there (llinterp answers no
//! `jit_merge`), so the shared continuation runs to the end. Every result agrees with the
//! interpreter, with and without asks. (Resuming itself needs a backend that answers
//! `jit_merge`: `backend-llvm/tests/resume.rs`.)

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::{Backend, Budgets, JitConfig, JitDriver, LlinterpBackend};

/// A loop whose one promotion site meets four values (shared with backend-llvm's test).
const VM: &str = include_str!("programs/promote_loop.rpy");

/// Runs the loop for several `x` with one case at the promotion site (the other values take
/// the generic fallback), each result checked against the IR interpreter; the driver after.
fn run(p: &Program, resume: bool) -> JitDriver<'_, LlinterpBackend> {
    let config = JitConfig {
        budgets: Budgets { max_cases: 1, ..Budgets::default() },
        resume,
        resume_deferred: resume,
        ..JitConfig::default()
    };
    let d = JitDriver::with_backend(p, "run", &["code"], config, |_| Ok(LlinterpBackend::new(p)))
        .unwrap();
    let mut interp = Interp::new(p);
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if a.elem == Ty::Int))
        .unwrap()
        .0;
    let items: Vec<RtValue> = [1, 2, 3, 0, 4].iter().map(|&i| RtValue::Int(i)).collect();
    let code = interp.alloc_array(at, &items);
    let g = p.graph_by_name("run").unwrap();
    for x in [10, 7, 0, 300] {
        let want = interp.call(g, &[code, RtValue::Int(x)]).unwrap();
        assert_eq!(d.call(&[code, RtValue::Int(x)]).unwrap(), want, "x = {x} (resume {resume})");
    }
    d
}

/// Op counts of the compiled graphs whose name ends with `suffix`, and whether any of them
/// holds a `jit_merge` (an ask).
fn graphs_ending(d: &JitDriver<LlinterpBackend>, suffix: &str) -> (Vec<usize>, bool) {
    let prog = d.backend().program();
    let graphs: Vec<_> = prog.graphs.values().filter(|g| g.name.ends_with(suffix)).collect();
    let sizes = graphs.iter().map(|g| g.blocks.values().map(|b| b.ops.len()).sum()).collect();
    let asks = graphs.iter().any(|g| g.ops.values().any(|o| o.opcode == Opcode::JitMerge));
    (sizes, asks)
}

#[test]
fn a_portal_fallback_is_cut_at_the_merge_point_and_shares_the_interpreter_loop() {
    let p = rpy_ir::front::compile("promote_loop.rpy", VM).unwrap_or_else(|d| panic!("{d}"));
    for resume in [false, true] {
        let d = run(&p, resume);
        assert_eq!(d.resumes(), 0, "llinterp answers no ask");
        let (shared, shared_asks) = graphs_ending(&d, "_shared");
        let (cuts, cut_asks) = graphs_ending(&d, "_cut");
        assert_eq!(shared.len(), 1, "one shared continuation: {shared:?}");
        assert!(!cuts.is_empty(), "a cut continuation");
        assert!(cuts.iter().all(|&n| n < shared[0]), "cuts {cuts:?}, shared {shared:?}");
        assert_eq!((shared_asks, cut_asks), (resume, resume), "asks only with resume");
    }
}
