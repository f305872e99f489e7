//! What the JIT makes of RPy's methods, tuples and `for` loops (front end:
//! `rpy-ir/src/front/lower/{methods,tuples,for_loops}.rs`): a method call on a receiver of
//! known class — a virtual object, a promoted class, a constant — leaves no dispatch (no
//! `instanceof`, `cast`, `typeof`, switch or `call_indirect`) in the residual code; a tuple
//! made and consumed in a loop is never allocated; a `for` loop over a constant range unrolls
//! to constants. Every result is checked against the IR interpreter.

#[allow(dead_code)]
mod common;

use common::{timeshift, Int};
use rpy_ir::ir::{Aux, Exit, Program, Value};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{Backend, JitDriver, LlinterpBackend};

/// A hierarchy where every level overrides `area`, so a call on a `Shape` dispatches.
const SHAPES: &str = "
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
";

/// The dispatch ops: none may be left once the receiver's class is known.
const DISPATCH: &[(&str, usize)] =
    &[("instanceof", 0), ("cast", 0), ("typeof", 0), ("call_indirect", 0), ("call", 0)];

#[test]
fn the_interpreter_graph_dispatches() {
    // The premise of the tests below: the call of `area` on a `Shape` is a dispatch chain.
    let p = common::compile_program(SHAPES);
    let g = &p.graphs[p.graph_by_name("Shape.twice").unwrap()];
    let count = |name: &str| g.ops.values().filter(|o| o.opcode.info().name == name).count();
    assert_eq!((count("instanceof"), count("cast"), count("call")), (3, 3, 4));
}

#[test]
fn a_method_call_on_a_virtual_receiver_leaves_no_dispatch() {
    let src = format!(
        "{SHAPES}
def total(n: int) -> int:
    s = 0
    for i in range(n):
        sh: Shape = Square(w=i, h=2)
        if i % 3 == 0:
            sh = Circle(r=i)
        s += sh.twice()
    return s
"
    );
    let r = timeshift(&src, "total", &[Int(10)], &[]);
    r.check_ops(DISPATCH);
    r.check_ops(&[("malloc", 0)]);
    assert_eq!(r.splits().1, 0, "no switch:\n{}", r.text());
}

#[test]
fn a_method_call_on_a_constant_receiver_folds() {
    let src = "
struct K immutable:
    def v(self) -> int:
        return 1
struct K2(K) immutable:
    n: int
    def v(self) -> int:
        return self.n * 2

const C: K = K2(n=21)

def f(k: int) -> int:
    return C.v() + k
";
    let r = timeshift(src, "f", &[Int(5)], &[]);
    r.check_ops(DISPATCH);
    // 21 * 2 folded (the struct is immutable): only `+ k` is left.
    r.check_ops(&[("int_add", 1), ("int_mul", 0), ("getfield", 0)]);
}

fn ints(xs: &[i64]) -> Vec<RtValue> {
    xs.iter().map(|x| RtValue::Int(*x)).collect()
}

/// Every op of the residual graphs compiled from the program (names containing `__`, but
/// not the interpreter's own code that fallbacks continue in), and the values the graphs
/// switch on.
fn residual(p: &Program) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut ops = Vec::new();
    let mut switched_on = Vec::new();
    let compiled =
        |name: &str| name.contains("__") && !name.contains("fallback") && !name.contains("__cont");
    for g in p.graphs.values().filter(|g| compiled(&g.name)) {
        for b in g.blocks.values() {
            ops.extend(b.ops.iter().map(|o| g.ops[*o].opcode.info().name));
            if let Exit::Switch { value: Value::Var(x), .. } = &b.exit {
                let def = g.ops.values().find(|o| o.result == Some(*x));
                switched_on.push(def.map_or("a parameter", |o| o.opcode.info().name));
            }
        }
    }
    (ops, switched_on)
}

#[test]
fn a_method_call_on_a_promoted_receiver_leaves_no_dispatch() {
    let src = format!(
        "{SHAPES}
def make(k: int, n: int) -> Shape:
    if k == 1:
        return Rect(w=n, h=2)
    if k == 2:
        return Square(w=n, h=n)
    if k == 3:
        return Circle(r=n)
    return Shape()

def f(sh: Shape, n: int) -> int:
    hint(sh, promote_class=True)
    s = 0
    for i in range(n):
        s += sh.twice() + i
    return s
"
    );
    let p = common::compile_program(&src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    let mut interp = Interp::new(&p);
    let make = p.graph_by_name("make").unwrap();
    let f = p.graph_by_name("f").unwrap();
    // Two classes: the loop's versions for each (a first iteration and the loop) fit the
    // version budget, `Budgets::max_versions` (past it, the class is forgotten and the
    // dispatch tests come back, promoted: see the next test).
    for (k, n) in [(1, 5), (2, 3), (2, 7), (1, 1), (1, 0)] {
        let o = interp.call(make, &ints(&[k, n])).unwrap();
        let args = [o, RtValue::Int(n)];
        let want = interp.call(f, &args).unwrap();
        assert_eq!(d.call(&args).unwrap(), want, "k={k} n={n}");
    }
    assert!(d.reports().iter().all(|r| r.gave_up.is_none()), "a compilation gave up");
    let prog = d.backend().program();
    let (ops, switched_on) = residual(&prog);
    for op in ["instanceof", "call_indirect"] {
        let n = ops.iter().filter(|o| **o == op).count();
        assert_eq!(n, 0, "{op} left in the residual code:\n{}", dump(&prog));
    }
    // No call of an interpreter graph (a method): calls left are of residual graphs (the
    // entry graphs that flexswitch cases continue in).
    let method_calls = prog
        .graphs
        .values()
        .filter(|g| g.name.contains("__") && !g.name.contains("fallback"))
        .flat_map(|g| g.ops.values())
        .filter(|o| matches!(o.aux, Aux::Graph(t) if !prog.graphs[t].name.contains("__")))
        .count();
    assert_eq!(method_calls, 0, "a method call is left:\n{}", dump(&prog));
    // The field reads of the overriding methods need the receiver typed as their class: one
    // `cast` (which cannot fail: the class is known) per class before the loop, none in it.
    let loop_casts: usize = prog
        .graphs
        .values()
        .filter(|g| g.name.contains("__") && !g.name.contains("fallback"))
        .map(|g| {
            common::cycle_blocks(g, "")
                .into_iter()
                .flat_map(|b| g.blocks[b].ops.clone())
                .filter(|o| g.ops[*o].opcode.info().name == "cast")
                .count()
        })
        .sum();
    assert_eq!(loop_casts, 0, "a cast in a loop:\n{}", dump(&prog));
    // The promotion's `typeof` (its flexswitch, whose cases met were compiled inline when the
    // graph was compiled again), and no other.
    assert_eq!(ops.iter().filter(|o| **o == "typeof").count(), 1, "{ops:?}");
    assert!(switched_on.iter().all(|s| *s == "typeof"), "{switched_on:?}");
    // One case per class met.
    let cases = d.reports().iter().filter(|r| r.what.contains("flexswitch")).count();
    assert_eq!(cases, 2);
}

#[test]
fn a_class_forgotten_past_the_version_budget_is_tested_and_promoted_again() {
    // Five classes reach the loop head as virtual objects: past the version budget the
    // object is forced and its class forgotten, and the class tests the analysis coloured
    // green promote their results instead of giving up.
    let src = format!(
        "{SHAPES}
struct Dot(Circle):
    pass

def make(k: int, n: int) -> Shape:
    if k == 1:
        return Rect(w=n, h=2)
    if k == 2:
        return Square(w=n, h=n)
    if k == 3:
        return Circle(r=n)
    if k == 4:
        return Dot(r=n)
    return Shape()

def f(k: int, n: int) -> int:
    sh = make(k, n)
    hint(sh, promote_class=True)
    s = 0
    for i in range(n):
        s += sh.twice() + i
    return s
"
    );
    let p = common::compile_program(&src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    let f = p.graph_by_name("f").unwrap();
    for (k, n) in [(1, 5), (2, 3), (3, 4), (0, 2), (4, 7), (1, 1), (3, 0), (2, 9)] {
        let want = Interp::new(&p).call(f, &ints(&[k, n])).unwrap();
        assert_eq!(d.call(&ints(&[k, n])).unwrap(), want, "k={k} n={n}");
    }
    let gave_up: Vec<_> =
        d.reports().into_iter().filter_map(|r| r.gave_up.map(|g| (r.what, g))).collect();
    assert!(gave_up.is_empty(), "{gave_up:?}");
}

#[test]
fn a_tuple_built_and_summed_in_a_loop_is_never_allocated() {
    let src = "
def triple(i: int) -> tuple[int, int, int]:
    return i, i * 2, i + 7

def f(n: int) -> int:
    s = 0
    for i in range(n):
        t = triple(i)
        a, b, c = t
        s += a + b + c + t[1]
    return s
";
    let r = timeshift(src, "f", &[Int(12)], &[]);
    r.check_ops(&[("malloc", 0), ("getfield", 0), ("setfield", 0), ("call", 0)]);
}

#[test]
fn a_for_loop_costs_what_the_same_while_loop_costs() {
    // The iteration protocol adds nothing to the residual loop: `for` over a range and over a
    // string compile to the ops of the hand-written `while` loops.
    let for_loops = "
def f(n: int, k: int) -> int:
    s = 0
    for i in range(n, 0, -2):
        s += i * k
    for c in \"abc\":
        s += ord(c) * k
    return s
";
    let while_loops = "
def f(n: int, k: int) -> int:
    s = 0
    i = n
    while i > 0:
        s += i * k
        i += -2
    t = \"abc\"
    j = 0
    while j < len(t):
        s += ord(t[j]) * k
        j += 1
    return s
";
    for (n, k) in [(7, 3), (0, 1), (8, -2)] {
        let a = timeshift(for_loops, "f", &[Int(n), Int(k)], &[]);
        let b = timeshift(while_loops, "f", &[Int(n), Int(k)], &[]);
        assert_eq!(a.ops(), b.ops(), "for:\n{}\nwhile:\n{}", a.text(), b.text());
    }
}

#[test]
fn a_chained_comparison_and_isinstance_fold_on_known_values() {
    let src = "
struct A:
    pass
struct B(A):
    pass

def f(n: int, k: int) -> int:
    a: A = B()
    s = 0
    if 0 <= n < 10 and isinstance(a, B):
        s = 1
    return s + k
";
    let r = timeshift(src, "f", &[Int(3), Int(1)], &["n"]);
    r.check_ops(&[("int_add", 1), ("instanceof", 0), ("int_le", 0), ("int_lt", 0), ("malloc", 0)]);
}

fn dump(p: &Program) -> String {
    p.graphs
        .keys()
        .filter(|g| p.graphs[*g].name.contains("__"))
        .map(|g| rpy_ir::text::print_graph(p, g))
        .collect()
}
