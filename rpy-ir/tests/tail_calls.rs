//! In graphs marked `tail_calls` (the JIT's residual graphs), calls in tail position replace
//! their caller's frame in the IR interpreter (ops.rs, `call`): a million-deep tail recursion
//! runs, while the same recursion not in tail position, or in unmarked graphs, is a
//! stack-overflow error.

use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeErrorKind};

const SRC: &str = "
def count_down(n: int) -> int:
    if n == 0:
        return 0
    return count_down(n - 1)

def even(n: int) -> bool:
    if n == 0:
        return True
    return odd(n - 1)

def odd(n: int) -> bool:
    if n == 0:
        return False
    return even(n - 1)

def not_tail(n: int) -> int:
    if n == 0:
        return 0
    return not_tail(n - 1) + 0
";

#[test]
fn tail_calls_run_in_constant_stack() {
    let mut p = rpy_ir::front::compile("tail.rpy", SRC).unwrap();
    {
        let unmarked = Interp::new(&p)
            .call(p.graph_by_name("count_down").unwrap(), &[RtValue::Int(1_000_000)]);
        assert_eq!(unmarked.unwrap_err().kind, RuntimeErrorKind::StackOverflow);
    }
    for g in p.graphs.values_mut() {
        g.tail_calls = true;
    }
    let mut interp = Interp::new(&p);
    let call =
        |i: &mut Interp, f: &str, n: i64| i.call(p.graph_by_name(f).unwrap(), &[RtValue::Int(n)]);
    assert_eq!(call(&mut interp, "count_down", 1_000_000).unwrap(), RtValue::Int(0));
    assert_eq!(call(&mut interp, "even", 1_000_001).unwrap(), RtValue::Bool(false));
    let err = call(&mut interp, "not_tail", 1_000_000).unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::StackOverflow);
}
