//! Tests of the IR interpreter on graphs built by hand.

use super::*;
use crate::externs::capture_output;
use crate::ir::{Aux, Block, Const, Exit, Graph, HintFlags, Prebuilt, Target, Value, Var};
use crate::ops::Opcode;
use crate::runtime::{str_text, RuntimeErrorKind};
use crate::span::Span;
use crate::types::TypeTable;
use crate::types::{Field, SigIdx};
use std::cell::{Cell, RefCell};
use std::sync::Mutex;

/// Serialises the tests that measure or stress the (process-wide) GC heap.
static HEAVY: Mutex<()> = Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

fn sp(line: u32) -> Span {
    Span::new(0, line, 1)
}

fn ci(i: i64) -> Value {
    Value::Const(Const::Int(i))
}

fn cf(f: f64) -> Value {
    Value::Const(Const::float(f))
}

fn v(var: Var) -> Value {
    Value::Var(var)
}

/// Appends an op with a result.
fn op(g: &mut Graph, b: Block, opcode: Opcode, args: &[Value], aux: Aux, ty: Ty, line: u32) -> Var {
    g.push_op(b, opcode, args.to_vec(), aux, ty, sp(line)).expect("op has a result")
}

/// Appends an op without a result.
fn op0(g: &mut Graph, b: Block, opcode: Opcode, args: &[Value], aux: Aux, line: u32) {
    assert!(g.push_op(b, opcode, args.to_vec(), aux, Ty::Void, sp(line)).is_none());
}

fn goto(g: &mut Graph, from: Block, to: Block, args: &[Value]) {
    g.blocks[from].exit = Exit::Goto(Target { block: to, args: args.to_vec() });
}

fn branch(g: &mut Graph, from: Block, cond: Value, t: (Block, &[Value]), f: (Block, &[Value])) {
    g.blocks[from].exit = Exit::Branch {
        cond,
        if_true: Target { block: t.0, args: t.1.to_vec() },
        if_false: Target { block: f.0, args: f.1.to_vec() },
    };
}

fn ret(g: &mut Graph, b: Block, value: Option<Value>) {
    g.blocks[b].exit = Exit::Return(value);
}

fn param(g: &Graph, i: usize) -> Value {
    Value::Var(g.param_vars()[i])
}

/// Runs a one-op graph `f(params) -> ret` whose op takes the parameters as operands.
fn eval(
    opcode: Opcode,
    aux: Aux,
    params: &[Ty],
    ret_ty: Ty,
    args: &[RtValue],
) -> Result<RtValue, RuntimeError> {
    let mut p = Program::default();
    let mut g = Graph::new("f", params.to_vec(), ret_ty, Span::UNKNOWN);
    let e = g.entry;
    let operands: Vec<Value> = g.param_vars().iter().map(|&x| x.into()).collect();
    let r = g.push_op(e, opcode, operands, aux, ret_ty, sp(1));
    ret(&mut g, e, r.map(Value::Var));
    let gi = p.add_graph(g);
    run(&p, gi, args)
}

fn int2(opcode: Opcode, a: i64, b: i64) -> Result<i64, RuntimeErrorKind> {
    eval(opcode, Aux::None, &[Ty::Int, Ty::Int], Ty::Int, &[RtValue::Int(a), RtValue::Int(b)])
        .map(|r| r.as_int().unwrap())
        .map_err(|e| e.kind)
}

fn cmp2(opcode: Opcode, ty: Ty, a: RtValue, b: RtValue) -> bool {
    eval(opcode, Aux::None, &[ty, ty], Ty::Bool, &[a, b]).unwrap().as_bool().unwrap()
}

fn float2(opcode: Opcode, a: f64, b: f64) -> f64 {
    eval(
        opcode,
        Aux::None,
        &[Ty::Float, Ty::Float],
        Ty::Float,
        &[RtValue::Float(a), RtValue::Float(b)],
    )
    .unwrap()
    .as_float()
    .unwrap()
}

fn unary(opcode: Opcode, from: Ty, to: Ty, a: RtValue) -> Result<RtValue, RuntimeErrorKind> {
    eval(opcode, Aux::None, &[from], to, &[a]).map_err(|e| e.kind)
}

const MIN: i64 = i64::MIN;
const MAX: i64 = i64::MAX;

#[test]
fn int_arithmetic() {
    use Opcode::*;
    assert_eq!(int2(IntAdd, 2, 3), Ok(5));
    assert_eq!(int2(IntAdd, MAX, 1), Ok(MIN));
    assert_eq!(int2(IntSub, MIN, 1), Ok(MAX));
    assert_eq!(int2(IntMul, 1 << 62, 4), Ok(0));
    assert_eq!(int2(IntMul, -3, 7), Ok(-21));
    assert_eq!(int2(IntAnd, 0b1100, 0b1010), Ok(0b1000));
    assert_eq!(int2(IntOr, 0b1100, 0b1010), Ok(0b1110));
    assert_eq!(int2(IntXor, 0b1100, 0b1010), Ok(0b0110));
}

#[test]
fn int_floordiv_and_mod_follow_python() {
    use Opcode::*;
    for (a, b, q, r) in [
        (7, 2, 3, 1),
        (-7, 2, -4, 1),
        (7, -2, -4, -1),
        (-7, -2, 3, -1),
        (6, 3, 2, 0),
        (-6, 3, -2, 0),
        (0, -5, 0, 0),
        (MIN, -1, MIN, 0),
        (MIN, 1, MIN, 0),
        (MAX, -1, -MAX, 0),
        (MIN, 2, MIN / 2, 0),
        (MIN, MAX, -2, MAX - 1),
        (1, MIN, -1, MIN + 1),
    ] {
        assert_eq!(int2(IntFloorDiv, a, b), Ok(q), "{a} // {b}");
        assert_eq!(int2(IntMod, a, b), Ok(r), "{a} % {b}");
    }
    assert_eq!(int2(IntFloorDiv, 5, 0), Err(RuntimeErrorKind::DivisionByZero));
    assert_eq!(int2(IntMod, 5, 0), Err(RuntimeErrorKind::DivisionByZero));
}

#[test]
fn int_shifts() {
    use Opcode::*;
    assert_eq!(int2(IntLshift, 1, 3), Ok(8));
    assert_eq!(int2(IntLshift, 1, 63), Ok(MIN));
    assert_eq!(int2(IntLshift, 3, 63), Ok(MIN));
    assert_eq!(int2(IntLshift, 1, 64), Ok(0));
    assert_eq!(int2(IntLshift, -1, 1000), Ok(0));
    assert_eq!(int2(IntLshift, 1, -1), Err(RuntimeErrorKind::NegativeShift));
    assert_eq!(int2(IntRshift, -8, 1), Ok(-4));
    assert_eq!(int2(IntRshift, 8, 2), Ok(2));
    assert_eq!(int2(IntRshift, MIN, 63), Ok(-1));
    assert_eq!(int2(IntRshift, -1, 64), Ok(-1));
    assert_eq!(int2(IntRshift, -5, MAX), Ok(-1));
    assert_eq!(int2(IntRshift, 5, 64), Ok(0));
    assert_eq!(int2(IntRshift, 5, 100), Ok(0));
    assert_eq!(int2(IntRshift, 5, MIN), Err(RuntimeErrorKind::NegativeShift));
}

#[test]
fn int_comparisons_and_unary() {
    use Opcode::*;
    let i = RtValue::Int;
    for (opc, want) in
        [(IntLt, [true, false, false]), (IntLe, [true, true, false]), (IntEq, [false, true, false])]
    {
        assert_eq!(
            [
                cmp2(opc, Ty::Int, i(-1), i(1)),
                cmp2(opc, Ty::Int, i(1), i(1)),
                cmp2(opc, Ty::Int, i(2), i(1))
            ],
            want
        );
    }
    for (opc, want) in
        [(IntNe, [true, false, true]), (IntGt, [false, false, true]), (IntGe, [false, true, true])]
    {
        assert_eq!(
            [
                cmp2(opc, Ty::Int, i(-1), i(1)),
                cmp2(opc, Ty::Int, i(1), i(1)),
                cmp2(opc, Ty::Int, i(2), i(1))
            ],
            want
        );
    }
    assert!(cmp2(IntLt, Ty::Int, i(MIN), i(MAX)));
    assert_eq!(unary(IntNeg, Ty::Int, Ty::Int, i(5)), Ok(i(-5)));
    assert_eq!(unary(IntNeg, Ty::Int, Ty::Int, i(MIN)), Ok(i(MIN)));
    assert_eq!(unary(IntInvert, Ty::Int, Ty::Int, i(0)), Ok(i(-1)));
    assert_eq!(unary(IntInvert, Ty::Int, Ty::Int, i(MAX)), Ok(i(MIN)));
}

#[test]
fn float_ops() {
    use Opcode::*;
    assert_eq!(float2(FloatAdd, 0.1, 0.2), 0.1 + 0.2);
    assert_eq!(float2(FloatSub, 1.0, 3.0), -2.0);
    assert_eq!(float2(FloatMul, 1.5, 4.0), 6.0);
    assert_eq!(float2(FloatTrueDiv, 1.0, 4.0), 0.25);
    assert_eq!(float2(FloatTrueDiv, 1.0, 0.0), f64::INFINITY);
    assert_eq!(float2(FloatTrueDiv, -1.0, 0.0), f64::NEG_INFINITY);
    assert!(float2(FloatTrueDiv, 0.0, 0.0).is_nan());
    let neg =
        unary(FloatNeg, Ty::Float, Ty::Float, RtValue::Float(0.0)).unwrap().as_float().unwrap();
    assert_eq!(neg.to_bits(), (-0.0f64).to_bits());
    let f = RtValue::Float;
    let nan = f64::NAN;
    for (opc, want) in [
        (FloatLt, [true, false, false, false]),
        (FloatLe, [true, true, false, false]),
        (FloatEq, [false, true, false, false]),
        (FloatNe, [true, false, true, true]),
        (FloatGt, [false, false, true, false]),
        (FloatGe, [false, true, true, false]),
    ] {
        let got = [
            cmp2(opc, Ty::Float, f(1.0), f(2.0)),
            cmp2(opc, Ty::Float, f(2.0), f(2.0)),
            cmp2(opc, Ty::Float, f(3.0), f(2.0)),
            cmp2(opc, Ty::Float, f(nan), f(nan)),
        ];
        assert_eq!(got, want, "{opc}");
    }
    assert!(cmp2(FloatEq, Ty::Float, f(0.0), f(-0.0)));
}

#[test]
fn casts() {
    use Opcode::*;
    use RtValue::{Bool, Char, Float, Int};
    assert_eq!(unary(CastIntToFloat, Ty::Int, Ty::Float, Int(-3)), Ok(Float(-3.0)));
    assert_eq!(
        unary(CastIntToFloat, Ty::Int, Ty::Float, Int((1 << 53) + 1)),
        Ok(Float((1u64 << 53) as f64))
    );
    for (x, want) in [
        (3.9, 3),
        (-3.9, -3),
        (1e300, MAX),
        (-1e300, MIN),
        (f64::NAN, 0),
        (f64::INFINITY, MAX),
        (f64::NEG_INFINITY, MIN),
        (-0.0, 0),
    ] {
        assert_eq!(unary(CastFloatToInt, Ty::Float, Ty::Int, Float(x)), Ok(Int(want)), "int({x})");
    }
    assert_eq!(unary(CastCharToInt, Ty::Char, Ty::Int, Char('\u{c8}')), Ok(Int(200)));
    assert_eq!(unary(CastIntToChar, Ty::Int, Ty::Char, Int(65)), Ok(Char('A')));
    assert_eq!(unary(CastIntToChar, Ty::Int, Ty::Char, Int(255)), Ok(Char('\u{ff}')));
    assert_eq!(unary(CastIntToChar, Ty::Int, Ty::Char, Int(0x10FFFF)), Ok(Char('\u{10FFFF}')));
    assert_eq!(unary(CastCharToInt, Ty::Char, Ty::Int, Char('😀')), Ok(Int(0x1F600)));
    for bad in [0x110000, 0xD800, 0xDFFF, i64::MIN] {
        assert_eq!(
            unary(CastIntToChar, Ty::Int, Ty::Char, Int(bad)),
            Err(RuntimeErrorKind::InvalidChr),
            "chr({bad})"
        );
    }
    assert_eq!(unary(CastIntToChar, Ty::Int, Ty::Char, Int(-1)), Err(RuntimeErrorKind::InvalidChr));
    assert_eq!(unary(CastBoolToInt, Ty::Bool, Ty::Int, Bool(true)), Ok(Int(1)));
    assert_eq!(unary(CastBoolToInt, Ty::Bool, Ty::Int, Bool(false)), Ok(Int(0)));
}

#[test]
fn bool_char_and_pointer_ops() {
    use Opcode::*;
    use RtValue::{Bool, Char};
    assert_eq!(unary(BoolNot, Ty::Bool, Ty::Bool, Bool(true)), Ok(Bool(false)));
    assert_eq!(unary(BoolNot, Ty::Bool, Ty::Bool, Bool(false)), Ok(Bool(true)));
    assert!(cmp2(BoolEq, Ty::Bool, Bool(true), Bool(true)));
    assert!(!cmp2(BoolEq, Ty::Bool, Bool(true), Bool(false)));
    assert!(cmp2(BoolNe, Ty::Bool, Bool(false), Bool(true)));
    assert!(cmp2(CharEq, Ty::Char, Char('a'), Char('a')));
    assert!(cmp2(CharNe, Ty::Char, Char('a'), Char('b')));
    // Chars compare as unsigned codes.
    assert!(cmp2(CharLt, Ty::Char, Char('\u{64}'), Char('\u{c8}')));
    assert!(cmp2(CharLe, Ty::Char, Char('\u{c8}'), Char('\u{c8}')));
    assert!(cmp2(CharGt, Ty::Char, Char('\u{ff}'), Char('\u{0}')));
    assert!(!cmp2(CharGe, Ty::Char, Char('\u{0}'), Char('\u{ff}')));

    let mut p = Program::default();
    let node = p.types.declare_struct("Node", false).unwrap();
    p.types.set_fields(node, None, vec![]);
    let r = Ty::Ref(node);
    let mut g = Graph::new("ptrs", vec![r], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let x = param(&g, 0);
    let o = op(&mut g, e, Malloc, &[], Aux::Type(node), r, 1);
    let null = Value::Const(Const::Null(node));
    let checks = [
        op(&mut g, e, PtrEq, &[v(o), v(o)], Aux::None, Ty::Bool, 2),
        op(&mut g, e, PtrNe, &[v(o), x], Aux::None, Ty::Bool, 3),
        op(&mut g, e, PtrEq, &[x, null], Aux::None, Ty::Bool, 4),
        op(&mut g, e, PtrIsNull, &[x], Aux::None, Ty::Bool, 5),
        op(&mut g, e, PtrNonNull, &[v(o)], Aux::None, Ty::Bool, 6),
        op(&mut g, e, PtrIsNull, &[v(o)], Aux::None, Ty::Bool, 7),
    ];
    // result = sum(check_i << i)
    let mut acc = ci(0);
    for (i, c) in checks.into_iter().enumerate() {
        let bit = op(&mut g, e, CastBoolToInt, &[v(c)], Aux::None, Ty::Int, 8);
        let sh = op(&mut g, e, IntLshift, &[v(bit), ci(i as i64)], Aux::None, Ty::Int, 8);
        acc = v(op(&mut g, e, IntOr, &[acc, v(sh)], Aux::None, Ty::Int, 8));
    }
    ret(&mut g, e, Some(acc));
    let gi = p.add_graph(g);
    assert_eq!(run(&p, gi, &[RtValue::Ref(std::ptr::null_mut())]), Ok(RtValue::Int(0b011111)));
    let mut interp = Interp::new(&p);
    let obj = interp.alloc_struct(node, &[]);
    assert_eq!(interp.call(gi, &[obj]), Ok(RtValue::Int(0b010011)));
}

#[test]
fn same_as_and_hints_are_identity() {
    let i = RtValue::Int(42);
    assert_eq!(unary(Opcode::SameAs, Ty::Int, Ty::Int, i), Ok(i));
    let flags = HintFlags { promote: true, ..HintFlags::default() };
    assert_eq!(eval(Opcode::Hint, Aux::Hint(flags), &[Ty::Int], Ty::Int, &[i]), Ok(i));

    // A global merge point (no operand, no result) is a no-op inside a loop.
    let mut p = Program::default();
    let mut g = Graph::new("loop", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let head = g.add_block(Span::UNKNOWN);
    let i0 = g.add_param(head, Ty::Int, None);
    let done = g.add_block(Span::UNKNOWN);
    let n0 = param(&g, 0);
    goto(&mut g, e, head, &[n0]);
    let gmp = HintFlags { global_merge_point: true, ..HintFlags::default() };
    op0(&mut g, head, Opcode::Hint, &[], Aux::Hint(gmp), 1);
    let i1 = op(&mut g, head, Opcode::IntSub, &[v(i0), ci(1)], Aux::None, Ty::Int, 2);
    let c = op(&mut g, head, Opcode::IntGt, &[v(i1), ci(0)], Aux::None, Ty::Bool, 3);
    branch(&mut g, head, v(c), (head, &[v(i1)]), (done, &[]));
    ret(&mut g, done, Some(v(i1)));
    let gi = p.add_graph(g);
    let mut interp = Interp::new(&p);
    assert_eq!(interp.call(gi, &[RtValue::Int(10)]), Ok(RtValue::Int(0)));
    // 10 iterations of 3 ops, and the entry block has none.
    assert_eq!(interp.ops_executed(), 30);
    interp.reset_ops_executed();
    assert_eq!(interp.ops_executed(), 0);
}

/// `sum(n)`: `s = 0; i = 0; while i < n: s += i; i += 1; return s`.
fn sum_graph(p: &mut Program) -> GraphIdx {
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
    let mut g = Graph::new("fibswap", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
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
        let mut g = Graph::new("sw", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
        let e = g.entry;
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
    let mut g = Graph::new("sw", vec![Ty::Char], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
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

/// Obj(tag: int) <- IntObj(value: int), Obj <- StrObj(s: str); returns (obj, int_obj, str_obj).
fn class_types(p: &mut Program) -> (HeapTypeIdx, HeapTypeIdx, HeapTypeIdx) {
    let t = &mut p.types;
    let obj = t.declare_struct("Obj", false).unwrap();
    let int_obj = t.declare_struct("IntObj", false).unwrap();
    let str_obj = t.declare_struct("StrObj", true).unwrap();
    t.set_fields(obj, None, vec![Field { name: "tag".into(), ty: Ty::Int }]);
    t.set_fields(int_obj, Some(obj), vec![Field { name: "value".into(), ty: Ty::Int }]);
    t.set_fields(str_obj, Some(obj), vec![Field { name: "s".into(), ty: Ty::Ref(TypeTable::STR) }]);
    (obj, int_obj, str_obj)
}

#[test]
fn structs_with_inheritance() {
    let mut p = Program::default();
    let (obj, int_obj, str_obj) = class_types(&mut p);
    let mut g = Graph::new("classes", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let x = param(&g, 0);
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(int_obj), Ty::Ref(int_obj), 1);
    let up = op(&mut g, e, Opcode::SameAs, &[v(o)], Aux::None, Ty::Ref(obj), 2);
    // Write the inherited field through the upcast pointer, the own field directly.
    op0(&mut g, e, Opcode::SetField, &[v(up), ci(7)], Aux::Field(obj, 0), 3);
    op0(&mut g, e, Opcode::SetField, &[v(o), x], Aux::Field(int_obj, 1), 4);
    let is_int = op(&mut g, e, Opcode::InstanceOf, &[v(up)], Aux::Type(int_obj), Ty::Bool, 5);
    let is_str = op(&mut g, e, Opcode::InstanceOf, &[v(up)], Aux::Type(str_obj), Ty::Bool, 6);
    let is_obj = op(&mut g, e, Opcode::InstanceOf, &[v(up)], Aux::Type(obj), Ty::Bool, 7);
    let null = Value::Const(Const::Null(obj));
    let null_is = op(&mut g, e, Opcode::InstanceOf, &[null], Aux::Type(obj), Ty::Bool, 8);
    let down = op(&mut g, e, Opcode::Cast, &[v(up)], Aux::Type(int_obj), Ty::Ref(int_obj), 9);
    let value = op(&mut g, e, Opcode::GetField, &[v(down)], Aux::Field(int_obj, 1), Ty::Int, 10);
    let tag = op(&mut g, e, Opcode::GetField, &[v(down)], Aux::Field(int_obj, 0), Ty::Int, 11);
    let null_cast = op(&mut g, e, Opcode::Cast, &[null], Aux::Type(str_obj), Ty::Ref(str_obj), 12);
    let null_ok = op(&mut g, e, Opcode::PtrIsNull, &[v(null_cast)], Aux::None, Ty::Bool, 13);
    let type_tag = op(&mut g, e, Opcode::TypeOf, &[v(up)], Aux::None, Ty::Int, 14);
    // result = value + 100*tag + 1000*type_tag + flags << 20
    let mut acc = v(value);
    let t100 = op(&mut g, e, Opcode::IntMul, &[v(tag), ci(100)], Aux::None, Ty::Int, 15);
    acc = v(op(&mut g, e, Opcode::IntAdd, &[acc, v(t100)], Aux::None, Ty::Int, 15));
    let tt = op(&mut g, e, Opcode::IntMul, &[v(type_tag), ci(1000)], Aux::None, Ty::Int, 15);
    acc = v(op(&mut g, e, Opcode::IntAdd, &[acc, v(tt)], Aux::None, Ty::Int, 15));
    for (i, flag) in [is_int, is_str, is_obj, null_is, null_ok].into_iter().enumerate() {
        let b = op(&mut g, e, Opcode::CastBoolToInt, &[v(flag)], Aux::None, Ty::Int, 16);
        let s =
            op(&mut g, e, Opcode::IntLshift, &[v(b), ci(20 + i as i64)], Aux::None, Ty::Int, 16);
        acc = v(op(&mut g, e, Opcode::IntOr, &[acc, v(s)], Aux::None, Ty::Int, 16));
    }
    ret(&mut g, e, Some(acc));
    let gi = p.add_graph(g);
    let interp = Interp::new(&p);
    let int_tag = interp.layout().tag(int_obj) as i64;
    drop(interp);
    let flags = (1 << 20) | (1 << 22) | (1 << 24);
    assert_eq!(
        run(&p, gi, &[RtValue::Int(42)]),
        Ok(RtValue::Int(42 + 700 + 1000 * int_tag + flags))
    );
}

#[test]
fn failed_cast_names_both_types() {
    let mut p = Program::default();
    let (obj, int_obj, str_obj) = class_types(&mut p);
    let mut g = Graph::new("badcast", vec![], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(int_obj), Ty::Ref(int_obj), 1);
    let up = op(&mut g, e, Opcode::SameAs, &[v(o)], Aux::None, Ty::Ref(obj), 2);
    let s = op(&mut g, e, Opcode::Cast, &[v(up)], Aux::Type(str_obj), Ty::Ref(str_obj), 3);
    let t = op(&mut g, e, Opcode::GetField, &[v(s)], Aux::Field(str_obj, 0), Ty::Int, 4);
    ret(&mut g, e, Some(v(t)));
    let gi = p.add_graph(g);
    let err = run(&p, gi, &[]).unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::BadCast);
    assert_eq!(err.span, sp(3));
    assert_eq!(err.message, "cannot cast a `IntObj` to `StrObj`");
    assert_eq!(err.graph, "badcast");
}

#[test]
fn arrays_of_ints_chars_bools_and_refs() {
    let mut p = Program::default();
    let (obj, _, _) = class_types(&mut p);
    let ints = p.types.array(Ty::Int, false);
    let chars = p.types.array(Ty::Char, false);
    let bools = p.types.array(Ty::Bool, false);
    let objs = p.types.array(Ty::Ref(obj), false);
    let mut g = Graph::new("arrays", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let n = param(&g, 0);
    let a = op(&mut g, e, Opcode::MallocArray, &[n], Aux::Type(ints), Ty::Ref(ints), 1);
    let c = op(&mut g, e, Opcode::MallocArray, &[n], Aux::Type(chars), Ty::Ref(chars), 2);
    let b = op(&mut g, e, Opcode::MallocArray, &[n], Aux::Type(bools), Ty::Ref(bools), 3);
    let os = op(&mut g, e, Opcode::MallocArray, &[n], Aux::Type(objs), Ty::Ref(objs), 4);
    let last = op(&mut g, e, Opcode::IntSub, &[n, ci(1)], Aux::None, Ty::Int, 5);
    op0(&mut g, e, Opcode::SetArrayItem, &[v(a), v(last), ci(-77)], Aux::Array(ints), 6);
    op0(
        &mut g,
        e,
        Opcode::SetArrayItem,
        &[v(c), v(last), Value::Const(Const::Char('\u{fa}'))],
        Aux::Array(chars),
        7,
    );
    // Neighbouring bytes stay untouched.
    op0(
        &mut g,
        e,
        Opcode::SetArrayItem,
        &[v(c), ci(0), Value::Const(Const::Char('z'))],
        Aux::Array(chars),
        7,
    );
    op0(
        &mut g,
        e,
        Opcode::SetArrayItem,
        &[v(b), ci(1), Value::Const(Const::Bool(true))],
        Aux::Array(bools),
        8,
    );
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(obj), Ty::Ref(obj), 9);
    op0(&mut g, e, Opcode::SetField, &[v(o), ci(5)], Aux::Field(obj, 0), 9);
    op0(&mut g, e, Opcode::SetArrayItem, &[v(os), ci(2), v(o)], Aux::Array(objs), 10);
    let ga = op(&mut g, e, Opcode::GetArrayItem, &[v(a), v(last)], Aux::Array(ints), Ty::Int, 11);
    let gc0 = op(&mut g, e, Opcode::GetArrayItem, &[v(c), ci(0)], Aux::Array(chars), Ty::Char, 12);
    let gc1 = op(&mut g, e, Opcode::GetArrayItem, &[v(c), ci(1)], Aux::Array(chars), Ty::Char, 12);
    let gcl =
        op(&mut g, e, Opcode::GetArrayItem, &[v(c), v(last)], Aux::Array(chars), Ty::Char, 12);
    let gb = op(&mut g, e, Opcode::GetArrayItem, &[v(b), ci(1)], Aux::Array(bools), Ty::Bool, 13);
    let go =
        op(&mut g, e, Opcode::GetArrayItem, &[v(os), ci(2)], Aux::Array(objs), Ty::Ref(obj), 14);
    let gof = op(&mut g, e, Opcode::GetField, &[v(go)], Aux::Field(obj, 0), Ty::Int, 14);
    let len = op(&mut g, e, Opcode::ArrayLen, &[v(os)], Aux::None, Ty::Int, 15);
    // Encode everything in one int.
    let mut acc = v(ga);
    for (x, scale, is_char) in [
        (gc0, 1_000, true),
        (gc1, 1_000_000, true),
        (gcl, 1_000_000_000, true),
        (len, 100, false),
        (gof, 10, false),
    ] {
        let xi = if is_char {
            op(&mut g, e, Opcode::CastCharToInt, &[v(x)], Aux::None, Ty::Int, 16)
        } else {
            x
        };
        let m = op(&mut g, e, Opcode::IntMul, &[v(xi), ci(scale)], Aux::None, Ty::Int, 16);
        acc = v(op(&mut g, e, Opcode::IntAdd, &[acc, v(m)], Aux::None, Ty::Int, 16));
    }
    let bi = op(&mut g, e, Opcode::CastBoolToInt, &[v(gb)], Aux::None, Ty::Int, 17);
    let bs = op(&mut g, e, Opcode::IntMul, &[v(bi), ci(1 << 40)], Aux::None, Ty::Int, 17);
    acc = v(op(&mut g, e, Opcode::IntAdd, &[acc, v(bs)], Aux::None, Ty::Int, 17));
    ret(&mut g, e, Some(acc));
    let gi = p.add_graph(g);
    let want = -77 + 1_000 * b'z' as i64 + 250 * 1_000_000_000 + 100 * 4 + 50 + (1 << 40);
    assert_eq!(run(&p, gi, &[RtValue::Int(4)]), Ok(RtValue::Int(want)));
    let err = run(&p, gi, &[RtValue::Int(2)]).unwrap_err();
    assert_eq!((err.kind, err.span), (RuntimeErrorKind::IndexOutOfBounds, sp(10)));
    assert_eq!(err.message, "index 2 out of bounds for length 2");
    let err = run(&p, gi, &[RtValue::Int(0)]).unwrap_err();
    assert_eq!((err.kind, err.span), (RuntimeErrorKind::IndexOutOfBounds, sp(6)));
    assert_eq!(err.message, "index -1 out of bounds for length 0");
    let err = run(&p, gi, &[RtValue::Int(-3)]).unwrap_err();
    assert_eq!((err.kind, err.span), (RuntimeErrorKind::NegativeLength, sp(1)));
    assert_eq!(err.message, "negative array length -3");
    let err = run(&p, gi, &[RtValue::Int(1 << 40)]).unwrap_err();
    assert_eq!((err.kind, err.span), (RuntimeErrorKind::OutOfMemory, sp(1)));
}

#[test]
fn prebuilt_strings_structs_and_arrays() {
    let mut p = Program::default();
    let (_, _, str_obj) = class_types(&mut p);
    let ints = p.types.array(Ty::Int, true);
    let hello = p.intern_str("hello");
    assert_eq!(p.intern_str("hello"), hello);
    let so =
        p.prebuilt.push(Prebuilt::Struct(str_obj, vec![Const::Int(9), Const::Prebuilt(hello)]));
    let table = p
        .prebuilt
        .push(Prebuilt::Array(ints, vec![Const::Int(10), Const::Int(20), Const::Int(30)]));
    // f(i) = len(so.s) * 1000 + ord(so.s[i]) + table[i] * 10**6 + so.tag * 10**9
    let mut g = Graph::new("pre", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let i = param(&g, 0);
    let sov = Value::Const(Const::Prebuilt(so));
    let s =
        op(&mut g, e, Opcode::GetField, &[sov], Aux::Field(str_obj, 1), Ty::Ref(TypeTable::STR), 1);
    let len = op(&mut g, e, Opcode::ArrayLen, &[v(s)], Aux::None, Ty::Int, 2);
    let ch =
        op(&mut g, e, Opcode::GetArrayItem, &[v(s), i], Aux::Array(TypeTable::STR), Ty::Char, 3);
    let code = op(&mut g, e, Opcode::CastCharToInt, &[v(ch)], Aux::None, Ty::Int, 4);
    let item = op(
        &mut g,
        e,
        Opcode::GetArrayItem,
        &[Value::Const(Const::Prebuilt(table)), i],
        Aux::Array(ints),
        Ty::Int,
        5,
    );
    let tag = op(&mut g, e, Opcode::GetField, &[sov], Aux::Field(str_obj, 0), Ty::Int, 6);
    // Prebuilt structs are mutable: bump the tag for the next call on the same Interp.
    let tag2 = op(&mut g, e, Opcode::IntAdd, &[v(tag), ci(1)], Aux::None, Ty::Int, 7);
    op0(&mut g, e, Opcode::SetField, &[sov, v(tag2)], Aux::Field(str_obj, 0), 7);
    let mut acc = v(code);
    for (x, scale) in [(len, 1000), (item, 1_000_000), (tag, 1_000_000_000)] {
        let m = op(&mut g, e, Opcode::IntMul, &[v(x), ci(scale)], Aux::None, Ty::Int, 8);
        acc = v(op(&mut g, e, Opcode::IntAdd, &[acc, v(m)], Aux::None, Ty::Int, 8));
    }
    ret(&mut g, e, Some(acc));
    let gi = p.add_graph(g);
    let mut interp = Interp::new(&p);
    assert_eq!(
        interp.call(gi, &[RtValue::Int(1)]),
        Ok(RtValue::Int(b'e' as i64 + 5000 + 20_000_000 + 9_000_000_000))
    );
    gc::collect();
    assert_eq!(
        interp.call(gi, &[RtValue::Int(2)]),
        Ok(RtValue::Int(b'l' as i64 + 5000 + 30_000_000 + 10_000_000_000))
    );
    assert_eq!(str_text(interp.prebuilt(hello)).as_deref(), Some("hello"));
    assert_eq!(interp.read_field(interp.prebuilt(so), str_obj, 0), RtValue::Int(11));
    assert_eq!(interp.read_item(interp.prebuilt(table), ints, 2), RtValue::Int(30));
    assert_eq!(interp.tag_of(interp.prebuilt(hello)), crate::layout::STR_TAG);
    // A fresh interpreter has fresh prebuilt objects.
    assert_eq!(
        run(&p, gi, &[RtValue::Int(0)]),
        Ok(RtValue::Int(b'h' as i64 + 5000 + 10_000_000 + 9_000_000_000))
    );
}

/// `fact(n) = 1 if n <= 1 else n * fact(n - 1)`.
fn fact_graph(p: &mut Program) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let mut g = Graph::new("fact", vec![Ty::Int], Ty::Int, sp(1));
    let e = g.entry;
    let n = param(&g, 0);
    let base = g.add_block(sp(2));
    let rec = g.add_block(sp(3));
    let rn = g.add_param(rec, Ty::Int, None);
    let c = op(&mut g, e, Opcode::IntLe, &[n, ci(1)], Aux::None, Ty::Bool, 1);
    branch(&mut g, e, v(c), (base, &[]), (rec, &[n]));
    ret(&mut g, base, Some(ci(1)));
    let m = op(&mut g, rec, Opcode::IntSub, &[v(rn), ci(1)], Aux::None, Ty::Int, 3);
    let r = op(&mut g, rec, Opcode::Call, &[v(m)], Aux::Graph(me), Ty::Int, 4);
    let x = op(&mut g, rec, Opcode::IntMul, &[v(rn), v(r)], Aux::None, Ty::Int, 5);
    ret(&mut g, rec, Some(v(x)));
    p.add_graph(g)
}

/// `down(n) = 0 if n == 0 else down(n - 1) + 1`.
fn down_graph(p: &mut Program) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let mut g = Graph::new("down", vec![Ty::Int], Ty::Int, sp(10));
    let e = g.entry;
    let n = param(&g, 0);
    let base = g.add_block(sp(11));
    let rec = g.add_block(sp(12));
    let rn = g.add_param(rec, Ty::Int, None);
    let c = op(&mut g, e, Opcode::IntEq, &[n, ci(0)], Aux::None, Ty::Bool, 10);
    branch(&mut g, e, v(c), (base, &[]), (rec, &[n]));
    ret(&mut g, base, Some(ci(0)));
    let m = op(&mut g, rec, Opcode::IntSub, &[v(rn), ci(1)], Aux::None, Ty::Int, 12);
    let r = g
        .push_op(rec, Opcode::Call, vec![v(m)], Aux::Graph(me), Ty::Int, Span::new(0, 13, 9))
        .unwrap();
    let x = op(&mut g, rec, Opcode::IntAdd, &[v(r), ci(1)], Aux::None, Ty::Int, 14);
    ret(&mut g, rec, Some(v(x)));
    p.add_graph(g)
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
        let mut g = Graph::new(name, vec![Ty::Int], Ty::Int, Span::UNKNOWN);
        let e = g.entry;
        let x = param(&g, 0);
        let r = op(&mut g, e, opcode, &[x, ci(k)], Aux::None, Ty::Int, 1);
        ret(&mut g, e, Some(v(r)));
        p.add_graph(g)
    };
    let inc = mk(&mut p, "inc", Opcode::IntAdd, 1);
    let dbl = mk(&mut p, "dbl", Opcode::IntMul, 2);
    // apply(f, x) = f(x)
    let mut g = Graph::new("apply", vec![Ty::Func(sig), Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let (f, x) = (param(&g, 0), param(&g, 1));
    let r = op(&mut g, e, Opcode::CallIndirect, &[f, x], Aux::Sig(sig), Ty::Int, 1);
    ret(&mut g, e, Some(v(r)));
    let apply = p.add_graph(g);
    // Holder(f: fn(int) -> int)
    let holder = p.types.declare_struct("Holder", false).unwrap();
    p.types.set_fields(holder, None, vec![Field { name: "f".into(), ty: Ty::Func(sig) }]);
    // main(x) = apply(inc, x) * 1000 + apply(h.f, x) where h.f = dbl, then a call through a
    // fresh (zeroed) Holder's field.
    let mut g = Graph::new("main", vec![Ty::Int, Ty::Bool], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let (x, crash) = (param(&g, 0), param(&g, 1));
    let a = op(
        &mut g,
        e,
        Opcode::Call,
        &[Value::Const(Const::Func(inc)), x],
        Aux::Graph(apply),
        Ty::Int,
        1,
    );
    let h = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(holder), Ty::Ref(holder), 2);
    op0(
        &mut g,
        e,
        Opcode::SetField,
        &[v(h), Value::Const(Const::Func(dbl))],
        Aux::Field(holder, 0),
        3,
    );
    let hf = op(&mut g, e, Opcode::GetField, &[v(h)], Aux::Field(holder, 0), Ty::Func(sig), 4);
    let b = op(&mut g, e, Opcode::Call, &[v(hf), x], Aux::Graph(apply), Ty::Int, 5);
    let a1000 = op(&mut g, e, Opcode::IntMul, &[v(a), ci(1000)], Aux::None, Ty::Int, 6);
    let r = op(&mut g, e, Opcode::IntAdd, &[v(a1000), v(b)], Aux::None, Ty::Int, 6);
    let same = op(
        &mut g,
        e,
        Opcode::PtrEq,
        &[v(hf), Value::Const(Const::Func(dbl))],
        Aux::None,
        Ty::Bool,
        7,
    );
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
    let mut g = Graph::new("pick", vec![], Ty::Func(sig), Span::UNKNOWN);
    let e = g.entry;
    ret(&mut g, e, Some(Value::Const(Const::Func(inc))));
    let pick = p.add_graph(g);
    assert_eq!(run(&p, pick, &[]), Ok(RtValue::Func(inc)));
    let _ = SigIdx::new(0);
}

fn ext(g: &mut Graph, b: Block, name: &str, args: &[Value], ty: Ty, line: u32) -> Option<Var> {
    g.push_op(b, Opcode::CallExtern, args.to_vec(), Aux::Extern(name.into()), ty, sp(line))
}

#[test]
fn externs_print_and_build_strings() {
    let mut p = Program::default();
    let label = p.intern_str("x=");
    let a = p.intern_str("a");
    let s_ty = Ty::Ref(TypeTable::STR);
    let mut g = Graph::new("main", vec![Ty::Int, Ty::Ref(TypeTable::STR)], s_ty, Span::UNKNOWN);
    let e = g.entry;
    let (n, arg) = (param(&g, 0), param(&g, 1));
    ext(&mut g, e, "print_str", &[Value::Const(Const::Prebuilt(label))], Ty::Void, 1);
    ext(&mut g, e, "print_int", &[n], Ty::Void, 2);
    ext(&mut g, e, "print_newline", &[], Ty::Void, 3);
    let s = ext(&mut g, e, "int_to_str", &[ci(-5)], s_ty, 4).unwrap();
    let s2 =
        ext(&mut g, e, "str_concat", &[Value::Const(Const::Prebuilt(a)), v(s)], s_ty, 5).unwrap();
    ext(&mut g, e, "print_str", &[v(s2)], Ty::Void, 6);
    ext(&mut g, e, "print_char", &[Value::Const(Const::Char(' '))], Ty::Void, 7);
    ext(&mut g, e, "print_float", &[cf(0.1)], Ty::Void, 8);
    ext(&mut g, e, "print_str", &[arg], Ty::Void, 9);
    ext(&mut g, e, "print_str", &[Value::Const(Const::Null(TypeTable::STR))], Ty::Void, 10);
    let eq = ext(&mut g, e, "str_eq", &[v(s2), v(s2)], Ty::Bool, 11).unwrap();
    let f = ext(&mut g, e, "float_to_str", &[cf(1e16)], s_ty, 12).unwrap();
    let sl = ext(&mut g, e, "str_slice", &[v(f), ci(-2), ci(100)], s_ty, 13).unwrap();
    let out_b = g.add_block(Span::UNKNOWN);
    let r = g.add_param(out_b, s_ty, None);
    branch(&mut g, e, v(eq), (out_b, &[v(sl)]), (out_b, &[v(f)]));
    ret(&mut g, out_b, Some(v(r)));
    let gi = p.add_graph(g);
    let mut interp = Interp::new(&p);
    let arg = interp.alloc_str("[arg]");
    let (result, out) = capture_output(|| interp.call(gi, &[RtValue::Int(42), arg]));
    assert_eq!(out, "x=42\na-5 0.1[arg]<null>");
    assert_eq!(str_text(result.unwrap()).as_deref(), Some("16"));
}

#[test]
fn every_runtime_error_has_its_span() {
    let mut p = Program::default();
    let text = "def f(k):\n    y = a // b\n";
    p.sources.add("t.rpy", text);
    let (obj, int_obj, str_obj) = class_types(&mut p);
    let ints = p.types.array(Ty::Int, false);
    // f(k) switches on k to one failing op per block, each with its own span.
    let mut g = Graph::new("f", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let k = param(&g, 0);
    let null_obj = Value::Const(Const::Null(obj));
    let null_arr = Value::Const(Const::Null(ints));
    type Build = Box<dyn Fn(&mut Graph, Block, Span) -> Var>;
    let at = |op_: Opcode, args: Vec<Value>, aux: Aux, ty: Ty| -> Build {
        Box::new(move |g, b, span| g.push_op(b, op_, args.clone(), aux.clone(), ty, span).unwrap())
    };
    let cases: Vec<(RuntimeErrorKind, &str, Build)> = vec![
        (
            RuntimeErrorKind::DivisionByZero,
            "integer division by zero",
            at(Opcode::IntFloorDiv, vec![ci(1), ci(0)], Aux::None, Ty::Int),
        ),
        (
            RuntimeErrorKind::DivisionByZero,
            "integer modulo by zero",
            at(Opcode::IntMod, vec![ci(1), ci(0)], Aux::None, Ty::Int),
        ),
        (
            RuntimeErrorKind::NegativeShift,
            "negative shift count -3",
            at(Opcode::IntLshift, vec![ci(1), ci(-3)], Aux::None, Ty::Int),
        ),
        (
            RuntimeErrorKind::NegativeShift,
            "negative shift count -1",
            at(Opcode::IntRshift, vec![ci(1), ci(-1)], Aux::None, Ty::Int),
        ),
        (
            RuntimeErrorKind::InvalidChr,
            "chr() argument 55296 is not a Unicode scalar value (0..=0x10FFFF, no surrogate)",
            at(Opcode::CastIntToChar, vec![ci(0xD800)], Aux::None, Ty::Char),
        ),
        (
            RuntimeErrorKind::NegativeLength,
            "negative array length -1",
            at(Opcode::MallocArray, vec![ci(-1)], Aux::Type(ints), Ty::Ref(ints)),
        ),
        (
            RuntimeErrorKind::NullDereference,
            "null dereference: reading field `tag` of a null `Obj`",
            at(Opcode::GetField, vec![null_obj], Aux::Field(obj, 0), Ty::Int),
        ),
        (
            RuntimeErrorKind::NullDereference,
            "null dereference: reading an item of a null `array[int]`",
            at(Opcode::GetArrayItem, vec![null_arr, ci(0)], Aux::Array(ints), Ty::Int),
        ),
        (
            RuntimeErrorKind::NullDereference,
            "null dereference: length of a null array",
            at(Opcode::ArrayLen, vec![null_arr], Aux::None, Ty::Int),
        ),
        (
            RuntimeErrorKind::NullDereference,
            "null dereference: type of a null pointer",
            at(Opcode::TypeOf, vec![null_obj], Aux::None, Ty::Int),
        ),
        (
            RuntimeErrorKind::JitHookMissing,
            "jit_hook #3 reached with no JIT installed",
            at(Opcode::JitHook, vec![k, null_obj], Aux::Hook(3), Ty::Int),
        ),
    ];
    let mut targets = Vec::new();
    let mut expected = Vec::new();
    for (i, (kind, msg, build)) in cases.iter().enumerate() {
        let b = g.add_block(Span::UNKNOWN);
        let span = Span::new(0, 2, 5 + i as u32);
        build(&mut g, b, span);
        ret(&mut g, b, Some(ci(0)));
        targets.push((i as i64, Target { block: b, args: vec![] }));
        expected.push((*kind, span, msg.to_string()));
    }
    // Effects without results: setfield and setarrayitem on null; a failed cast; bounds.
    let mut extra = |g: &mut Graph, kind, msg: &str, f: &dyn Fn(&mut Graph, Block, Span)| {
        let b = g.add_block(Span::UNKNOWN);
        let span = Span::new(0, 2, 5 + targets.len() as u32);
        f(g, b, span);
        ret(g, b, Some(ci(0)));
        targets.push((targets.len() as i64, Target { block: b, args: vec![] }));
        expected.push((kind, span, msg.to_string()));
    };
    extra(
        &mut g,
        RuntimeErrorKind::NullDereference,
        "null dereference: writing field `value` of a null `IntObj`",
        &|g, b, s| {
            g.push_op(
                b,
                Opcode::SetField,
                vec![Value::Const(Const::Null(int_obj)), ci(1)],
                Aux::Field(int_obj, 1),
                Ty::Void,
                s,
            );
        },
    );
    extra(
        &mut g,
        RuntimeErrorKind::NullDereference,
        "null dereference: writing an item of a null `array[int]`",
        &|g, b, s| {
            g.push_op(
                b,
                Opcode::SetArrayItem,
                vec![null_arr, ci(0), ci(1)],
                Aux::Array(ints),
                Ty::Void,
                s,
            );
        },
    );
    extra(
        &mut g,
        RuntimeErrorKind::IndexOutOfBounds,
        "index 3 out of bounds for length 3",
        &|g, b, s| {
            let a = g
                .push_op(
                    b,
                    Opcode::MallocArray,
                    vec![ci(3)],
                    Aux::Type(ints),
                    Ty::Ref(ints),
                    Span::UNKNOWN,
                )
                .unwrap();
            g.push_op(
                b,
                Opcode::SetArrayItem,
                vec![v(a), ci(3), ci(1)],
                Aux::Array(ints),
                Ty::Void,
                s,
            );
        },
    );
    extra(&mut g, RuntimeErrorKind::BadCast, "cannot cast a `StrObj` to `IntObj`", &|g, b, s| {
        let o = g
            .push_op(b, Opcode::Malloc, vec![], Aux::Type(str_obj), Ty::Ref(str_obj), Span::UNKNOWN)
            .unwrap();
        g.push_op(b, Opcode::Cast, vec![v(o)], Aux::Type(int_obj), Ty::Ref(int_obj), s);
    });
    extra(
        &mut g,
        RuntimeErrorKind::OutOfMemory,
        "out of memory allocating a `array[int]` of length 4611686018427387904",
        &|g, b, s| {
            g.push_op(b, Opcode::MallocArray, vec![ci(1 << 62)], Aux::Type(ints), Ty::Ref(ints), s);
        },
    );
    let ok = g.add_block(Span::UNKNOWN);
    ret(&mut g, ok, Some(ci(1)));
    g.blocks[e].exit =
        Exit::Switch { value: k, cases: targets, default: Target { block: ok, args: vec![] } };
    let gi = p.add_graph(g);
    let mut interp = Interp::new(&p);
    let mut kinds = std::collections::HashSet::new();
    for (i, (kind, span, msg)) in expected.iter().enumerate() {
        let err = interp.call(gi, &[RtValue::Int(i as i64)]).unwrap_err();
        assert_eq!((err.kind, err.span, &err.message), (*kind, *span, msg), "case {i}");
        assert_eq!(err.graph, "f");
        kinds.insert(err.kind);
    }
    assert_eq!(kinds.len(), 10 - 1, "every kind but StackOverflow (tested on its own)");
    assert_eq!(interp.call(gi, &[RtValue::Int(-1)]), Ok(RtValue::Int(1)));
    let err = interp.call(gi, &[RtValue::Int(0)]).unwrap_err();
    assert_eq!(
        err.render(&p.sources),
        "t.rpy:2:5: runtime error: integer division by zero\n        y = a // b\n        ^\n"
    );
    let unknown = RuntimeError { span: Span::UNKNOWN, ..err };
    assert_eq!(
        unknown.render(&p.sources),
        "<unknown>: runtime error: integer division by zero\n    in graph f\n"
    );
}

/// `Node(next: Node, value: int)`.
fn node_type(p: &mut Program) -> HeapTypeIdx {
    let node = p.types.declare_struct("Node", false).unwrap();
    p.types.set_fields(
        node,
        None,
        vec![
            Field { name: "next".into(), ty: Ty::Ref(node) },
            Field { name: "value".into(), ty: Ty::Int },
        ],
    );
    node
}

/// `churn(n, keep_list)`: allocates `n` nodes; each points to the previous one if `keep_list`
/// (building a list reachable only from a register), else is garbage at once. Returns the last
/// node.
fn churn_graph(p: &mut Program, node: HeapTypeIdx) -> GraphIdx {
    let r = Ty::Ref(node);
    let mut g = Graph::new("churn", vec![Ty::Int, Ty::Bool], r, Span::UNKNOWN);
    let e = g.entry;
    let (n, keep) = (param(&g, 0), param(&g, 1));
    let head = g.add_block(Span::UNKNOWN);
    let [i, last] = [Ty::Int, r].map(|t| g.add_param(head, t, None));
    let body = g.add_block(Span::UNKNOWN);
    let exit = g.add_block(Span::UNKNOWN);
    goto(&mut g, e, head, &[ci(0), Value::Const(Const::Null(node))]);
    let c = op(&mut g, head, Opcode::IntLt, &[v(i), n], Aux::None, Ty::Bool, 1);
    branch(&mut g, head, v(c), (body, &[]), (exit, &[]));
    let o = op(&mut g, body, Opcode::Malloc, &[], Aux::Type(node), r, 2);
    op0(&mut g, body, Opcode::SetField, &[v(o), v(i)], Aux::Field(node, 1), 3);
    let link = g.add_block(Span::UNKNOWN);
    let next = g.add_block(Span::UNKNOWN);
    branch(&mut g, body, keep, (link, &[]), (next, &[]));
    op0(&mut g, link, Opcode::SetField, &[v(o), v(last)], Aux::Field(node, 0), 4);
    goto(&mut g, link, next, &[]);
    let i2 = op(&mut g, next, Opcode::IntAdd, &[v(i), ci(1)], Aux::None, Ty::Int, 5);
    goto(&mut g, next, head, &[v(i2), v(o)]);
    ret(&mut g, exit, Some(v(last)));
    p.add_graph(g)
}

/// `check(list_len, garbage)`: builds a list of `list_len` nodes, allocates `garbage` more
/// nodes (collections happen), then walks the list and returns the sum of values, or -1 if the
/// list is corrupted.
fn check_graph(p: &mut Program, node: HeapTypeIdx, churn: GraphIdx) -> GraphIdx {
    let r = Ty::Ref(node);
    let mut g = Graph::new("check", vec![Ty::Int, Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let (len, garbage) = (param(&g, 0), param(&g, 1));
    let t = Value::Const(Const::Bool(true));
    let f = Value::Const(Const::Bool(false));
    let list = op(&mut g, e, Opcode::Call, &[len, t], Aux::Graph(churn), r, 1);
    op(&mut g, e, Opcode::Call, &[garbage, f], Aux::Graph(churn), r, 2);
    let walk = g.add_block(Span::UNKNOWN);
    let [cur, expect, sum] = [r, Ty::Int, Ty::Int].map(|t| g.add_param(walk, t, None));
    let len1 = op(&mut g, e, Opcode::IntSub, &[len, ci(1)], Aux::None, Ty::Int, 3);
    goto(&mut g, e, walk, &[v(list), v(len1), ci(0)]);
    let more = op(&mut g, walk, Opcode::PtrNonNull, &[v(cur)], Aux::None, Ty::Bool, 4);
    let step = g.add_block(Span::UNKNOWN);
    let end = g.add_block(Span::UNKNOWN);
    branch(&mut g, walk, v(more), (step, &[]), (end, &[]));
    let val = op(&mut g, step, Opcode::GetField, &[v(cur)], Aux::Field(node, 1), Ty::Int, 5);
    let good = op(&mut g, step, Opcode::IntEq, &[v(val), v(expect)], Aux::None, Ty::Bool, 6);
    let cont = g.add_block(Span::UNKNOWN);
    let bad = g.add_block(Span::UNKNOWN);
    branch(&mut g, step, v(good), (cont, &[]), (bad, &[]));
    ret(&mut g, bad, Some(ci(-1)));
    let nx = op(&mut g, cont, Opcode::GetField, &[v(cur)], Aux::Field(node, 0), r, 7);
    let e2 = op(&mut g, cont, Opcode::IntSub, &[v(expect), ci(1)], Aux::None, Ty::Int, 8);
    let s2 = op(&mut g, cont, Opcode::IntAdd, &[v(sum), v(val)], Aux::None, Ty::Int, 9);
    goto(&mut g, cont, walk, &[v(nx), v(e2), v(s2)]);
    let ended_right = op(&mut g, end, Opcode::IntEq, &[v(expect), ci(-1)], Aux::None, Ty::Bool, 10);
    let done = g.add_block(Span::UNKNOWN);
    branch(&mut g, end, v(ended_right), (done, &[]), (bad, &[]));
    ret(&mut g, done, Some(v(sum)));
    p.add_graph(g)
}

#[test]
fn gc_keeps_objects_held_only_in_registers() {
    let _g = heavy();
    let mut p = Program::default();
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    let check = check_graph(&mut p, node, churn);
    let n = 100_000i64;
    assert_eq!(
        run(&p, check, &[RtValue::Int(n), RtValue::Int(2_000_000)]),
        Ok(RtValue::Int(n * (n - 1) / 2))
    );
}

/// `keep(d, garbage)`: each level allocates a node holding `d`, recurses, and after the call
/// checks the node (reachable only from its frame); the bottom allocates `garbage` nodes.
fn keep_graph(p: &mut Program, node: HeapTypeIdx, churn: GraphIdx) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let r = Ty::Ref(node);
    let mut g = Graph::new("keep", vec![Ty::Int, Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let (d, garbage) = (param(&g, 0), param(&g, 1));
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(node), r, 1);
    op0(&mut g, e, Opcode::SetField, &[v(o), d], Aux::Field(node, 1), 2);
    let bottom = op(&mut g, e, Opcode::IntEq, &[d, ci(0)], Aux::None, Ty::Bool, 3);
    let base = g.add_block(Span::UNKNOWN);
    let rec = g.add_block(Span::UNKNOWN);
    let after = g.add_block(Span::UNKNOWN);
    let sub = g.add_param(after, Ty::Int, None);
    branch(&mut g, e, v(bottom), (base, &[]), (rec, &[]));
    op(
        &mut g,
        base,
        Opcode::Call,
        &[garbage, Value::Const(Const::Bool(false))],
        Aux::Graph(churn),
        r,
        4,
    );
    goto(&mut g, base, after, &[ci(0)]);
    let d1 = op(&mut g, rec, Opcode::IntSub, &[d, ci(1)], Aux::None, Ty::Int, 5);
    let s = op(&mut g, rec, Opcode::Call, &[v(d1), garbage], Aux::Graph(me), Ty::Int, 6);
    goto(&mut g, rec, after, &[v(s)]);
    let val = op(&mut g, after, Opcode::GetField, &[v(o)], Aux::Field(node, 1), Ty::Int, 7);
    let total = op(&mut g, after, Opcode::IntAdd, &[v(sub), v(val)], Aux::None, Ty::Int, 8);
    ret(&mut g, after, Some(v(total)));
    p.add_graph(g)
}

#[test]
fn gc_keeps_objects_held_only_in_caller_frames() {
    let _g = heavy();
    let mut p = Program::default();
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    let keep = keep_graph(&mut p, node, churn);
    let d = 5_000i64;
    assert_eq!(
        run(&p, keep, &[RtValue::Int(d), RtValue::Int(1_000_000)]),
        Ok(RtValue::Int(d * (d + 1) / 2))
    );
}

#[test]
fn gc_heap_stays_small_in_an_allocation_loop() {
    let _g = heavy();
    let mut p = Program::default();
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    let mut interp = Interp::new(&p);
    let args = |n| [RtValue::Int(n), RtValue::Bool(false)];
    interp.call(churn, &args(100_000)).unwrap();
    gc::collect();
    let before = gc::heap_size();
    let n = 10_000_000;
    let last = interp.call(churn, &args(n)).unwrap();
    let after = gc::heap_size();
    assert_eq!(interp.read_field(last, node, 1), RtValue::Int(n - 1));
    eprintln!("gc heap: {before} bytes before, {after} after {n} allocations");
    assert!(after <= before + (4 << 20), "heap grew from {before} to {after} bytes");
    assert!(after < 32 << 20, "heap is {after} bytes");
}

#[test]
fn interpreters_run_on_many_threads() {
    let _g = heavy();
    let mut p = Program::default();
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    let check = check_graph(&mut p, node, churn);
    let fact = fact_graph(&mut p);
    let p = &p;
    std::thread::scope(|s| {
        for t in 0..4 {
            s.spawn(move || {
                let mut interp = Interp::new(p);
                for round in 0..3 {
                    let n = 20_000 + 1_000 * t + round;
                    assert_eq!(
                        interp.call(check, &[RtValue::Int(n), RtValue::Int(200_000)]),
                        Ok(RtValue::Int(n * (n - 1) / 2))
                    );
                    assert_eq!(interp.call(fact, &[RtValue::Int(10)]), Ok(RtValue::Int(3_628_800)));
                }
            });
        }
    });
}

#[test]
fn api_objects_are_pinned_and_readable() {
    let mut p = Program::default();
    let (obj, int_obj, _) = class_types(&mut p);
    let objs = p.types.array(Ty::Ref(obj), false);
    let bools = p.types.array(Ty::Bool, false);
    let mut interp = Interp::new(&p);
    let o = interp.alloc_struct(int_obj, &[RtValue::Int(1), RtValue::Int(2)]);
    let arr = interp.alloc_array(objs, &[o, RtValue::Ref(std::ptr::null_mut())]);
    let bs = interp
        .alloc_array(bools, &[RtValue::Bool(true), RtValue::Bool(false), RtValue::Bool(true)]);
    let s = interp.alloc_str("pinned");
    for _ in 0..300_000 {
        gc::alloc(32, true);
    }
    gc::collect();
    assert_eq!(interp.array_len(arr), 2);
    assert_eq!(interp.read_item(arr, objs, 0), o);
    assert_eq!(interp.read_field(o, int_obj, 1), RtValue::Int(2));
    assert_eq!(interp.read_item(bs, bools, 2), RtValue::Bool(true));
    assert_eq!(interp.read_item(bs, bools, 1), RtValue::Bool(false));
    assert_eq!(str_text(s).as_deref(), Some("pinned"));
    assert_eq!(interp.tag_of(o), interp.layout().tag(int_obj));
    assert_eq!(str_text(RtValue::Ref(std::ptr::null_mut())), None);
}

#[test]
#[should_panic(expected = "argument 0 of sum")]
fn wrong_argument_types_panic() {
    let mut p = Program::default();
    let gi = sum_graph(&mut p);
    let _ = run(&p, gi, &[RtValue::Float(1.0)]);
}

#[test]
#[should_panic(expected = "unknown extern `no_such_extern`")]
fn unknown_externs_panic_at_creation() {
    let mut p = Program::default();
    let mut g = Graph::new("f", vec![], Ty::Void, Span::UNKNOWN);
    let e = g.entry;
    ext(&mut g, e, "no_such_extern", &[], Ty::Void, 1);
    p.add_graph(g);
    Interp::new(&p);
}

/// `hooked(a: int, x: float, o: IntObj) -> int`:
/// `r = jit_hook #7(a, x, o, null Obj, @hooked, true, 'c')`, `jit_hook #8(r)`,
/// `o2: IntObj = jit_hook #9(o)`, returns `r + o2.value`.
fn hooked_graph(p: &mut Program, obj: HeapTypeIdx, int_obj: HeapTypeIdx) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let params = vec![Ty::Int, Ty::Float, Ty::Ref(int_obj)];
    let mut g = Graph::new("hooked", params, Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let (a, x, o) = (param(&g, 0), param(&g, 1), param(&g, 2));
    let consts = [Const::Null(obj), Const::Func(me), Const::Bool(true), Const::Char('c')];
    let args: Vec<Value> = [a, x, o].into_iter().chain(consts.map(Value::Const)).collect();
    let r = op(&mut g, e, Opcode::JitHook, &args, Aux::Hook(7), Ty::Int, 1);
    op0(&mut g, e, Opcode::JitHook, &[v(r)], Aux::Hook(8), 2);
    let o2 = op(&mut g, e, Opcode::JitHook, &[o], Aux::Hook(9), Ty::Ref(int_obj), 3);
    let val = op(&mut g, e, Opcode::GetField, &[v(o2)], Aux::Field(int_obj, 1), Ty::Int, 4);
    let sum = op(&mut g, e, Opcode::IntAdd, &[v(r), v(val)], Aux::None, Ty::Int, 5);
    ret(&mut g, e, Some(v(sum)));
    p.add_graph(g)
}

#[test]
fn jit_hook_gets_typed_operands_and_gives_the_result() {
    let mut p = Program::default();
    let (obj, int_obj, _) = class_types(&mut p);
    let gi = hooked_graph(&mut p, obj, int_obj);
    assert_eq!(crate::verify::verify_program(&p), Ok(()));
    // What the hook saw: site numbers and operands.
    let log = RefCell::new(Vec::new());
    let hook = |id, args: &[RtValue]| -> Result<RtValue, RuntimeError> {
        log.borrow_mut().push((id, args.to_vec()));
        Ok(match id {
            7 => RtValue::Int(40),
            9 => args[0],
            _ => RtValue::Void,
        })
    };
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hook);
    let o = interp.alloc_struct(int_obj, &[RtValue::Int(0), RtValue::Int(2)]);
    assert_eq!(interp.call(gi, &[RtValue::Int(5), RtValue::Float(2.5), o]), Ok(RtValue::Int(42)));
    assert_eq!(interp.ops_executed(), 5);
    let null = RtValue::Ref(std::ptr::null_mut());
    let operands = vec![
        RtValue::Int(5),
        RtValue::Float(2.5),
        o,
        null,
        RtValue::Func(gi),
        RtValue::Bool(true),
        RtValue::Char('c'),
    ];
    assert_eq!(*log.borrow(), [(7, operands), (8, vec![RtValue::Int(40)]), (9, vec![o])]);
}

#[test]
fn jit_hook_errors_stop_the_run() {
    let mut p = Program::default();
    let (obj, int_obj, _) = class_types(&mut p);
    let gi = hooked_graph(&mut p, obj, int_obj);
    let failure = RuntimeError {
        kind: RuntimeErrorKind::OutOfMemory,
        span: Span::new(0, 9, 9),
        message: "the JIT gave up".into(),
        graph: "jit".into(),
    };
    let calls = Cell::new(0);
    let failing = |id, args: &[RtValue]| -> Result<RtValue, RuntimeError> {
        calls.set(calls.get() + 1);
        match id {
            7 => Ok(RtValue::Int(1)),
            8 => Err(failure.clone()),
            _ => Ok(args[0]),
        }
    };
    let working = |id, args: &[RtValue]| -> Result<RtValue, RuntimeError> {
        Ok(if id == 7 { RtValue::Int(1) } else { args[0] })
    };
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&failing);
    let o = interp.alloc_struct(int_obj, &[RtValue::Int(0), RtValue::Int(2)]);
    let args = [RtValue::Int(5), RtValue::Float(2.5), o];
    assert_eq!(interp.call(gi, &args), Err(failure.clone()));
    assert_eq!(calls.get(), 2, "the op after the failing hook did not run");
    assert_eq!(interp.ops_executed(), 0, "the failing block is not counted");
    // The interpreter is usable again, with another hook.
    interp.set_jit_hook(&working);
    assert_eq!(interp.call(gi, &args), Ok(RtValue::Int(3)));
}

#[test]
fn jit_hook_without_a_jit_is_an_error() {
    let err = eval(Opcode::JitHook, Aux::Hook(3), &[Ty::Int], Ty::Int, &[RtValue::Int(1)]);
    let err = err.unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::JitHookMissing);
    assert_eq!(err.message, "jit_hook #3 reached with no JIT installed");
    assert_eq!(err.span, sp(1));
}

#[test]
#[should_panic(expected = "jit_hook #3 returned Float(1.0) for a result of type int")]
fn jit_hook_answers_of_the_wrong_type_panic() {
    let mut p = Program::default();
    let mut g = Graph::new("f", vec![], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let r = op(&mut g, e, Opcode::JitHook, &[], Aux::Hook(3), Ty::Int, 1);
    ret(&mut g, e, Some(v(r)));
    let gi = p.add_graph(g);
    let hook = |_, _: &[RtValue]| Ok(RtValue::Float(1.0));
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hook);
    let _ = interp.call(gi, &[]);
}

/// `nest(n)`: `o = malloc Node(value n)`, `r = jit_hook #1(n, o)`, returns `r + o.value`.
fn nest_graph(p: &mut Program, node: HeapTypeIdx) -> GraphIdx {
    let mut g = Graph::new("nest", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let e = g.entry;
    let n = param(&g, 0);
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(node), Ty::Ref(node), 1);
    op0(&mut g, e, Opcode::SetField, &[v(o), n], Aux::Field(node, 1), 2);
    let r = op(&mut g, e, Opcode::JitHook, &[n, v(o)], Aux::Hook(1), Ty::Int, 3);
    let val = op(&mut g, e, Opcode::GetField, &[v(o)], Aux::Field(node, 1), Ty::Int, 4);
    let sum = op(&mut g, e, Opcode::IntAdd, &[v(r), v(val)], Aux::None, Ty::Int, 5);
    ret(&mut g, e, Some(v(sum)));
    p.add_graph(g)
}

/// A JIT for `nest`, owning its own copy of the program.
struct NestJit {
    program: Program,
    node: HeapTypeIdx,
    churn: GraphIdx,
    nest: GraphIdx,
    /// Deepest nesting of interpreters seen.
    depth: Cell<usize>,
}

impl NestJit {
    /// `#1(n, o)`: checks the node, and unless `n` is 0 allocates garbage (so collections run
    /// while every interpreter outside waits) and runs `nest(n - 1)` in a new interpreter
    /// calling back into this JIT.
    fn miss(&self, id: u32, args: &[RtValue], depth: usize) -> Result<RtValue, RuntimeError> {
        assert_eq!(id, 1);
        self.depth.set(self.depth.get().max(depth));
        let n = args[0].as_int().unwrap();
        let mut inner = Interp::new(&self.program);
        assert_eq!(inner.read_field(args[1], self.node, 1), RtValue::Int(n));
        if n == 0 {
            return Ok(RtValue::Int(0));
        }
        inner.call(self.churn, &[RtValue::Int(200_000), RtValue::Bool(false)])?;
        gc::collect();
        // The node lives only in the waiting interpreter's registers.
        assert_eq!(inner.read_field(args[1], self.node, 1), RtValue::Int(n));
        let hook = |id, args: &[RtValue]| self.miss(id, args, depth + 1);
        inner.set_jit_hook(&hook);
        inner.call(self.nest, &[RtValue::Int(n - 1)])
    }
}

#[test]
fn jit_hooks_run_other_interpreters() {
    let _g = heavy();
    let mut p = Program::default();
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    let nest = nest_graph(&mut p, node);
    let jit = NestJit { program: p.clone(), node, churn, nest, depth: Cell::new(0) };
    let hook = |id, args: &[RtValue]| jit.miss(id, args, 1);
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hook);
    let n = 6;
    assert_eq!(interp.call(nest, &[RtValue::Int(n)]), Ok(RtValue::Int(n * (n + 1) / 2)));
    assert_eq!(jit.depth.get(), 7);
    assert_eq!(interp.ops_executed(), 5, "the inner interpreters count their own ops");
    // A failure deep inside (an inner interpreter without a hook) is the outer run's error.
    let hookless = |_, args: &[RtValue]| Interp::new(&jit.program).call(nest, &[args[0]]);
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hookless);
    let err = interp.call(nest, &[RtValue::Int(2)]).unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::JitHookMissing);
    assert_eq!(err.message, "jit_hook #1 reached with no JIT installed");
}

#[test]
fn instructions_stay_small() {
    assert!(std::mem::size_of::<compile::Inst>() <= 20, "{}", std::mem::size_of::<compile::Inst>());
}

/// Timing of the interpreter loop, in ns per executed IR op: run with
/// `cargo test --release -p rpy-ir llinterp::tests::bench -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench() {
    let mut p = Program::default();
    let sum = sum_graph(&mut p);
    let fact = fact_graph(&mut p);
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    let mut interp = Interp::new(&p);
    let mut time = |label: &str, g: GraphIdx, args: &[RtValue], reps: usize| {
        interp.reset_ops_executed();
        let t = std::time::Instant::now();
        for _ in 0..reps {
            interp.call(g, args).unwrap();
        }
        let ns = t.elapsed().as_nanos() as f64;
        let ops = interp.ops_executed() as f64;
        println!("{label}: {:.0} ms, {ops} ops, {:.2} ns/op", ns / 1e6, ns / ops);
    };
    time("sum loop 100M", sum, &[RtValue::Int(100_000_000)], 1);
    time("fact(20) x 1M", fact, &[RtValue::Int(20)], 1_000_000);
    time("alloc loop 10M", churn, &[RtValue::Int(10_000_000), RtValue::Bool(false)], 1);
}
