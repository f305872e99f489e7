//! Exceptions and overflow checks through the JIT on LLVM (timeshift's driver with
//! [`JitBackend`]): results, caught exceptions and uncaught ones (`Uncaught`, `Class: message`)
//! agree with the IR interpreter, including across flexswitch misses and residual calls.

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeErrorKind};
use timeshift::{JitDriver, RunError};

fn program(src: &str) -> &'static Program {
    Box::leak(Box::new(rpy_ir::front::compile("test.rpy", src).unwrap_or_else(|d| panic!("{d}"))))
}

fn driver(p: &'static Program, portal: &str) -> JitDriver<'static, JitBackend> {
    let t = translate(p, OptLevel::O0).unwrap_or_else(|e| panic!("{e}"));
    let backend = JitBackend::new(t, JitOptions::default());
    JitDriver::new(p, portal, &[], backend).unwrap_or_else(|d| panic!("{d}"))
}

/// Calls through the driver and checks the result (or the error) against the IR interpreter;
/// returns the error kind, if any.
fn check(d: &JitDriver<JitBackend>, p: &Program, args: &[i64]) -> Option<RuntimeErrorKind> {
    let args: Vec<RtValue> = args.iter().map(|x| RtValue::Int(*x)).collect();
    let want = Interp::new(p).call(p.graph_by_name("f").unwrap(), &args);
    let got = d.call(&args);
    match (&want, &got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "f{args:?}"),
        (Err(a), Err(RunError::Program(b))) => {
            assert_eq!((a.kind, &a.message, a.span), (b.kind, &b.message, b.span));
            return Some(a.kind);
        }
        _ => panic!("f{args:?}: interpreter {want:?}, JIT {got:?}"),
    }
    None
}

const SRC: &str = "
struct Fault(Exception):
    code: int

def step(op: int, acc: int) -> int:
    if op == 0:
        return ovfcheck(acc * 3)
    if op == 1:
        return ovfcheck(acc + 1000000007)
    if op == 2:
        raise Fault(message=\"fault\", code=acc)
    return ovfcheck(-acc)

def deep(n: int) -> int:
    if n > 40:
        raise IndexError(message=\"too deep\")
    if n <= 0:
        return 0
    return deep(n - 1) + 1

def f(ops: int, acc: int) -> int:
    hint(ops, promote=True)
    i = 0
    while i < 6:
        op = (ops >> (2 * i)) & 3
        try:
            acc = step(op, acc)
        except OverflowError:
            acc = 0 - 1
        except Fault as e:
            acc = e.code + deep(acc % 50)
        i += 1
    if acc == 77:
        raise ValueError(message=\"seventy-seven\")
    return acc
";

#[test]
fn exceptions_and_overflow_checks_agree_with_the_interpreter() {
    let p = program(SRC);
    let d = driver(p, "f");
    let mut uncaught = 0;
    for ops in [0, 1, 2, 3, 0b10_01_00, 0b11_10_01_00, 0b1010_1010_1010, 0b0000_0101_0110] {
        for acc in [1, 5, 38, 77, 3_000_000_000_000_000_000, i64::MIN + 1] {
            if check(&d, p, &[ops, acc]) == Some(RuntimeErrorKind::Uncaught) {
                uncaught += 1;
            }
        }
    }
    assert!(uncaught > 0, "some runs leave an exception uncaught");
    // The state was cleared after each uncaught one: later runs are unaffected.
    check(&d, p, &[0, 2]);
}
