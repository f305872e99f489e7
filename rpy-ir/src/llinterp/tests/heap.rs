//! Structs (with inheritance and casts), arrays, prebuilt objects, and the API's objects.

use super::support::*;
use crate::ir::{Aux, Const, Prebuilt};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::runtime::{str_text, RuntimeErrorKind};
use crate::types::TypeTable;

#[test]
fn structs_with_inheritance() {
    let mut p = Program::default();
    let (obj, int_obj, str_obj) = class_types(&mut p);
    let (mut g, e) = graph("classes", vec![Ty::Int], Ty::Int);
    let x = param(&g, 0);
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(int_obj), Ty::Ref(int_obj), 1);
    let up = op(&mut g, e, Opcode::SameAs, &[v(o)], Aux::None, Ty::Ref(obj), 2);
    // Write the inherited field through the upcast pointer, the own field directly.
    op0(&mut g, e, Opcode::SetField, &[v(up), ci(7)], Aux::Field(obj, 0), 3);
    op0(&mut g, e, Opcode::SetField, &[v(o), x], Aux::Field(int_obj, 1), 4);
    let is_int = op(&mut g, e, Opcode::InstanceOf, &[v(up)], Aux::Type(int_obj), Ty::Bool, 5);
    let is_str = op(&mut g, e, Opcode::InstanceOf, &[v(up)], Aux::Type(str_obj), Ty::Bool, 6);
    let is_obj = op(&mut g, e, Opcode::InstanceOf, &[v(up)], Aux::Type(obj), Ty::Bool, 7);
    let null = cst(Const::Null(obj));
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
    let (mut g, e) = graph("badcast", vec![], Ty::Int);
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
    let (mut g, e) = graph("arrays", vec![Ty::Int], Ty::Int);
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
        &[v(c), v(last), cst(Const::Char('\u{fa}'))],
        Aux::Array(chars),
        7,
    );
    // Neighbouring bytes stay untouched.
    op0(
        &mut g,
        e,
        Opcode::SetArrayItem,
        &[v(c), ci(0), cst(Const::Char('z'))],
        Aux::Array(chars),
        7,
    );
    op0(
        &mut g,
        e,
        Opcode::SetArrayItem,
        &[v(b), ci(1), cst(Const::Bool(true))],
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
    let (mut g, e) = graph("pre", vec![Ty::Int], Ty::Int);
    let i = param(&g, 0);
    let sov = cst(Const::Prebuilt(so));
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
        &[cst(Const::Prebuilt(table)), i],
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
    // Compiled once for `interp`'s prebuilt objects, the code serves several interpreters,
    // which share those objects (the tag bumped by one is seen by the next).
    let pre = std::sync::Arc::new(Precompiled::new(&p, &interp.prebuilt_words()));
    assert_eq!(pre.prebuilt_words(), interp.prebuilt_words());
    let mut a = Interp::with_precompiled(&p, pre.clone());
    let mut b = Interp::with_precompiled(&p, pre.clone());
    assert_eq!(std::sync::Arc::strong_count(&pre), 3, "one precompiled form, shared");
    let expect = |tag: i64| Ok(RtValue::Int(b'e' as i64 + 5000 + 20_000_000 + tag * 1_000_000_000));
    assert_eq!(a.call(gi, &[RtValue::Int(1)]), expect(11));
    assert_eq!(b.call(gi, &[RtValue::Int(1)]), expect(12));
    drop(a);
    gc::collect();
    assert_eq!(b.call(gi, &[RtValue::Int(1)]), expect(13));
    assert_eq!(interp.read_field(interp.prebuilt(so), str_obj, 0), RtValue::Int(14));
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(&*pre);
}

#[test]
fn api_objects_are_pinned_and_readable() {
    let _g = heavy();
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
