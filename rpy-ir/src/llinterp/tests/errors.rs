//! Run-time errors: each kind with its op's span and message, and their rendering.

use super::support::*;
use crate::ir::{Aux, Block, Const, Exit, Graph, Target, Value, Var};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::runtime::RuntimeErrorKind;
use crate::span::Span;

#[test]
fn every_runtime_error_has_its_span() {
    let mut p = Program::default();
    let text = "def f(k):\n    y = a // b\n";
    p.sources.add("t.rpy", text);
    let (obj, int_obj, str_obj) = class_types(&mut p);
    let ints = p.types.array(Ty::Int, false);
    // f(k) switches on k to one failing op per block, each with its own span.
    let (mut g, e) = graph("f", vec![Ty::Int], Ty::Int);
    let k = param(&g, 0);
    let null_obj = cst(Const::Null(obj));
    let null_arr = cst(Const::Null(ints));
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
                vec![cst(Const::Null(int_obj)), ci(1)],
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
