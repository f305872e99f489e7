//! Control-flow analyses of one graph: reverse postorder, predecessors, back edges,
//! dominators and natural loops. Every crate that needs one of them asks here (the verifier,
//! the hint analysis, the LLVM lowering, the languages' tools), so there is one rule for what
//! a loop is.
//!
//! Vocabulary and invariants:
//! - Only blocks reachable from the entry take part; an exit naming a block that does not
//!   exist is ignored (the verifier reports it), so nothing here panics on a malformed graph.
//! - **RPO**: reverse postorder of one depth-first search from the entry that visits each
//!   block's successors in exit order ([`crate::ir::Exit::targets`]). Every block comes after
//!   its dominators.
//! - **Back edge**: an edge whose target is no later in RPO than its source, i.e. an edge to a
//!   block on the search's stack (a self-loop is one). In a reducible graph these are exactly
//!   the edges whose target dominates their source; in an irreducible one a back edge may enter
//!   a cycle that its target does not dominate ([`Loop::natural`] is then false).
//! - **Loop header**: the target of a back edge. Its **loop** is the header, the sources of
//!   its back edges (the latches) and every block that reaches a latch without passing the
//!   header and is reached from the header.
//!
//! Every walk uses an explicit work stack: interpreters make deep graphs.

use crate::ir::{Block, Graph};
use cranelift_entity::{EntitySet, SecondaryMap};

/// The RPO number of a block no search reached.
const UNREACHED: u32 = u32::MAX;

/// The reachable blocks of a graph in reverse postorder, with their predecessors.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Reachable blocks, entry first, each after all its dominators.
    rpo: Vec<Block>,
    /// Each block's place in `rpo` ([`UNREACHED`] if unreachable).
    number: SecondaryMap<Block, u32>,
    /// Each reachable block's predecessors: one entry per edge from a reachable block (a
    /// switch reaching a block twice counts twice), sources in RPO.
    preds: SecondaryMap<Block, Vec<Block>>,
    /// Each reachable block's successors that exist, in exit order (duplicates kept).
    succs: SecondaryMap<Block, Vec<Block>>,
}

impl Flow {
    /// The depth-first search of `g` from its entry.
    pub fn new(g: &Graph) -> Flow {
        let mut flow = Flow {
            rpo: Vec::new(),
            number: SecondaryMap::with_default(UNREACHED),
            preds: SecondaryMap::new(),
            succs: SecondaryMap::new(),
        };
        if !g.blocks.is_valid(g.entry) {
            return flow;
        }
        let succs_of = |b: Block| -> Vec<Block> {
            g.blocks[b]
                .exit
                .targets()
                .iter()
                .map(|t| t.block)
                .filter(|&s| g.blocks.is_valid(s))
                .collect()
        };
        let mut seen = EntitySet::<Block>::new();
        let mut post = Vec::new();
        // (block, index of its next successor to visit)
        let mut stack = vec![(g.entry, 0usize)];
        seen.insert(g.entry);
        flow.succs[g.entry] = succs_of(g.entry);
        while let Some((b, i)) = stack.last_mut() {
            let b = *b;
            if let Some(&s) = flow.succs[b].get(*i) {
                *i += 1;
                if seen.insert(s) {
                    flow.succs[s] = succs_of(s);
                    stack.push((s, 0));
                }
            } else {
                post.push(b);
                stack.pop();
            }
        }
        post.reverse();
        flow.rpo = post;
        for (i, &b) in flow.rpo.iter().enumerate() {
            flow.number[b] = i as u32;
        }
        for &b in &flow.rpo {
            for &s in &flow.succs[b] {
                flow.preds[s].push(b);
            }
        }
        flow
    }

    /// The reachable blocks in reverse postorder (entry first; empty if the entry does not
    /// exist).
    pub fn rpo(&self) -> &[Block] {
        &self.rpo
    }

    /// `b`'s place in [`Flow::rpo`], if reachable.
    pub fn rpo_number(&self, b: Block) -> Option<usize> {
        let n = self.number[b];
        (n != UNREACHED).then_some(n as usize)
    }

    /// Whether `b` is reachable from the entry.
    pub fn is_reachable(&self, b: Block) -> bool {
        self.rpo_number(b).is_some()
    }

    /// The sources of the edges into `b` from reachable blocks, one per edge, in RPO.
    pub fn preds(&self, b: Block) -> &[Block] {
        &self.preds[b]
    }

    /// The existing targets of `b`'s exit, in exit order, one per edge (empty if `b` is
    /// unreachable).
    pub fn succs(&self, b: Block) -> &[Block] {
        &self.succs[b]
    }

    /// Whether the edge `from` → `to` is a back edge: its target is no later in RPO than its
    /// source. `None` if either block is unreachable.
    pub fn is_back_edge(&self, from: Block, to: Block) -> Option<bool> {
        Some(self.rpo_number(to)? <= self.rpo_number(from)?)
    }

    /// Every back edge `(source, target)`, sources in RPO, each source's in exit order (one
    /// per edge).
    pub fn back_edges(&self) -> impl Iterator<Item = (Block, Block)> + '_ {
        self.rpo.iter().flat_map(move |&b| {
            self.succs[b]
                .iter()
                .filter(move |&&s| self.number[s] <= self.number[b])
                .map(move |&s| (b, s))
        })
    }

    /// The loop headers (targets of back edges), each once, in the RPO of the first source
    /// of a back edge to it.
    pub fn loop_headers(&self) -> Vec<Block> {
        let mut seen = EntitySet::<Block>::new();
        self.back_edges().filter(|&(_, h)| seen.insert(h)).map(|(_, h)| h).collect()
    }

    /// Whether a cycle is reachable from the entry.
    pub fn has_loop(&self) -> bool {
        self.back_edges().next().is_some()
    }
}

/// The dominator tree of the reachable blocks (Cooper, Harvey and Kennedy's iterative
/// algorithm over [`Flow`]'s RPO), numbered for constant-time dominance queries.
#[derive(Clone, Debug)]
pub struct Dominators {
    /// Each reachable block's immediate dominator (the entry's is itself).
    idom: SecondaryMap<Block, Option<Block>>,
    /// Each reachable block's (preorder, postorder) number in the dominator tree.
    order: SecondaryMap<Block, Option<(u32, u32)>>,
}

impl Dominators {
    /// The dominator tree of `flow`'s graph.
    pub fn new(flow: &Flow) -> Dominators {
        let mut idom: SecondaryMap<Block, Option<Block>> = SecondaryMap::new();
        let Some(&entry) = flow.rpo.first() else {
            return Dominators { idom, order: SecondaryMap::new() };
        };
        idom[entry] = Some(entry);
        let mut changed = true;
        while changed {
            changed = false;
            for &b in &flow.rpo[1..] {
                let mut new: Option<Block> = None;
                for &p in flow.preds(b) {
                    if idom[p].is_none() {
                        continue;
                    }
                    new = Some(match new {
                        None => p,
                        Some(n) => intersect(&idom, flow, p, n),
                    });
                }
                if idom[b] != new {
                    idom[b] = new;
                    changed = true;
                }
            }
        }
        let mut children: SecondaryMap<Block, Vec<Block>> = SecondaryMap::new();
        for &b in &flow.rpo[1..] {
            if let Some(d) = idom[b] {
                children[d].push(b);
            }
        }
        let mut order = SecondaryMap::new();
        let (mut pre_n, mut post_n) = (0u32, 0u32);
        let mut pre: SecondaryMap<Block, u32> = SecondaryMap::new();
        let mut stack = vec![(entry, 0usize)];
        while let Some((b, i)) = stack.last_mut() {
            let b = *b;
            if let Some(&c) = children[b].get(*i) {
                *i += 1;
                pre_n += 1;
                pre[c] = pre_n;
                stack.push((c, 0));
            } else {
                order[b] = Some((pre[b], post_n));
                post_n += 1;
                stack.pop();
            }
        }
        Dominators { idom, order }
    }

    /// Whether `b` is reachable from the entry (unreachable blocks have no dominators).
    pub fn is_reachable(&self, b: Block) -> bool {
        self.order[b].is_some()
    }

    /// `b`'s immediate dominator (`None` for the entry and for unreachable blocks).
    pub fn idom(&self, b: Block) -> Option<Block> {
        self.idom[b].filter(|&d| d != b)
    }

    /// Whether `a` dominates `b` (every block dominates itself); false if either is
    /// unreachable.
    pub fn dominates(&self, a: Block, b: Block) -> bool {
        match (self.order[a], self.order[b]) {
            (Some((pre_a, post_a)), Some((pre_b, post_b))) => pre_a <= pre_b && post_b <= post_a,
            _ => false,
        }
    }
}

/// The nearest common dominator of `a` and `b`, both already given a dominator.
fn intersect(
    idom: &SecondaryMap<Block, Option<Block>>,
    flow: &Flow,
    mut a: Block,
    mut b: Block,
) -> Block {
    let num = |x: Block| flow.number[x];
    let up = |x: Block| idom[x].expect("only blocks with a dominator are intersected");
    while a != b {
        while num(a) > num(b) {
            a = up(a);
        }
        while num(b) > num(a) {
            b = up(b);
        }
    }
    a
}

/// One loop: a header, its latches and its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loop {
    /// The target of the loop's back edges.
    pub header: Block,
    /// The sources of the back edges to the header, in RPO, each once.
    pub latches: Vec<Block>,
    /// Every block of the loop, header included, in RPO.
    pub body: Vec<Block>,
    /// Whether the header dominates every latch (a natural loop; false only in irreducible
    /// graphs, where the cycle can be entered elsewhere than at the header).
    pub natural: bool,
}

impl Loop {
    /// Whether `b` is in the loop.
    pub fn contains(&self, b: Block) -> bool {
        self.body.contains(&b)
    }
}

/// The loops of a graph, one per loop header.
#[derive(Clone, Debug)]
pub struct Loops {
    /// In the order of [`Flow::loop_headers`].
    loops: Vec<Loop>,
}

impl Loops {
    /// The loops of `flow`'s graph.
    pub fn new(flow: &Flow, dom: &Dominators) -> Loops {
        let loops = flow
            .loop_headers()
            .into_iter()
            .map(|header| {
                let mut latches: Vec<Block> = Vec::new();
                for (from, _) in flow.back_edges().filter(|&(_, h)| h == header) {
                    if !latches.contains(&from) {
                        latches.push(from);
                    }
                }
                let natural = latches.iter().all(|&l| dom.dominates(header, l));
                let body = loop_body(flow, header, &latches);
                Loop { header, latches, body, natural }
            })
            .collect();
        Loops { loops }
    }

    /// Every loop, in the order of [`Flow::loop_headers`].
    pub fn loops(&self) -> &[Loop] {
        &self.loops
    }

    /// How many loops contain `b` (0 outside every loop).
    pub fn depth(&self, b: Block) -> usize {
        self.loops.iter().filter(|l| l.contains(b)).count()
    }
}

/// The blocks that reach a latch without passing `header` and that `header` reaches, with
/// the header, in RPO.
fn loop_body(flow: &Flow, header: Block, latches: &[Block]) -> Vec<Block> {
    let mut backward = EntitySet::<Block>::new();
    backward.insert(header);
    let mut work: Vec<Block> = latches.to_vec();
    while let Some(b) = work.pop() {
        if backward.insert(b) {
            work.extend(flow.preds(b).iter().copied());
        }
    }
    let mut forward = EntitySet::<Block>::new();
    forward.insert(header);
    let mut work = vec![header];
    while let Some(b) = work.pop() {
        for &s in flow.succs(b) {
            if backward.contains(s) && forward.insert(s) {
                work.push(s);
            }
        }
    }
    flow.rpo.iter().copied().filter(|&b| forward.contains(b)).collect()
}

#[cfg(test)]
mod tests;
