//! Unit tests of the control-flow analyses on small shaped graphs.

use super::*;
use crate::ir::{Const, Exit, Target, Value};
use crate::span::Span;
use crate::types::Ty;

/// A graph of `n` blocks (block0 the entry) where block `i` jumps to `edges[i]`: none is a
/// return, one a goto, two a branch, more a switch (the last target its default).
fn graph(n: usize, edges: &[(u32, &[u32])]) -> Graph {
    let mut g = Graph::new("g", vec![], Ty::Void, Span::UNKNOWN);
    for _ in 1..n {
        g.add_block(Span::UNKNOWN);
    }
    for &(from, to) in edges {
        let t = |b: u32| Target { block: Block::from_u32(b), args: vec![] };
        g.blocks[Block::from_u32(from)].exit = match to {
            [] => Exit::Return(None),
            [a] => Exit::Goto(t(*a)),
            [a, b] => Exit::Branch {
                cond: Value::Const(Const::Bool(true)),
                if_true: t(*a),
                if_false: t(*b),
            },
            [cases @ .., d] => Exit::Switch {
                value: Value::Const(Const::Int(0)),
                cases: cases.iter().enumerate().map(|(k, &c)| (k as i64, t(c))).collect(),
                default: t(*d),
            },
        };
    }
    g
}

fn blocks(ns: &[u32]) -> Vec<Block> {
    ns.iter().map(|&n| Block::from_u32(n)).collect()
}

fn b(n: u32) -> Block {
    Block::from_u32(n)
}

#[test]
fn a_diamond_has_no_loop_and_its_join_is_dominated_by_the_fork_only() {
    let g = graph(4, &[(0, &[1, 2]), (1, &[3]), (2, &[3])]);
    let flow = Flow::new(&g);
    assert_eq!(flow.rpo(), blocks(&[0, 2, 1, 3]));
    assert_eq!(flow.preds(b(3)), blocks(&[2, 1]));
    assert!(!flow.has_loop());
    assert_eq!(flow.back_edges().count(), 0);
    let dom = Dominators::new(&flow);
    assert_eq!(dom.idom(b(3)), Some(b(0)));
    assert_eq!(dom.idom(b(0)), None);
    assert!(dom.dominates(b(0), b(3)) && dom.dominates(b(3), b(3)));
    assert!(!dom.dominates(b(1), b(3)) && !dom.dominates(b(2), b(3)));
    assert!(Loops::new(&flow, &dom).loops().is_empty());
}

#[test]
fn nested_loops_have_their_headers_bodies_and_depths() {
    // 0 -> 1 (outer header) -> 2 (inner header) -> 3 -> 2 | 4 -> 1 | 5 (exit)
    let g = graph(6, &[(0, &[1]), (1, &[2]), (2, &[3]), (3, &[2, 4]), (4, &[1, 5])]);
    let flow = Flow::new(&g);
    assert_eq!(flow.back_edges().collect::<Vec<_>>(), vec![(b(3), b(2)), (b(4), b(1))]);
    assert_eq!(flow.loop_headers(), blocks(&[2, 1]));
    assert_eq!(flow.is_back_edge(b(3), b(2)), Some(true));
    assert_eq!(flow.is_back_edge(b(3), b(4)), Some(false));
    let dom = Dominators::new(&flow);
    let loops = Loops::new(&flow, &dom);
    let [inner, outer] = loops.loops() else { panic!("two loops: {loops:?}") };
    assert_eq!(
        (inner.header, &inner.latches, &inner.body),
        (b(2), &blocks(&[3]), &blocks(&[2, 3]))
    );
    assert_eq!((outer.header, &outer.body), (b(1), &blocks(&[1, 2, 3, 4])));
    assert!(inner.natural && outer.natural);
    assert_eq!([0, 1, 2, 3, 4, 5].map(|n| loops.depth(b(n))), [0, 1, 2, 2, 1, 0]);
}

#[test]
fn a_self_loop_is_a_loop_of_one_block() {
    let g = graph(3, &[(0, &[1]), (1, &[1, 2])]);
    let flow = Flow::new(&g);
    assert_eq!(flow.back_edges().collect::<Vec<_>>(), vec![(b(1), b(1))]);
    let loops = Loops::new(&flow, &Dominators::new(&flow));
    assert_eq!(loops.loops()[0].body, blocks(&[1]));
}

#[test]
fn an_irreducible_cycle_has_a_back_edge_but_no_natural_loop() {
    // The cycle 1 <-> 2 is entered at both blocks.
    let g = graph(4, &[(0, &[1, 2]), (1, &[2, 3]), (2, &[1])]);
    let flow = Flow::new(&g);
    assert!(flow.has_loop());
    let dom = Dominators::new(&flow);
    assert_eq!(dom.idom(b(1)), Some(b(0)));
    assert_eq!(dom.idom(b(2)), Some(b(0)));
    let loops = Loops::new(&flow, &dom);
    let [l] = loops.loops() else { panic!("one loop: {loops:?}") };
    assert!(!l.natural);
    let mut body = l.body.clone();
    body.sort();
    assert_eq!(body, blocks(&[1, 2]));
}

#[test]
fn unreachable_blocks_and_dangling_targets_are_left_out() {
    // block2 is unreachable and loops on itself; block1 also names a block that does not exist.
    let g = graph(4, &[(0, &[1]), (1, &[3, 9]), (2, &[2])]);
    let flow = Flow::new(&g);
    assert_eq!(flow.rpo(), blocks(&[0, 1, 3]));
    assert!(!flow.is_reachable(b(2)));
    assert_eq!(flow.rpo_number(b(2)), None);
    assert_eq!(flow.is_back_edge(b(2), b(2)), None);
    assert!(!flow.has_loop());
    assert_eq!(flow.succs(b(1)), blocks(&[3]));
    let dom = Dominators::new(&flow);
    assert!(!dom.is_reachable(b(2)) && !dom.dominates(b(2), b(2)) && !dom.dominates(b(0), b(2)));
}

#[test]
fn a_missing_entry_gives_empty_analyses() {
    let mut g = graph(1, &[]);
    g.entry = b(5);
    let flow = Flow::new(&g);
    assert!(flow.rpo().is_empty());
    assert!(!Dominators::new(&flow).is_reachable(b(0)));
}

#[test]
fn a_switch_reaching_a_block_twice_gives_one_edge_each() {
    let g = graph(3, &[(0, &[1, 1, 2]), (1, &[0])]);
    let flow = Flow::new(&g);
    assert_eq!(flow.preds(b(1)), blocks(&[0, 0]));
    assert_eq!(flow.loop_headers(), blocks(&[0]));
    let loops = Loops::new(&flow, &Dominators::new(&flow));
    assert_eq!(loops.loops()[0].latches, blocks(&[1]));
}

#[test]
fn deep_graphs_need_no_deep_recursion() {
    // A chain of 200 000 blocks closed into one loop.
    let n = 200_000u32;
    let mut edges: Vec<(u32, Vec<u32>)> = (0..n - 1).map(|i| (i, vec![i + 1])).collect();
    edges.push((n - 1, vec![0]));
    let refs: Vec<(u32, &[u32])> = edges.iter().map(|(f, t)| (*f, t.as_slice())).collect();
    let g = graph(n as usize, &refs);
    let flow = Flow::new(&g);
    assert_eq!(flow.rpo().len(), n as usize);
    let dom = Dominators::new(&flow);
    assert!(dom.dominates(b(1), b(n - 1)));
    let loops = Loops::new(&flow, &dom);
    assert_eq!(loops.loops()[0].body.len(), n as usize);
}
