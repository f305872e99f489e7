//! Extern calls: output, strings, unknown externs.

use super::support::*;
use crate::externs::capture_output;
use crate::ir::Const;
use crate::llinterp::*;
use crate::runtime::str_text;
use crate::span::Span;
use crate::types::TypeTable;

#[test]
fn externs_print_and_build_strings() {
    let mut p = Program::default();
    let label = p.intern_str("x=");
    let a = p.intern_str("a");
    let s_ty = Ty::Ref(TypeTable::STR);
    let (mut g, e) = graph("main", vec![Ty::Int, Ty::Ref(TypeTable::STR)], s_ty);
    let (n, arg) = (param(&g, 0), param(&g, 1));
    ext(&mut g, e, "print_str", &[cst(Const::Prebuilt(label))], Ty::Void, 1);
    ext(&mut g, e, "print_int", &[n], Ty::Void, 2);
    ext(&mut g, e, "print_newline", &[], Ty::Void, 3);
    let s = ext(&mut g, e, "int_to_str", &[ci(-5)], s_ty, 4).unwrap();
    let s2 = ext(&mut g, e, "str_concat", &[cst(Const::Prebuilt(a)), v(s)], s_ty, 5).unwrap();
    ext(&mut g, e, "print_str", &[v(s2)], Ty::Void, 6);
    ext(&mut g, e, "print_char", &[cst(Const::Char(' '))], Ty::Void, 7);
    ext(&mut g, e, "print_float", &[cf(0.1)], Ty::Void, 8);
    ext(&mut g, e, "print_str", &[arg], Ty::Void, 9);
    ext(&mut g, e, "print_str", &[cst(Const::Null(TypeTable::STR))], Ty::Void, 10);
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
#[should_panic(expected = "unknown extern `no_such_extern`")]
fn unknown_externs_panic_at_creation() {
    let mut p = Program::default();
    let (mut g, e) = graph("f", vec![], Ty::Void);
    ext(&mut g, e, "no_such_extern", &[], Ty::Void, 1);
    p.add_graph(g);
    Interp::new(&p);
}
