//! Builders shared by the IR interpreter's tests: graphs by hand, one op at a time, and the
//! types several tests declare.

use crate::ir::{Aux, Block, Const, Exit, Graph, Target, Value, Var};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::span::Span;
use crate::types::Field;
use crate::types::TypeTable;
use std::sync::Mutex;

pub(super) const MIN: i64 = i64::MIN;
pub(super) const MAX: i64 = i64::MAX;

/// Serialises the tests that measure or stress the (process-wide) GC heap.
static HEAVY: Mutex<()> = Mutex::new(());

pub(super) fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn sp(line: u32) -> Span {
    Span::new(0, line, 1)
}

pub(super) fn ci(i: i64) -> Value {
    Value::Const(Const::Int(i))
}

pub(super) fn cf(f: f64) -> Value {
    Value::Const(Const::float(f))
}

pub(super) fn cst(c: Const) -> Value {
    Value::Const(c)
}

/// A new graph `name(params) -> ret` and its entry block.
pub(super) fn graph(name: &str, params: Vec<Ty>, ret: Ty) -> (Graph, Block) {
    let g = Graph::new(name, params, ret, Span::UNKNOWN);
    let entry = g.entry;
    (g, entry)
}

pub(super) fn v(var: Var) -> Value {
    Value::Var(var)
}

/// Appends an op with a result.
pub(super) fn op(
    g: &mut Graph,
    b: Block,
    opcode: Opcode,
    args: &[Value],
    aux: Aux,
    ty: Ty,
    line: u32,
) -> Var {
    g.push_op(b, opcode, args.to_vec(), aux, ty, sp(line)).expect("op has a result")
}

/// Appends an op without a result.
pub(super) fn op0(g: &mut Graph, b: Block, opcode: Opcode, args: &[Value], aux: Aux, line: u32) {
    assert!(g.push_op(b, opcode, args.to_vec(), aux, Ty::Void, sp(line)).is_none());
}

pub(super) fn goto(g: &mut Graph, from: Block, to: Block, args: &[Value]) {
    g.blocks[from].exit = Exit::Goto(Target { block: to, args: args.to_vec() });
}

pub(super) fn branch(
    g: &mut Graph,
    from: Block,
    cond: Value,
    t: (Block, &[Value]),
    f: (Block, &[Value]),
) {
    g.blocks[from].exit = Exit::Branch {
        cond,
        if_true: Target { block: t.0, args: t.1.to_vec() },
        if_false: Target { block: f.0, args: f.1.to_vec() },
    };
}

pub(super) fn ret(g: &mut Graph, b: Block, value: Option<Value>) {
    g.blocks[b].exit = Exit::Return(value);
}

pub(super) fn param(g: &Graph, i: usize) -> Value {
    Value::Var(g.param_vars()[i])
}

/// Runs a one-op graph `f(params) -> ret` whose op takes the parameters as operands.
pub(super) fn eval(
    opcode: Opcode,
    aux: Aux,
    params: &[Ty],
    ret_ty: Ty,
    args: &[RtValue],
) -> Result<RtValue, RuntimeError> {
    let mut p = Program::default();
    let (mut g, e) = graph("f", params.to_vec(), ret_ty);
    let operands: Vec<Value> = g.param_vars().iter().map(|&x| x.into()).collect();
    let r = g.push_op(e, opcode, operands, aux, ret_ty, sp(1));
    ret(&mut g, e, r.map(Value::Var));
    let gi = p.add_graph(g);
    run(&p, gi, args)
}

pub(super) fn ext(
    g: &mut Graph,
    b: Block,
    name: &str,
    args: &[Value],
    ty: Ty,
    line: u32,
) -> Option<Var> {
    g.push_op(b, Opcode::CallExtern, args.to_vec(), Aux::Extern(name.into()), ty, sp(line))
}

/// Obj(tag: int) <- IntObj(value: int), Obj <- StrObj(s: str); returns (obj, int_obj, str_obj).
pub(super) fn class_types(p: &mut Program) -> (HeapTypeIdx, HeapTypeIdx, HeapTypeIdx) {
    let t = &mut p.types;
    let obj = t.declare_struct("Obj", false).unwrap();
    let int_obj = t.declare_struct("IntObj", false).unwrap();
    let str_obj = t.declare_struct("StrObj", true).unwrap();
    t.set_fields(obj, None, vec![Field { name: "tag".into(), ty: Ty::Int }]);
    t.set_fields(int_obj, Some(obj), vec![Field { name: "value".into(), ty: Ty::Int }]);
    t.set_fields(str_obj, Some(obj), vec![Field { name: "s".into(), ty: Ty::Ref(TypeTable::STR) }]);
    (obj, int_obj, str_obj)
}
