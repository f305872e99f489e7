//! The JIT on exceptions and overflow checks (residual-code shapes, on the IR interpreter):
//! an exception raised and caught inside one compilation stays virtual and its flag tests
//! fold; a residual call that may raise costs one read of the exception state after it;
//! `ovfcheck` on constants folds. Every residual graph is verified and run against llinterp
//! by the `timeshift` helper (results, and uncaught exceptions, must agree).

mod common;
use common::*;

const RAISE_IN_LOOP: &str = "
struct Stop(Exception):
    at: int

def fail(i: int) -> int:
    raise ValueError(message=\"always\")

def same_function(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        try:
            if i >= 0:
                raise Stop(message=\"k\", at=i)
            s += 1
        except Stop as e:
            s += e.at + len(e.message)
        finally:
            s += 1
        i += 1
    return s

def through_a_call(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        try:
            s += fail(i)
        except ValueError as e:
            s += len(e.message)
        i += 1
    return s
";

#[test]
fn exception_raised_and_caught_in_a_loop_leaves_nothing() {
    let r = timeshift(RAISE_IN_LOOP, "same_function", &[Int(10)], &[]);
    // The exception stays virtual: no allocation, its class test and fields fold, and the
    // exception state is never touched (a raise inside the `try` is a jump).
    r.check_ops(&[
        ("malloc", 0),
        ("instanceof", 0),
        ("getfield", 0),
        ("setfield", 0),
        ("ptr_nonzero", 0),
    ]);
    for n in [0, 1, 7] {
        rerun(&r, "same_function", &[n], &[false]);
    }
}

#[test]
fn exception_raised_by_an_inlined_call_stays_virtual() {
    let r = timeshift(RAISE_IN_LOOP, "through_a_call", &[Int(10)], &[]);
    // The callee's store of the exception into the state is delayed (a field of a constant
    // object needs no read to check it), the caller's read is served by the heap cache, the
    // flag test and class test fold, and the handler's clearing of the state stores back what
    // the loop knows the memory holds (null): the loop is `s += 6; i += 1`. Only the first,
    // peeled iteration stores null once (the state was unknown before it).
    r.check_ops(&[("malloc", 0), ("instanceof", 0), ("ptr_nonzero", 0), ("getfield", 0)]);
    let in_loop = r.loop_ops("");
    assert_eq!(in_loop.get("setfield"), None, "{}", r.text());
    assert_eq!(r.op_total(), 5, "{}", r.text());
    assert!(r.stats.versions >= 1);
    for n in [0, 1, 5] {
        rerun(&r, "through_a_call", &[n], &[false]);
    }
}

const MAY_RAISE_IN_LOOP: &str = "
def check(i: int) -> int:
    if i % 3 == 0:
        raise ValueError(message=\"three\")
    return i

def f(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        try:
            s += check(i)
        except ValueError as e:
            s += len(e.message)
        i += 1
    return s
";

#[test]
fn inlined_call_that_may_raise_leaves_no_flag_test_in_the_loop() {
    let r = timeshift(MAY_RAISE_IN_LOOP, "f", &[Int(10)], &[]);
    // On the path where the callee returns normally, the caller's read of the state is served
    // by the heap cache, which knows the state's field is null: the loop carries that (what
    // is known of a prebuilt object crosses merge points), a null test's false side learns
    // it, and the handler's clearing store, storing back what memory holds, is no store.
    let in_loop = r.loop_ops("");
    for op in ["malloc", "getfield", "setfield", "ptr_nonzero", "instanceof"] {
        assert_eq!(in_loop.get(op), None, "{op} in the loop:\n{}", r.text());
    }
    for n in [0, 1, 4, 9] {
        rerun(&r, "f", &[n], &[false]);
    }
}

const RESIDUAL_CALL: &str = "
@dont_look_inside
def may_raise(n: int) -> int:
    if n > 1000:
        raise OverflowError(message=\"too big\")
    if n <= 0:
        return 0
    return may_raise(n - 1) + 1

def caller(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        try:
            s += may_raise(i)
        except OverflowError:
            s -= 1
        i += 1
    return s

def no_handler(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        s += may_raise(i * 600)
        i += 1
    return s
";

#[test]
fn residual_call_that_may_raise_costs_one_check() {
    // `may_raise` is `@dont_look_inside`, so the engine leaves its call residual.
    let r = timeshift(RESIDUAL_CALL, "caller", &[Int(6)], &[]);
    let in_loop = r.loop_ops("");
    let count = |name: &str| in_loop.get(name).copied().unwrap_or(0);
    assert_eq!(count("call"), 1, "{}", r.text());
    assert_eq!(count("getfield"), 1, "one read of the state after the call:\n{}", r.text());
    assert_eq!(count("ptr_nonzero"), 1, "one test of it:\n{}", r.text());
    for n in [0, 3, 1003] {
        rerun(&r, "caller", &[n], &[false]);
    }
}

#[test]
fn uncaught_exception_from_a_residual_call_agrees_with_llinterp() {
    // 2 * 600 > 1000: the third iteration's call raises and nothing catches it; the
    // helper requires the same error (`Uncaught`, "OverflowError: too big") from both runs.
    let r = timeshift(RESIDUAL_CALL, "no_handler", &[Int(3)], &[]);
    let in_loop = r.loop_ops("");
    assert_eq!(
        (in_loop.get("call"), in_loop.get("getfield")),
        (Some(&1), Some(&1)),
        "{}",
        r.text()
    );
    for n in [0, 1, 2, 5] {
        rerun(&r, "no_handler", &[n], &[false]);
    }
    let mut interp = rpy_ir::llinterp::Interp::new(&r.program);
    let err = interp.call(r.graph, &[rpy_ir::runtime::RtValue::Int(3)]).unwrap_err();
    assert_eq!(err.kind, rpy_ir::runtime::RuntimeErrorKind::Uncaught);
    assert_eq!(err.message, "OverflowError: too big");
}

const OVF: &str = "
def f(a: int, b: int, x: int) -> int:
    return ovfcheck(a * b) + ovfcheck(x + a) + ovfcheck(-b) + ovfcheck(a << 3)

def g(a: int, x: int) -> int:
    try:
        return ovfcheck(a + 1) + x
    except OverflowError:
        return x - 1
";

#[test]
fn ovfcheck_on_constants_folds() {
    let r = timeshift(OVF, "f", &[Int(6), Int(7), Int(1)], &["a", "b"]);
    // Only the red addition is checked; the rest folded through `rpy_ir::fold`.
    r.check_ops(&[
        ("int_mul_ovf", 0),
        ("int_neg_ovf", 0),
        ("int_lshift_ovf", 0),
        ("int_add_ovf", 1),
        ("int_mul", 0),
    ]);
    for x in [0, i64::MAX, i64::MAX - 6] {
        rerun(&r, "f", &[6, 7, x], &[true, true, false]);
    }
    // A constant that overflows: the raise and its handler fold away too.
    let r = timeshift(OVF, "g", &[Int(i64::MAX), Int(5)], &["a"]);
    r.check_ops(&[("int_add_ovf", 0), ("malloc", 0), ("int_sub", 1), ("int_add", 0)]);
    rerun(&r, "g", &[i64::MAX, 9], &[true, false]);
}
