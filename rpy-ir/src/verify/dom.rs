//! Dominators of a graph's blocks, for the SSA dominance check.

use crate::ir::{Block, Graph};
use cranelift_entity::EntityRef;

/// The dominator tree of the blocks reachable from the entry (Cooper, Harvey and Kennedy's
/// iterative algorithm), with pre/post numbers for constant-time dominance queries.
pub(super) struct Dominators {
    /// Per block: (preorder, postorder) number in the dominator tree; `None` if unreachable.
    order: Vec<Option<(usize, usize)>>,
}

impl Dominators {
    pub(super) fn compute(g: &Graph) -> Dominators {
        let n = g.blocks.len();
        let succs = |b: usize| -> Vec<usize> {
            g.blocks[Block::new(b)]
                .exit
                .targets()
                .iter()
                .map(|t| t.block.index())
                .filter(|&s| s < n)
                .collect()
        };
        let entry = g.entry.index();
        if entry >= n {
            return Dominators { order: vec![None; n] };
        }
        // Reverse postorder by an explicit work stack (graphs of interpreters are deep).
        let mut rpo_num = vec![usize::MAX; n];
        let mut visited = vec![false; n];
        let mut post = Vec::new();
        let mut stack = vec![(entry, succs(entry), 0)];
        visited[entry] = true;
        while let Some((b, ss, i)) = stack.last_mut() {
            if let Some(&s) = ss.get(*i) {
                *i += 1;
                if !visited[s] {
                    visited[s] = true;
                    stack.push((s, succs(s), 0));
                }
            } else {
                post.push(*b);
                stack.pop();
            }
        }
        let rpo: Vec<usize> = post.into_iter().rev().collect();
        for (i, &b) in rpo.iter().enumerate() {
            rpo_num[b] = i;
        }
        let mut preds = vec![Vec::new(); n];
        for &b in &rpo {
            for s in succs(b) {
                preds[s].push(b);
            }
        }
        let mut idom = vec![usize::MAX; n];
        idom[entry] = entry;
        let mut changed = true;
        while changed {
            changed = false;
            for &b in &rpo[1..] {
                let mut new = usize::MAX;
                for &p in &preds[b] {
                    if idom[p] == usize::MAX {
                        continue;
                    }
                    new = if new == usize::MAX { p } else { intersect(&idom, &rpo_num, p, new) };
                }
                if idom[b] != new {
                    idom[b] = new;
                    changed = true;
                }
            }
        }
        let mut children = vec![Vec::new(); n];
        for &b in &rpo[1..] {
            children[idom[b]].push(b);
        }
        let mut order = vec![None; n];
        let (mut pre_n, mut post_n) = (0, 0);
        let mut pre = vec![0; n];
        let mut stack = vec![(entry, 0)];
        pre[entry] = pre_n;
        while let Some((b, i)) = stack.last_mut() {
            if let Some(&c) = children[*b].get(*i) {
                *i += 1;
                pre_n += 1;
                pre[c] = pre_n;
                stack.push((c, 0));
            } else {
                order[*b] = Some((pre[*b], post_n));
                post_n += 1;
                stack.pop();
            }
        }
        Dominators { order }
    }

    pub(super) fn reachable(&self, b: Block) -> bool {
        self.order.get(b.index()).is_some_and(Option::is_some)
    }

    /// Whether `a` dominates `b` (both reachable).
    pub(super) fn dominates(&self, a: Block, b: Block) -> bool {
        match (
            self.order.get(a.index()).copied().flatten(),
            self.order.get(b.index()).copied().flatten(),
        ) {
            (Some((pre_a, post_a)), Some((pre_b, post_b))) => pre_a <= pre_b && post_b <= post_a,
            _ => false,
        }
    }
}

fn intersect(idom: &[usize], rpo_num: &[usize], mut a: usize, mut b: usize) -> usize {
    while a != b {
        while rpo_num[a] > rpo_num[b] {
            a = idom[a];
        }
        while rpo_num[b] > rpo_num[a] {
            b = idom[b];
        }
    }
    a
}
