//! The JIT on LLVM: timeshift's driver with [`JitBackend`] — residual code compiled into the
//! translated program's session, flexswitches, tail calls, tier-up, errors — checked against
//! the IR interpreter.

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel, TargetCpu};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::{JitConfig, JitDriver, RunError};

fn program(src: &str) -> &'static Program {
    Box::leak(Box::new(rpy_ir::front::compile("test.rpy", src).unwrap_or_else(|d| panic!("{d}"))))
}

fn driver(
    p: &'static Program,
    portal: &str,
    greens: &[&str],
    options: JitOptions,
) -> JitDriver<'static, JitBackend> {
    let t = translate(p, OptLevel::O0).unwrap_or_else(|e| panic!("{e}"));
    JitDriver::new(p, portal, greens, JitBackend::new(t, options)).unwrap_or_else(|d| panic!("{d}"))
}

fn ints(xs: &[i64]) -> Vec<RtValue> {
    xs.iter().map(|x| RtValue::Int(*x)).collect()
}

/// Calls through the driver and checks the result (or the error) against the IR interpreter.
fn check(d: &JitDriver<JitBackend>, p: &Program, portal: &str, args: &[RtValue]) {
    let want = Interp::new(p).call(p.graph_by_name(portal).unwrap(), args);
    let got = d.call(args);
    match (&want, &got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{portal}{args:?}"),
        (Err(a), Err(RunError::Program(b))) => {
            assert_eq!((a.kind, &a.message, a.span), (b.kind, &b.message, b.span))
        }
        _ => panic!("{portal}{args:?}: interpreter {want:?}, JIT {got:?}"),
    }
}

const PROMOTE: &str = "
def f(x: int, y: int) -> int:
    k = hint(x, promote=True)
    return k * k + y
";

#[test]
fn promoted_values_get_cases_once_and_later_calls_dispatch_in_native_code() {
    let p = program(PROMOTE);
    let d = driver(p, "f", &[], JitOptions::default());
    for args in [[5, 1], [7, 1], [5, 2], [7, -3], [5, 0]] {
        check(&d, p, "f", &ints(&args));
    }
    // The first value's case is compiled with the graph (predicted from the arguments of the
    // call that compiles it); the second is a miss; repeated values go straight to their case.
    assert_eq!(d.misses(), 1, "one miss for the value not predicted");
    let cases = d.reports().iter().filter(|r| r.what.contains("flexswitch")).count();
    assert_eq!(cases, 2);
}

#[test]
fn a_switch_gets_its_cases_inline_only_when_its_graph_is_hot() {
    let p = program(PROMOTE);
    let options = JitOptions { hot_graph_calls: 50, background: false, ..JitOptions::default() };
    let d = driver(p, "f", &[], options);
    let inlined = |d: &JitDriver<JitBackend>| {
        d.reports().iter().filter(|r| r.what.contains("with the cases met inline")).count()
    };
    for i in 0..40 {
        check(&d, p, "f", &ints(&[5 + 2 * (i % 2), i]));
    }
    assert_eq!(inlined(&d), 0, "cold: the cases are reached through the switch");
    for i in 0..100 {
        check(&d, p, "f", &ints(&[5 + 2 * (i % 2), i]));
    }
    assert_eq!(inlined(&d), 1, "hot: compiled again once, with both cases inline");
    assert!(d.backend().stats().hot >= 1, "{:?}", d.backend().stats());
    assert_eq!(d.misses(), 1, "5's case predicted, 7's a miss");
}

/// A graph whose compilation fails (an LLVM error would be a bug: the test option stands for
/// one) gives errors, never a jump to code that is not there: the case stays reachable from
/// its compiled switch, so later calls with its value reach its stub; other values work.
#[test]
fn a_case_that_fails_to_compile_gives_errors_not_crashes() {
    let p = program(PROMOTE);
    let options = JitOptions { background: false, ..JitOptions::default() };
    let d = driver(p, "f", &[], options);
    d.backend().fail_compiling_for_tests("case0_7");
    let mut stubs = 0;
    for args in [[5, 1], [7, 1], [5, 2], [7, 2], [7, 3], [5, 3]] {
        if args[0] == 5 {
            check(&d, p, "f", &ints(&args));
            continue;
        }
        let e = d.call(&ints(&args)).expect_err("7's case does not compile");
        let RunError::Jit(e) = e else { panic!("{args:?}: not the JIT's error: {e}") };
        let message = e.to_string();
        assert!(message.contains("fails (test option)"), "{args:?}: {message}");
        stubs += usize::from(message.contains("has no compiled code"));
    }
    assert_eq!(stubs, 2, "after its miss, 7 goes to its case's stub");
}

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

#[test]
fn a_loop_through_flexswitch_cases_runs_in_constant_stack_and_tiers_up() {
    let p = program(PROMOTE_IN_LOOP);
    // Hot code compiled as the loop waits, so the test knows when it is there.
    let options = JitOptions { hot_loops: 1000, background: false, ..JitOptions::default() };
    let d = driver(p, "f", &[], options);
    for n in [10, 1_000_000, 20] {
        check(&d, p, "f", &ints(&[n, 3]));
    }
    let stats = d.backend().stats();
    assert!(stats.hot >= 1, "a hot loop is compiled again at the hot tier: {stats:?}");
}

#[test]
fn hot_loops_compiled_on_the_compile_thread_are_picked_up_by_the_running_loop() {
    let p = program(PROMOTE_IN_LOOP);
    let options = JitOptions { hot_loops: 1000, ..JitOptions::default() };
    let d = driver(p, "f", &[], options);
    // The loop goes on at O0 while its code compiles, and looks for it every so often: how
    // many runs that takes depends on the machine, the outcome does not.
    for run in 0..2000 {
        check(&d, p, "f", &ints(&[20_000 + run, 3]));
        if d.backend().stats().hot >= 1 {
            check(&d, p, "f", &ints(&[100_000, -7]));
            return;
        }
    }
    panic!("no hot code after 2000 runs: {:?}", d.backend().stats());
}

/// A small bytecode interpreter (shared with timeshift's tiering tests).
const VM: &str = include_str!("../../timeshift/tests/programs/vm.rpy");

fn int_array(interp: &mut Interp, p: &Program, items: &[i64]) -> RtValue {
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if !a.immutable && a.elem == Ty::Int))
        .unwrap()
        .0;
    interp.alloc_array(at, &ints(items))
}

#[test]
fn a_bytecode_loop_runs_jitted_and_runtime_errors_are_the_interpreters() {
    let p = program(VM);
    let d = driver(p, "run", &["code"], JitOptions::default());
    let mut interp = Interp::new(p);
    // acc += x while x > 0 (x decremented each time): 0 + x + (x-1) + ... + 1.
    let looped = int_array(&mut interp, p, &[1, 2, 5, 4, 0, 6]);
    // acc = 1 * 7 // x after the loop has brought x to 0: a division by zero.
    let divides = int_array(&mut interp, p, &[1, 2, 5, 4, 0, 7, 6]);
    for (code, x) in [(looped, 10), (looped, 100_000), (looped, 0), (divides, 3), (divides, 5)] {
        check(&d, p, "run", &[code, RtValue::Int(x)]);
    }
}

/// Tiny thresholds: graphs go hot at once (their cases inline, recompiled at the hot tier,
/// loops entered hot), in the background or waited for: every result still agrees.
#[test]
fn everything_hot_at_once_agrees_with_the_interpreter() {
    let p = program(VM);
    for background in [false, true] {
        let options =
            JitOptions { hot_graph_calls: 3, hot_loops: 20, background, ..JitOptions::default() };
        let d = driver(p, "run", &["code"], options);
        let mut interp = Interp::new(p);
        let looped = int_array(&mut interp, p, &[1, 2, 5, 4, 0, 6]);
        let divides = int_array(&mut interp, p, &[1, 2, 5, 4, 0, 7, 6]);
        for x in [0, 1, 5, 40, 3, 1000, 7, 20_000, 2, 50_000] {
            check(&d, p, "run", &[looped, RtValue::Int(x)]);
            check(&d, p, "run", &[divides, RtValue::Int(x % 7)]);
        }
        assert!(d.backend().stats().hot >= 1 || background, "{:?}", d.backend().stats());
    }
}

#[test]
fn residual_code_is_printable_as_llvm_ir() {
    let p = program(PROMOTE);
    let d = driver(p, "f", &[], JitOptions::default());
    check(&d, p, "f", &ints(&[3, 4]));
    let prog = timeshift::Backend::program(d.backend());
    let g = prog.graphs.iter().find(|(_, g)| g.name.contains("__case")).unwrap().0;
    let ir = d.backend().llvm_ir(g, OptLevel::O2, TargetCpu::Host).unwrap();
    assert!(ir.contains("tailcc"), "{ir}");
}

/// The tiered interpreter (translated with `jit_merge` at the dispatch loop) runs cold code
/// and enters code compiled from the merge point once a bytecode position is hot.
#[test]
fn a_tiered_interpreter_enters_compiled_code_where_hot_and_agrees() {
    use timeshift::tiering::tiered;
    use timeshift::Backend;
    let p = program(VM);
    let d = JitDriver::with_backend(p, "run", &["code"], JitConfig::default(), |mp| {
        let t = translate(&tiered(p, mp.expect("a merge point")), OptLevel::O0)
            .map_err(|e| e.to_string())?;
        Ok(JitBackend::new(t, JitOptions::default()))
    })
    .unwrap();
    let mp = d.merge_point().unwrap().clone();
    let types: Vec<Ty> = mp.greens.iter().chain(&mp.reds).map(|(_, t)| *t).collect();
    let run = p.graph_by_name("run").unwrap();
    let mut interp = Interp::new(p);
    let looped = int_array(&mut interp, p, &[1, 2, 5, 4, 0, 6]);
    let divides = int_array(&mut interp, p, &[1, 2, 5, 4, 0, 7, 6]);
    let entry = |values: &[RtValue], visits: u64| d.enter_at_merge_point(values, visits);
    for (code, x) in [(looped, 5), (looped, 100_000), (looped, 3), (divides, 20_000)] {
        let want = interp.call(run, &[code, RtValue::Int(x)]);
        let got = d.backend().with_merge_entry(&types, p.graphs[run].ret, &entry, || {
            d.backend().call_interpreter(run, &[code, RtValue::Int(x)])
        });
        match (&want, &got) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "x = {x}"),
            (Err(a), Err(RunError::Program(b))) => {
                assert_eq!((a.kind, &a.message), (b.kind, &b.message))
            }
            _ => panic!("x = {x}: interpreter {want:?}, tiered JIT {got:?}"),
        }
    }
    let hot = d.reports().iter().filter(|r| r.what.contains("hot at the merge point")).count();
    assert!(hot >= 1, "a hot key was compiled: {:?}", d.reports());
}

const QUASI: &str = "
struct Config:
    version: int quasi

const CONFIG = Config(version = 2)

def set_version(v: int) -> int:
    CONFIG.version = v
    return v

@dont_look_inside
def bump() -> int:
    CONFIG.version += 1
    return 0

def scaled(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        total += CONFIG.version * i
        i += 1
    return total

def bumping(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        total += CONFIG.version
        if i == 3:
            bump()
        i += 1
    return total
";

/// Key compilations that did not give up.
fn key_compilations(d: &JitDriver<JitBackend>) -> usize {
    d.reports().iter().filter(|r| r.gave_up.is_none() && r.what.contains(" key ")).count()
}

#[test]
fn a_quasi_immutable_field_is_a_constant_until_written_then_compiled_again() {
    use timeshift::Backend;
    let p = program(QUASI);
    let d = driver(p, "scaled", &[], JitOptions { background: false, ..JitOptions::default() });
    let mut reference = Interp::new(p);
    let scaled = p.graph_by_name("scaled").unwrap();
    let set = p.graph_by_name("set_version").unwrap();
    for n in [5, 6] {
        let want = reference.call(scaled, &ints(&[n])).unwrap();
        assert_eq!(d.call(&ints(&[n])).unwrap(), want, "scaled({n})");
    }
    assert_eq!(key_compilations(&d), 1);
    let prog = d.backend().program();
    let g = prog.graph_by_name("scaled__jit0").expect("the compiled graph");
    let getfields = prog.graphs[g].ops.values().filter(|o| o.opcode.info().name == "getfield");
    assert_eq!(getfields.count(), 0, "{}", rpy_ir::text::print_graph(&prog, g));
    // The translated interpreter writes the field: the compiled code is invalid.
    d.backend().call_interpreter(set, &ints(&[9])).unwrap();
    reference.call(set, &ints(&[9])).unwrap();
    for n in [5, 4] {
        let want = reference.call(scaled, &ints(&[n])).unwrap();
        assert_eq!(d.call(&ints(&[n])).unwrap(), want, "scaled({n}) after the write");
    }
    assert_eq!(d.call(&ints(&[5])).unwrap(), RtValue::Int(90));
    assert_eq!(key_compilations(&d), 2, "compiled again once after the write");
}

#[test]
fn a_residual_call_writing_a_quasi_immutable_field_falls_back_in_native_code() {
    let p = program(QUASI);
    let d = driver(p, "bumping", &[], JitOptions { background: false, ..JitOptions::default() });
    // version 2, then 3 after the call at i == 3; then 3 and 4; then 4 (i < 2 never bumps).
    assert_eq!(d.call(&ints(&[8])).unwrap(), RtValue::Int(2 * 4 + 3 * 4));
    assert_eq!(d.call(&ints(&[8])).unwrap(), RtValue::Int(3 * 4 + 4 * 4));
    assert_eq!(d.call(&ints(&[2])).unwrap(), RtValue::Int(4 * 2));
    assert!(key_compilations(&d) >= 2, "every bump invalidated the code");
}
