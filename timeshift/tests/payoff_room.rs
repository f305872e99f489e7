//! The payoff model's room (`timeshift/src/payoff.rs`, `driver/room.rs`): with `Payoff::fit`,
//! an entry compilation at a hot merge point runs with its op budget cut to the credit left;
//! one that needs more is deferred before the backend sees it (no compilation reported) and
//! tried again once the room has doubled; without `fit`, a compilation starting within the
//! credit may overdraw it (TLC's model).

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::payoff::Payoff;
use timeshift::{JitDriver, LlinterpBackend};

/// A small bytecode interpreter (`programs/vm.rpy`, shared with the tiering tests).
const VM: &str = include_str!("programs/vm.rpy");

fn program() -> &'static Program {
    let p = rpy_ir::front::compile("vm.rpy", VM).unwrap_or_else(|d| panic!("{d}"));
    Box::leak(Box::new(p))
}

/// A driver over `vm.rpy` hot at the first visit with `payoff`, the merge point's values for
/// `acc += x; x -= 1; while x > 0` with x = 10 at pc 0, and the result of the whole call.
fn setup(payoff: Payoff) -> (JitDriver<'static, LlinterpBackend>, Vec<RtValue>, RtValue) {
    let p = program();
    let mut d = JitDriver::new(p, "run", &["code"], LlinterpBackend::new(p)).unwrap();
    d.config.hot_merges = 1;
    d.config.payoff = payoff;
    let mp = d.merge_point().expect("a global merge point").clone();
    let mut interp = Interp::new(p);
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if !a.immutable && a.elem == Ty::Int))
        .unwrap()
        .0;
    let items: Vec<RtValue> = [1, 2, 5, 4, 0, 6].iter().map(|&i| RtValue::Int(i)).collect();
    let c = interp.alloc_array(at, &items);
    let want = interp.call(p.graph_by_name("run").unwrap(), &[c, RtValue::Int(10)]).unwrap();
    let g = &p.graphs[mp.graph];
    let value = |v: rpy_ir::ir::Var| -> RtValue {
        match g.vars[v].name.as_deref().unwrap_or("") {
            n if n.starts_with("code") => c,
            n if n.starts_with('x') => RtValue::Int(10),
            n if n.starts_with("stack") => RtValue::Ref(std::ptr::null_mut()),
            _ => RtValue::Int(0),
        }
    };
    let values = mp.greens.iter().chain(&mp.reds).map(|(v, _)| value(*v)).collect();
    (d, values, want)
}

#[test]
fn a_compilation_larger_than_the_room_is_deferred_before_the_backend_and_fits_later() {
    let (d, values, want) = setup(Payoff { free_ops: 0, visits_per_op: 10, fit: true });
    // 10 visits pay for 1 op: the entry graph needs more, so nothing reaches the backend.
    assert_eq!(d.enter_at_merge_point(&values, 10).unwrap(), None, "room 1: deferred");
    assert!(d.reports().is_empty(), "nothing compiled: {:?}", d.reports());
    // The room must double (2) before the next try; 10 more visits make it 2.
    assert_eq!(d.enter_at_merge_point(&values, 10).unwrap(), None, "room 2: deferred");
    assert!(d.reports().is_empty());
    // Plenty of work observed: it fits, is compiled once and runs the rest of the call.
    assert_eq!(d.enter_at_merge_point(&values, 100_000).unwrap(), Some(want), "fits");
    let reports = d.reports();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(reports[0].gave_up.is_none() && reports[0].stats.residual_ops > 2, "{reports:?}");
    assert!(reports[0].stats.residual_ops <= 10_002, "within the room: {reports:?}");
}

#[test]
fn without_fit_a_compilation_within_the_credit_may_overdraw_it() {
    let (d, values, want) = setup(Payoff { free_ops: 0, visits_per_op: 10, fit: false });
    assert_eq!(d.enter_at_merge_point(&values, 10).unwrap(), Some(want), "compiled at once");
    let reports = d.reports();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(reports[0].stats.residual_ops > 1, "more than the credit of 1: {reports:?}");
}
