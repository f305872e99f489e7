//! The collector under the interpreter: objects held only in registers or in caller frames
//! survive, the heap stays small, interpreters run on many threads.

use super::control::fact_graph;
use super::support::*;
use crate::ir::{Aux, Const};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::span::Span;
use crate::types::Field;

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

/// A program declaring `Node`, with the graph `churn` over it.
pub(super) fn node_program() -> (Program, HeapTypeIdx, GraphIdx) {
    let mut p = Program::default();
    let node = node_type(&mut p);
    let churn = churn_graph(&mut p, node);
    (p, node, churn)
}

/// `churn(n, keep_list)`: allocates `n` nodes; each points to the previous one if `keep_list`
/// (building a list reachable only from a register), else is garbage at once. Returns the last
/// node.
fn churn_graph(p: &mut Program, node: HeapTypeIdx) -> GraphIdx {
    let r = Ty::Ref(node);
    let (mut g, e) = graph("churn", vec![Ty::Int, Ty::Bool], r);
    let (n, keep) = (param(&g, 0), param(&g, 1));
    let head = g.add_block(Span::UNKNOWN);
    let [i, last] = [Ty::Int, r].map(|t| g.add_param(head, t, None));
    let body = g.add_block(Span::UNKNOWN);
    let exit = g.add_block(Span::UNKNOWN);
    goto(&mut g, e, head, &[ci(0), cst(Const::Null(node))]);
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
    let (mut g, e) = graph("check", vec![Ty::Int, Ty::Int], Ty::Int);
    let (len, garbage) = (param(&g, 0), param(&g, 1));
    let t = cst(Const::Bool(true));
    let f = cst(Const::Bool(false));
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

/// Runs the graph `build` makes over a [`node_program`] on `args`, the GC lock held.
fn run_node_graph(
    build: fn(&mut Program, HeapTypeIdx, GraphIdx) -> GraphIdx,
    args: [i64; 2],
) -> Result<RtValue, RuntimeError> {
    let _g = heavy();
    let (mut p, node, churn) = node_program();
    let gi = build(&mut p, node, churn);
    run(&p, gi, &args.map(RtValue::Int))
}

#[test]
fn gc_keeps_objects_held_only_in_registers() {
    let n = 100_000;
    assert_eq!(run_node_graph(check_graph, [n, 2_000_000]), Ok(RtValue::Int(n * (n - 1) / 2)));
}

/// `keep(d, garbage)`: each level allocates a node holding `d`, recurses, and after the call
/// checks the node (reachable only from its frame); the bottom allocates `garbage` nodes.
fn keep_graph(p: &mut Program, node: HeapTypeIdx, churn: GraphIdx) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let r = Ty::Ref(node);
    let (mut g, e) = graph("keep", vec![Ty::Int, Ty::Int], Ty::Int);
    let (d, garbage) = (param(&g, 0), param(&g, 1));
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(node), r, 1);
    op0(&mut g, e, Opcode::SetField, &[v(o), d], Aux::Field(node, 1), 2);
    let bottom = op(&mut g, e, Opcode::IntEq, &[d, ci(0)], Aux::None, Ty::Bool, 3);
    let base = g.add_block(Span::UNKNOWN);
    let rec = g.add_block(Span::UNKNOWN);
    let after = g.add_block(Span::UNKNOWN);
    let sub = g.add_param(after, Ty::Int, None);
    branch(&mut g, e, v(bottom), (base, &[]), (rec, &[]));
    op(&mut g, base, Opcode::Call, &[garbage, cst(Const::Bool(false))], Aux::Graph(churn), r, 4);
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
    let d = 5_000;
    assert_eq!(run_node_graph(keep_graph, [d, 1_000_000]), Ok(RtValue::Int(d * (d + 1) / 2)));
}

#[test]
fn gc_heap_stays_small_in_an_allocation_loop() {
    let _g = heavy();
    let (p, node, churn) = node_program();
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
    let (mut p, node, churn) = node_program();
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
