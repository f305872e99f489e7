//! Direct entries at a tiered interpreter's merge point (`backend-llvm/src/jit/direct.rs`):
//! once the driver has entered a key's compiled code, later visits of the key enter it
//! through the backend alone (no trip through the driver), with the same results. The
//! portal is called many times from the interpreter (as a guest function called from a
//! loop is), each call's first visit at the same key.

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::tiering::tiered;
use timeshift::{Backend, JitConfig, JitDriver};

const VM: &str = include_str!("../../timeshift/tests/programs/vm.rpy");

/// `run` (the portal) called `n` times from a loop of the interpreter.
const CALLS: &str = "
def calls(code: array[int], n: int) -> int:
    total = 0
    i = 0
    while i < n:
        total += run(code, i % 7)
        i += 1
    return total
";

/// Calls made by each run.
const CALLS_N: i64 = 4000;

/// Runs `calls` through the tiered interpreter, the merge points answered by the driver
/// (with direct entries if `direct`): the result (checked against the IR interpreter's), the
/// direct entries made and the compilations at the merge point.
fn run(direct: bool) -> (RtValue, u64, usize) {
    let src = format!("{VM}{CALLS}");
    let p: &'static Program = Box::leak(Box::new(
        rpy_ir::front::compile("calls.rpy", &src).unwrap_or_else(|d| panic!("{d}")),
    ));
    let d = JitDriver::with_backend(p, "run", &["code"], JitConfig::default(), |mp| {
        let t = translate(&tiered(p, mp.expect("a merge point")), OptLevel::O0)
            .map_err(|e| e.to_string())?;
        Ok(JitBackend::new(t, JitOptions::default()))
    })
    .unwrap();
    let mp = d.merge_point().unwrap().clone();
    let types: Vec<Ty> = mp.greens.iter().chain(&mp.reds).map(|(_, t)| *t).collect();
    let (run, calls) = (p.graph_by_name("run").unwrap(), p.graph_by_name("calls").unwrap());
    let mut interp = Interp::new(p);
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if !a.immutable && a.elem == Ty::Int))
        .unwrap()
        .0;
    // acc += x while x > 0 (x decremented each time).
    let items: Vec<RtValue> = [1, 2, 5, 4, 0, 6].iter().map(|&i| RtValue::Int(i)).collect();
    let code = interp.alloc_array(at, &items);
    let args = [code, RtValue::Int(CALLS_N)];
    let want = interp.call(calls, &args).unwrap();
    let entry = |values: &[RtValue], visits: u64| d.enter_at_merge_point(values, visits);
    let ret = p.graphs[run].ret;
    let backend = d.backend();
    let go = || backend.call_interpreter(calls, &args);
    let got = if direct {
        let hook = d.miss_hook();
        backend.with_merge_entry_direct(&types, ret, &entry, &hook, go)
    } else {
        backend.with_merge_entry(&types, ret, &entry, go)
    };
    assert_eq!(got.unwrap(), want, "direct entries: {direct}");
    let hot = d.reports().iter().filter(|r| r.what.contains("hot at the merge point")).count();
    (want, backend.direct_entries(), hot)
}

#[test]
fn a_key_entered_by_the_driver_is_then_entered_directly() {
    let (_, none, hot_before) = run(false);
    assert_eq!(none, 0, "no direct entries without the driver's hook");
    let (_, direct, hot) = run(true);
    assert!(hot >= 1 && hot == hot_before, "the same compilations: {hot} vs {hot_before}");
    // The key gets hot after ~1000 visits (one per call): most later calls enter directly.
    assert!(
        direct >= (CALLS_N as u64) / 2,
        "{direct} of {CALLS_N} calls entered compiled code directly"
    );
}
