//! Control flow and calls: loops, block parameters, switches, recursion, the call-depth limit,
//! function pointers, argument checks.

use super::support::*;
use crate::ir::{Aux, Const, Exit, Graph, Target};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::runtime::RuntimeErrorKind;
use crate::span::Span;
use crate::types::{Field, SigIdx};

/// `sum(n)`: `s = 0; i = 0; while i < n: s += i; i += 1; return s`.
pub(super) fn sum_graph(p: &mut Program) -> GraphIdx {
    let mut g = Graph::new("sum", vec![Ty::Int], Ty::Int, sp(1));
    let e = g.entry;
    let n = param(&g, 0);
    let head = g.add_block(sp(2));
    let i = g.add_param(head, Ty::Int, Some("i".into()));
    let s = g.add_param(head, Ty::Int, Some("s".into()));
    let body = g.add_block(sp(3));
    let exit = g.add_block(sp(4));
    let rs = g.add_param(exit, Ty::Int, None);
    goto(&mut g, e, head, &[ci(0), ci(0)]);
    let c = op(&mut g, head, Opcode::IntLt, &[v(i), n], Aux::None, Ty::Bool, 2);
    branch(&mut g, head, v(c), (body, &[]), (exit, &[v(s)]));
    let s2 = op(&mut g, body, Opcode::IntAdd, &[v(s), v(i)], Aux::None, Ty::Int, 3);
    let i2 = op(&mut g, body, Opcode::IntAdd, &[v(i), ci(1)], Aux::None, Ty::Int, 3);
    goto(&mut g, body, head, &[v(i2), v(s2)]);
    ret(&mut g, exit, Some(v(rs)));
    p.add_graph(g)
}

#[test]
fn loops_count_ops() {
    let mut p = Program::default();
    let gi = sum_graph(&mut p);
    let mut interp = Interp::new(&p);
    assert_eq!(interp.call(gi, &[RtValue::Int(100)]), Ok(RtValue::Int(4950)));
    // 100 iterations × (int_lt + 2 int_add) + the final int_lt.
    assert_eq!(interp.ops_executed(), 301);
    assert_eq!(interp.call(gi, &[RtValue::Int(0)]), Ok(RtValue::Int(0)));
    assert_eq!(interp.ops_executed(), 302);
}

#[test]
fn block_parameters_are_parallel_moves() {
    // fib(n) by iteration with (a, b) -> (b, a + b), and a pure swap (x, y) -> (y, x), which
    // needs the scratch register.
    let mut p = Program::default();
    let (mut g, e) = graph("fibswap", vec![Ty::Int], Ty::Int);
    let n = param(&g, 0);
    let head = g.add_block(Span::UNKNOWN);
    let [k, a, b, x, y] = [0; 5].map(|_| g.add_param(head, Ty::Int, None));
    let exit = g.add_block(Span::UNKNOWN);
    let [ra, rx] = [0; 2].map(|_| g.add_param(exit, Ty::Int, None));
    goto(&mut g, e, head, &[ci(0), ci(0), ci(1), ci(1), ci(2)]);
    let c = op(&mut g, head, Opcode::IntLt, &[v(k), n], Aux::None, Ty::Bool, 1);
    let k2 = op(&mut g, head, Opcode::IntAdd, &[v(k), ci(1)], Aux::None, Ty::Int, 2);
    let ab = op(&mut g, head, Opcode::IntAdd, &[v(a), v(b)], Aux::None, Ty::Int, 3);
    branch(&mut g, head, v(c), (head, &[v(k2), v(b), v(ab), v(y), v(x)]), (exit, &[v(a), v(x)]));
    let r100 = op(&mut g, exit, Opcode::IntMul, &[v(ra), ci(100)], Aux::None, Ty::Int, 4);
    let r = op(&mut g, exit, Opcode::IntAdd, &[v(r100), v(rx)], Aux::None, Ty::Int, 5);
    ret(&mut g, exit, Some(v(r)));
    let gi = p.add_graph(g);
    assert_eq!(run(&p, gi, &[RtValue::Int(10)]), Ok(RtValue::Int(55 * 100 + 1)));
    assert_eq!(run(&p, gi, &[RtValue::Int(11)]), Ok(RtValue::Int(89 * 100 + 2)));
}

#[test]
fn switches_dense_sparse_and_char() {
    for (cases, label) in
        [(vec![0i64, 1, 2, 3, 5], "dense"), (vec![-1_000_000, 7, 1 << 40, MIN, MAX], "sparse")]
    {
        let mut p = Program::default();
        let (mut g, e) = graph("sw", vec![Ty::Int], Ty::Int);
        let x = param(&g, 0);
        let mut targets = Vec::new();
        for (i, _) in cases.iter().enumerate() {
            let b = g.add_block(Span::UNKNOWN);
            let pv = g.add_param(b, Ty::Int, None);
            let r = op(
                &mut g,
                b,
                Opcode::IntAdd,
                &[v(pv), ci(100 * (i as i64 + 1))],
                Aux::None,
                Ty::Int,
                1,
            );
            ret(&mut g, b, Some(v(r)));
            targets.push(b);
        }
        let dflt = g.add_block(Span::UNKNOWN);
        ret(&mut g, dflt, Some(ci(-1)));
        g.blocks[e].exit = Exit::Switch {
            value: x,
            cases: cases
                .iter()
                .zip(&targets)
                .map(|(&k, &b)| (k, Target { block: b, args: vec![ci(k % 10)] }))
                .collect(),
            default: Target { block: dflt, args: vec![] },
        };
        let gi = p.add_graph(g);
        let mut interp = Interp::new(&p);
        for (i, &k) in cases.iter().enumerate() {
            assert_eq!(
                interp.call(gi, &[RtValue::Int(k)]),
                Ok(RtValue::Int(100 * (i as i64 + 1) + k % 10)),
                "{label} {k}"
            );
        }
        for k in [4, 6, -2, 8, 1 << 41, MIN + 1] {
            assert_eq!(
                interp.call(gi, &[RtValue::Int(k)]),
                Ok(RtValue::Int(-1)),
                "{label} default {k}"
            );
        }
    }
    // A switch on a char, with a constant argument to the default.
    let mut p = Program::default();
    let (mut g, e) = graph("sw", vec![Ty::Char], Ty::Int);
    let x = param(&g, 0);
    let b = g.add_block(Span::UNKNOWN);
    let r = g.add_param(b, Ty::Int, None);
    ret(&mut g, b, Some(v(r)));
    g.blocks[e].exit = Exit::Switch {
        value: x,
        cases: vec![
            (b'a' as i64, Target { block: b, args: vec![ci(1)] }),
            (255, Target { block: b, args: vec![ci(2)] }),
        ],
        default: Target { block: b, args: vec![ci(0)] },
    };
    let gi = p.add_graph(g);
    let mut interp = Interp::new(&p);
    assert_eq!(interp.call(gi, &[RtValue::Char('a')]), Ok(RtValue::Int(1)));
    assert_eq!(interp.call(gi, &[RtValue::Char('\u{ff}')]), Ok(RtValue::Int(2)));
    assert_eq!(interp.call(gi, &[RtValue::Char('b')]), Ok(RtValue::Int(0)));
}

/// A recursive graph `name(n) = base if n <test> else name(n - 1) <step>`, where `step`'s
/// operand `None` stands for `n`. Its spans start at line `line`: the test, the base case one
/// line below, the recursive case two lines below, its call three (at column 9), the step four.
struct Recursion {
    name: &'static str,
    line: u32,
    test: (Opcode, i64),
    base: i64,
    step: (Opcode, Option<i64>),
}

fn recursive_graph(p: &mut Program, r: Recursion) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let mut g = Graph::new(r.name, vec![Ty::Int], Ty::Int, sp(r.line));
    let e = g.entry;
    let n = param(&g, 0);
    let base = g.add_block(sp(r.line + 1));
    let rec = g.add_block(sp(r.line + 2));
    let rn = g.add_param(rec, Ty::Int, None);
    let c = op(&mut g, e, r.test.0, &[n, ci(r.test.1)], Aux::None, Ty::Bool, r.line);
    branch(&mut g, e, v(c), (base, &[]), (rec, &[n]));
    ret(&mut g, base, Some(ci(r.base)));
    let m = op(&mut g, rec, Opcode::IntSub, &[v(rn), ci(1)], Aux::None, Ty::Int, r.line + 2);
    let call_span = Span::new(0, r.line + 3, 9);
    let res = g.push_op(rec, Opcode::Call, vec![v(m)], Aux::Graph(me), Ty::Int, call_span);
    let by = r.step.1.map_or(v(rn), ci);
    let x = op(&mut g, rec, r.step.0, &[v(res.unwrap()), by], Aux::None, Ty::Int, r.line + 4);
    ret(&mut g, rec, Some(v(x)));
    p.add_graph(g)
}

/// `fact(n) = 1 if n <= 1 else fact(n - 1) * n`.
pub(super) fn fact_graph(p: &mut Program) -> GraphIdx {
    let fact = Recursion {
        name: "fact",
        line: 1,
        test: (Opcode::IntLe, 1),
        base: 1,
        step: (Opcode::IntMul, None),
    };
    recursive_graph(p, fact)
}

/// `down(n) = 0 if n == 0 else down(n - 1) + 1`, from line 10.
fn down_graph(p: &mut Program) -> GraphIdx {
    let down = Recursion {
        name: "down",
        line: 10,
        test: (Opcode::IntEq, 0),
        base: 0,
        step: (Opcode::IntAdd, Some(1)),
    };
    recursive_graph(p, down)
}

#[test]
fn recursion() {
    let mut p = Program::default();
    let fact = fact_graph(&mut p);
    let down = down_graph(&mut p);
    let mut interp = Interp::new(&p);
    assert_eq!(interp.call(fact, &[RtValue::Int(20)]), Ok(RtValue::Int(2432902008176640000)));
    assert_eq!(interp.call(fact, &[RtValue::Int(0)]), Ok(RtValue::Int(1)));
    // Deep but allowed: the value stack grows several times.
    assert_eq!(interp.call(down, &[RtValue::Int(50_000)]), Ok(RtValue::Int(50_000)));
}

#[test]
fn deep_recursion_is_a_stack_overflow_error() {
    let _g = heavy();
    let mut p = Program::default();
    p.sources.add("down.rpy", "x\n".repeat(12) + "    return down(n - 1) + 1\n");
    let down = down_graph(&mut p);
    let mut interp = Interp::new(&p);
    let err = interp.call(down, &[RtValue::Int(1_000_000)]).unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::StackOverflow);
    assert_eq!(err.span, Span::new(0, 13, 9));
    assert_eq!(err.graph, "down");
    assert_eq!(err.to_string(), "stack overflow: more than 100000 nested calls");
    assert_eq!(
        err.render(&p.sources),
        concat!(
            "down.rpy:13:9: runtime error: stack overflow: more than 100000 nested calls\n",
            "        return down(n - 1) + 1\n",
            "            ^\n"
        )
    );
    // The interpreter is usable afterwards, and the limit is adjustable.
    assert_eq!(interp.call(down, &[RtValue::Int(1000)]), Ok(RtValue::Int(1000)));
    interp.set_max_depth(10);
    assert_eq!(interp.call(down, &[RtValue::Int(9)]), Ok(RtValue::Int(9)));
    assert_eq!(
        interp.call(down, &[RtValue::Int(10)]).unwrap_err().kind,
        RuntimeErrorKind::StackOverflow
    );
}

#[test]
fn function_pointers() {
    let mut p = Program::default();
    let sig = p.types.sig(vec![Ty::Int], Ty::Int);
    let mk = |p: &mut Program, name: &str, opcode: Opcode, k: i64| {
        let (mut g, e) = graph(name, vec![Ty::Int], Ty::Int);
        let x = param(&g, 0);
        let r = op(&mut g, e, opcode, &[x, ci(k)], Aux::None, Ty::Int, 1);
        ret(&mut g, e, Some(v(r)));
        p.add_graph(g)
    };
    let inc = mk(&mut p, "inc", Opcode::IntAdd, 1);
    let dbl = mk(&mut p, "dbl", Opcode::IntMul, 2);
    // apply(f, x) = f(x)
    let (mut g, e) = graph("apply", vec![Ty::Func(sig), Ty::Int], Ty::Int);
    let (f, x) = (param(&g, 0), param(&g, 1));
    let r = op(&mut g, e, Opcode::CallIndirect, &[f, x], Aux::Sig(sig), Ty::Int, 1);
    ret(&mut g, e, Some(v(r)));
    let apply = p.add_graph(g);
    // Holder(f: fn(int) -> int)
    let holder = p.types.declare_struct("Holder", false).unwrap();
    p.types.set_fields(holder, None, vec![Field { name: "f".into(), ty: Ty::Func(sig) }]);
    // main(x) = apply(inc, x) * 1000 + apply(h.f, x) where h.f = dbl, then a call through a
    // fresh (zeroed) Holder's field.
    let (mut g, e) = graph("main", vec![Ty::Int, Ty::Bool], Ty::Int);
    let (x, crash) = (param(&g, 0), param(&g, 1));
    let a = op(&mut g, e, Opcode::Call, &[cst(Const::Func(inc)), x], Aux::Graph(apply), Ty::Int, 1);
    let h = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(holder), Ty::Ref(holder), 2);
    op0(&mut g, e, Opcode::SetField, &[v(h), cst(Const::Func(dbl))], Aux::Field(holder, 0), 3);
    let hf = op(&mut g, e, Opcode::GetField, &[v(h)], Aux::Field(holder, 0), Ty::Func(sig), 4);
    let b = op(&mut g, e, Opcode::Call, &[v(hf), x], Aux::Graph(apply), Ty::Int, 5);
    let a1000 = op(&mut g, e, Opcode::IntMul, &[v(a), ci(1000)], Aux::None, Ty::Int, 6);
    let r = op(&mut g, e, Opcode::IntAdd, &[v(a1000), v(b)], Aux::None, Ty::Int, 6);
    let same =
        op(&mut g, e, Opcode::PtrEq, &[v(hf), cst(Const::Func(dbl))], Aux::None, Ty::Bool, 7);
    let crash_b = g.add_block(Span::UNKNOWN);
    let done = g.add_block(Span::UNKNOWN);
    branch(&mut g, e, crash, (crash_b, &[]), (done, &[]));
    let z = op(&mut g, crash_b, Opcode::Malloc, &[], Aux::Type(holder), Ty::Ref(holder), 8);
    let zf =
        op(&mut g, crash_b, Opcode::GetField, &[v(z)], Aux::Field(holder, 0), Ty::Func(sig), 9);
    let bad = op(&mut g, crash_b, Opcode::CallIndirect, &[v(zf), x], Aux::Sig(sig), Ty::Int, 10);
    ret(&mut g, crash_b, Some(v(bad)));
    let s = op(&mut g, done, Opcode::CastBoolToInt, &[v(same)], Aux::None, Ty::Int, 11);
    let s7 = op(&mut g, done, Opcode::IntLshift, &[v(s), ci(40)], Aux::None, Ty::Int, 11);
    let out = op(&mut g, done, Opcode::IntAdd, &[v(r), v(s7)], Aux::None, Ty::Int, 11);
    ret(&mut g, done, Some(v(out)));
    let main = p.add_graph(g);
    assert_eq!(
        run(&p, main, &[RtValue::Int(5), RtValue::Bool(false)]),
        Ok(RtValue::Int(6010 + (1 << 40)))
    );
    let err = run(&p, main, &[RtValue::Int(5), RtValue::Bool(true)]).unwrap_err();
    assert_eq!((err.kind, err.span), (RuntimeErrorKind::NullDereference, sp(10)));
    assert_eq!(err.message, "null dereference: call through a null function pointer");
    assert_eq!(run(&p, apply, &[RtValue::Func(dbl), RtValue::Int(21)]), Ok(RtValue::Int(42)));
    // Function pointers come back as such.
    let (mut g, e) = graph("pick", vec![], Ty::Func(sig));
    ret(&mut g, e, Some(cst(Const::Func(inc))));
    let pick = p.add_graph(g);
    assert_eq!(run(&p, pick, &[]), Ok(RtValue::Func(inc)));
    let _ = SigIdx::new(0);
}

#[test]
#[should_panic(expected = "argument 0 of sum")]
fn wrong_argument_types_panic() {
    let mut p = Program::default();
    let gi = sum_graph(&mut p);
    let _ = run(&p, gi, &[RtValue::Float(1.0)]);
}
