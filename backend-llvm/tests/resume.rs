//! Fallbacks of the portal frame (`timeshift::resume`): a tiered bytecode loop whose body
//! promotes a value with more values than its site takes cases for, so iterations leave
//! compiled code through the switch's generic fallback. Its continuation is cut at the
//! global merge point (the rest of one instruction) and calls the one shared copy of the
//! interpreter loop; with `JitConfig::resume`, the continuation asks the JIT there and
//! compiled code takes over again, many times; with `JitConfig::resume_deferred` (the
//! default), a case the payoff model deferred is compiled once the work pays for it. Every
//! run agrees with the IR interpreter.

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::payoff::Payoff;
use timeshift::tiering::{tiered, tiered_with_shared_continuation};
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
    let config = JitConfig {
        budgets: Budgets { max_cases: 1, ..Budgets::default() },
        resume,
        resume_deferred: resume,
        ..JitConfig::default()
    };
    run_with(config, &[10, 50_000, 3, 200_000])
}

/// Runs the loop for each of `xs` through the tiered interpreter with `config`, checking each
/// result against the IR interpreter; the driver afterwards.
fn run_with(config: JitConfig, xs: &[i64]) -> JitDriver<'static, JitBackend> {
    run_translated(config, xs, false)
}

/// [`run_with`], the interpreter translated with its shared continuation if `shared`
/// (`timeshift::tiering::tiered_with_shared_continuation`).
fn run_translated(config: JitConfig, xs: &[i64], shared: bool) -> JitDriver<'static, JitBackend> {
    let p = program();
    let d = JitDriver::with_backend(p, "run", &["code"], config, |mp| {
        let mp = mp.expect("a merge point");
        let tiered = if shared { tiered_with_shared_continuation(p, mp) } else { tiered(p, mp) };
        let t = translate(&tiered, OptLevel::O0).map_err(|e| e.to_string())?;
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
    for &x in xs {
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

/// A payoff model that compiles the loop and one case at once, then pays one more residual
/// op per 1 000 visits: the promotion site's other values are deferred first.
fn deferring(resume_deferred: bool) -> JitConfig {
    let payoff = Payoff { free_ops: 7, visits_per_op: 1_000, fit: false };
    JitConfig { payoff, resume_deferred, ..JitConfig::default() }
}

/// The values each flexswitch of `d`'s run got a compiled case for (fallbacks not counted),
/// the switch with most first.
fn case_values(d: &JitDriver<'static, JitBackend>) -> Vec<Vec<i64>> {
    let mut per: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    for r in d.reports().iter().filter(|r| r.gave_up.is_none()) {
        let Some(at) = r.what.find("(flexswitch #") else { continue };
        let (switch, value) = r.what[at..].split_once(", value ").unwrap();
        let value = value.trim_end_matches(')').parse().unwrap();
        per.entry(switch.to_string()).or_default().push(value);
    }
    let mut v: Vec<Vec<i64>> = per.into_values().collect();
    v.iter_mut().for_each(|vals| vals.sort());
    v.sort_by_key(|vals| std::cmp::Reverse(vals.len()));
    v
}

#[test]
fn a_deferred_case_is_compiled_once_the_work_pays_for_it() {
    // One portal call of 400 000 iterations. A deferred case sends the loop to the shared
    // continuation, which without `resume_deferred` runs the rest of the call: the site's
    // deferred values never get a case. With it, the continuation's asks count the work and
    // resume compiled code once it pays, which meets the value again and compiles its case.
    let stuck = run_with(deferring(false), &[400_000]);
    assert_eq!(stuck.resumes(), 0);
    assert!(case_values(&stuck)[0].len() < 4, "{:?}", case_values(&stuck));
    let resumed = run_with(deferring(true), &[400_000]);
    assert!(resumed.resumes() >= 1);
    assert_eq!(case_values(&resumed)[0], [0, 1, 2, 3]);
}

#[test]
fn the_shared_continuation_translated_with_the_interpreter_is_called_not_compiled() {
    // The interpreter translated with its shared continuation: fallbacks' cut continuations
    // call that copy (no residual graph of it is compiled), its asks count the work, and the
    // deferred case is compiled once it pays, as with a compiled copy.
    let d = run_translated(deferring(true), &[400_000], true);
    let prog = d.backend().program();
    let translated = d.backend().translated().program().graphs.len();
    let shared: Vec<usize> = prog
        .graphs
        .iter()
        .filter(|(_, g)| g.name.ends_with("_shared"))
        .map(|(i, _)| i.as_u32() as usize)
        .collect();
    assert_eq!(shared.len(), 1, "one shared continuation: {shared:?}");
    assert!(
        shared[0] < translated,
        "translated, not compiled: graph {} of {translated}",
        shared[0]
    );
    assert!(prog.graphs.values().any(|g| g.name.ends_with("_cut")), "a cut continuation");
    assert!(d.resumes() >= 1);
    assert_eq!(case_values(&d)[0], [0, 1, 2, 3]);
}
