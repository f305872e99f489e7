//! Source locations of instructions (`CodeObject::locs`): the spans and anchors the
//! traceback's position markers are drawn from, as CPython 3.11's `co_positions`.

use lang_mini_python::bytecode::{CodeObject, Op};
use lang_mini_python::compile_source;
use lang_mini_python::location::{Anchor, Loc};

/// The location of the first instruction `op` in the module's code.
fn loc_of(code: &CodeObject, op: Op) -> Loc {
    let pc = (0..code.ops.len()).find(|&pc| code.instr(pc).0 == op).expect("the instruction");
    code.locs[pc]
}

fn cols(l: Loc) -> (u32, u32, u32, u32) {
    (l.pos.line, l.pos.col, l.pos.end_line, l.pos.end_col)
}

#[test]
fn a_binary_operation_spans_its_parentheses_and_anchors_its_operator() {
    let code = compile_source("x = a / (b - 3)\n", "t.py").expect("compiles");
    let l = loc_of(&code, Op::BINARY_OP);
    // the sub-expression `b - 3` comes first; the division is the last BINARY_OP
    let last = (0..code.ops.len()).rev().find(|&pc| code.instr(pc).0 == Op::BINARY_OP).unwrap();
    let div = code.locs[last];
    assert_eq!(cols(div), (1, 4, 1, 15));
    assert_eq!(div.anchor, Anchor::BinOp(5, 9));
    assert_eq!(cols(l), (1, 9, 1, 14));
}

#[test]
fn a_subscript_anchors_its_index_and_a_call_has_no_anchor() {
    let code = compile_source("y = items[i + 1]\nf(y)\n", "t.py").expect("compiles");
    let l = loc_of(&code, Op::BINARY_SUBSCR);
    assert_eq!(cols(l), (1, 4, 1, 16));
    assert_eq!(l.anchor, Anchor::Subscript(9, 16));
    let c = loc_of(&code, Op::CALL_FUNCTION);
    assert_eq!((cols(c), c.anchor), ((2, 0, 2, 4), Anchor::None));
}

#[test]
fn a_compound_statement_spans_its_body() {
    let code = compile_source("for x in y:\n    pass\n    pass\n", "t.py").expect("compiles");
    let l = loc_of(&code, Op::FOR_ITER);
    assert_eq!((l.pos.line, l.pos.end_line), (1, 3));
}
