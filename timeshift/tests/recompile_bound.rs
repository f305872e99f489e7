//! The bound on a graph compiled again with the cases met inline
//! ([`Budgets::max_recompile_ops`]): past it, the graph is compiled again without them, as it
//! was first; results stay the interpreter's either way.

#[allow(dead_code)]
mod common;

use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{Budgets, JitConfig, JitDriver, LlinterpBackend};

const PROMOTE_IN_LOOP: &str = "
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        k = hint(i % 3, promote=True)
        s = s * 2 + k + x
        i += 1
    return s
";

/// Runs `f` on a few arguments twice through a driver with `budgets`, checking each result
/// against the IR interpreter; returns, per graph compiled again with the cases met inline,
/// its residual ops when first compiled and when compiled again.
fn recompiled_sizes(budgets: Budgets) -> Vec<(usize, usize)> {
    let p = common::compile_program(PROMOTE_IN_LOOP);
    let config = JitConfig { budgets, ..JitConfig::default() };
    let backend = LlinterpBackend::new(&p);
    let d = JitDriver::with_backend(&p, "f", &[], config, |_| Ok(backend)).unwrap();
    let f = p.graph_by_name("f").unwrap();
    for _ in 0..2 {
        for (n, x) in [(10, 2), (20, -1), (0, 5), (3, 3)] {
            let args = [RtValue::Int(n), RtValue::Int(x)];
            let want = Interp::new(&p).call(f, &args).unwrap();
            assert_eq!(d.call(&args).unwrap(), want, "f({n}, {x})");
        }
    }
    let reports = d.reports();
    let name = |what: &str| what.split(' ').next().unwrap_or_default().to_string();
    let again = reports.iter().filter(|r| r.what.contains("cases met inline"));
    again
        .map(|r| {
            let first = reports
                .iter()
                .find(|o| name(&o.what) == name(&r.what) && !o.what.contains("again"))
                .unwrap_or_else(|| panic!("no first compilation of {}", r.what));
            (first.stats.residual_ops, r.stats.residual_ops)
        })
        .collect()
}

#[test]
fn past_the_bound_a_graph_is_compiled_again_without_the_cases_met() {
    // Under the bound, a graph compiled again grows by the cases met, switched on inline.
    let sizes = recompiled_sizes(Budgets::default());
    assert!(sizes.iter().any(|(first, again)| again > first), "{sizes:?}");
    // Past it, each is compiled again as it was first.
    let sizes = recompiled_sizes(Budgets { max_recompile_ops: 1, ..Budgets::default() });
    assert!(!sizes.is_empty(), "nothing compiled again");
    assert!(sizes.iter().all(|(first, again)| again == first), "{sizes:?}");
}
