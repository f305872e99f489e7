//! Int, float, bool, char and pointer ops, casts, `same_as` and hints: each op on its edge cases.

use super::support::*;
use crate::ir::{Aux, Const, HintFlags};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::runtime::RuntimeErrorKind;
use crate::span::Span;

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
    for (opc, want) in [
        (IntLt, [true, false, false]),
        (IntLe, [true, true, false]),
        (IntEq, [false, true, false]),
        (IntNe, [true, false, true]),
        (IntGt, [false, false, true]),
        (IntGe, [false, true, true]),
    ] {
        let got = [(-1, 1), (1, 1), (2, 1)].map(|(a, b)| cmp2(opc, Ty::Int, i(a), i(b)));
        assert_eq!(got, want, "{opc}");
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
    let (mut g, e) = graph("ptrs", vec![r], Ty::Int);
    let x = param(&g, 0);
    let o = op(&mut g, e, Malloc, &[], Aux::Type(node), r, 1);
    let null = cst(Const::Null(node));
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
    let (mut g, e) = graph("loop", vec![Ty::Int], Ty::Int);
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
