//! RPy's methods, tuples and `for` loops through the JIT on LLVM (timeshift's driver with
//! [`JitBackend`]): a method dispatched on a promoted class, tuples made and unpacked in a
//! loop, a `for` loop with `break` and `else`, a method called on None — every result and
//! error checked against the IR interpreter. (Their residual shapes are stated in
//! `timeshift/tests/methods.rs`.)

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{JitDriver, RunError};

const SRC: &str = "
struct Shape:
    def area(self) -> int:
        return 0
    def twice(self) -> int:
        return self.area() * 2

struct Rect(Shape):
    w: int
    h: int
    def area(self) -> int:
        return self.w * self.h

struct Square(Rect):
    def area(self) -> int:
        return Rect.area(self) + 1

struct Circle(Shape):
    r: int
    def area(self) -> int:
        return 3 * self.r * self.r

def make(k: int, n: int) -> Shape:
    if k == 1:
        return Rect(w=n, h=2)
    if k == 2:
        return Square(w=n, h=n)
    if k == 3:
        return Circle(r=n)
    if k == 4:
        s: Shape = None
        return s
    return Shape()

def areas(k: int, n: int) -> int:
    sh = make(k, n)
    hint(sh, promote_class=True)
    s = 0
    for i in range(n):
        s += sh.twice() + i
    return s

def sums(n: int, limit: int) -> int:
    s = 0
    for i in range(0, n, 2):
        t = (i, i * i, -i)
        a, b, c = t
        if b > limit:
            s += 1000
            break
        s += a + b + c + t[1]
    else:
        s += 1
    return s

def null_receiver(k: int, n: int) -> int:
    sh = make(4, n)
    return sh.twice() + k
";

fn program() -> &'static Program {
    Box::leak(Box::new(rpy_ir::front::compile("test.rpy", SRC).unwrap_or_else(|d| panic!("{d}"))))
}

fn driver(p: &'static Program, portal: &str) -> JitDriver<'static, JitBackend> {
    let t = translate(p, OptLevel::O0).unwrap_or_else(|e| panic!("{e}"));
    let options = JitOptions { background: false, ..JitOptions::default() };
    JitDriver::new(p, portal, &[], JitBackend::new(t, options)).unwrap_or_else(|d| panic!("{d}"))
}

/// Calls through the driver and checks the result (or the error) against the IR interpreter.
fn check(d: &JitDriver<JitBackend>, p: &Program, portal: &str, args: &[i64]) {
    let args: Vec<RtValue> = args.iter().map(|x| RtValue::Int(*x)).collect();
    let want = Interp::new(p).call(p.graph_by_name(portal).unwrap(), &args);
    let got = d.call(&args);
    match (&want, &got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{portal}{args:?}"),
        (Err(a), Err(RunError::Program(b))) => {
            assert_eq!((a.kind, &a.message, a.span), (b.kind, &b.message, b.span))
        }
        _ => panic!("{portal}{args:?}: interpreter {want:?}, JIT {got:?}"),
    }
}

#[test]
fn methods_dispatched_on_a_promoted_class_agree_with_the_interpreter() {
    let p = program();
    let d = driver(p, "areas");
    for (k, n) in [(1, 5), (2, 3), (3, 4), (0, 2), (2, 7), (1, 1), (3, 0), (2, 9)] {
        check(&d, p, "areas", &[k, n]);
    }
    let gave_up: Vec<_> =
        d.reports().into_iter().filter_map(|r| r.gave_up.map(|g| (r.what, g))).collect();
    assert!(gave_up.is_empty(), "{gave_up:?}");
}

#[test]
fn tuples_and_for_loops_agree_with_the_interpreter() {
    let p = program();
    let d = driver(p, "sums");
    for (n, limit) in [(10, 1000), (10, 20), (0, 5), (1, 0), (40, 500)] {
        check(&d, p, "sums", &[n, limit]);
    }
}

#[test]
fn a_method_called_on_none_fails_as_in_the_interpreter() {
    let p = program();
    let d = driver(p, "null_receiver");
    check(&d, p, "null_receiver", &[1, 2]);
}
