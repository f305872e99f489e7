//! Big integers (`rpy-ir/src/externs/bigint.rs`) in the JIT on LLVM: the corpus program
//! `rpy-ir/tests/programs/bigint.rpy` (factorials, `2**300 // 3**50`, a pi spigot, a loop
//! keeping bigints only in an RPy array while garbage forces collections) run through
//! timeshift's driver with [`JitBackend`], whose residual `call_extern`s of the `big_*`
//! externs are calls of the same C ABI functions translated mode calls; results and output
//! equal the IR interpreter's. (Translated mode against llinterp: `differential.rs` runs the
//! program's `# run:` lines at O0 and O2.)

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::externs::capture_output;
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{str_text, RtValue};
use timeshift::JitDriver;

const SOURCE: &str = include_str!("../../rpy-ir/tests/programs/bigint.rpy");

fn program() -> &'static Program {
    let p = rpy_ir::front::compile("bigint.rpy", SOURCE).unwrap_or_else(|d| panic!("{d}"));
    Box::leak(Box::new(p))
}

/// An int result as itself, a `str` result as its text.
fn show(v: RtValue) -> String {
    str_text(v).unwrap_or_else(|| format!("{v:?}"))
}

/// Runs `portal(arg)` through the JIT (compiled at the first call, `arg` green or red as
/// `greens` says) twice and in the IR interpreter; results and output must agree.
fn check(portal: &str, greens: &[&str], arg: i64) -> String {
    let p = program();
    let t = translate(p, OptLevel::O0).unwrap_or_else(|e| panic!("{e}"));
    let options = JitOptions { background: false, ..JitOptions::default() };
    let d = JitDriver::new(p, portal, greens, JitBackend::new(t, options))
        .unwrap_or_else(|e| panic!("{e}"));
    let args = [RtValue::Int(arg)];
    let (want, want_out) = capture_output(|| {
        let mut interp = Interp::new(p);
        show(interp.call(p.graph_by_name(portal).unwrap(), &args).unwrap())
    });
    for round in 0..2 {
        let (got, got_out) = capture_output(|| show(d.call(&args).unwrap()));
        assert_eq!((&got, &got_out), (&want, &want_out), "{portal}({arg}), JIT call {round}");
    }
    assert!(!d.reports().is_empty(), "{portal}: nothing was compiled");
    want
}

#[test]
fn pi_spigot_and_factorial_in_the_jit() {
    assert_eq!(
        check("pi_digits", &["n"], 50),
        "31415926535897932384626433832795028841971693993751"
    );
    assert_eq!(
        check("factorial_str", &[], 50),
        "30414093201713378043612608166064768844377641568960512000000000000"
    );
}

#[test]
fn printed_results_in_the_jit() {
    check("show_all", &["x"], 0);
}

#[test]
fn bigints_kept_in_the_rpy_heap_survive_collections_in_compiled_code() {
    assert_eq!(check("churn", &[], 20000), "Int(20000)");
}
