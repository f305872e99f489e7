//! Redundant block parameters: a parameter that receives the same value on every incoming
//! edge (or itself, around a loop) is that value, and is removed.
//!
//! Vocabulary: an *edge* is one [`Target`] of a reachable block's [`Exit`] (a switch with two
//! cases to one block gives two edges). A parameter `p` of block `b` is *redundant* when the
//! arguments of the edges into `b` at `p`'s position are, apart from `p` itself, one value `v`.
//!
//! Invariant kept: every use is dominated by its definition. If every edge entering `b` from a
//! block that `b` does not dominate passes `v`, then `v` is available at the end of each such
//! predecessor, so its definition dominates all of them and therefore `b` (every path to `b`
//! first enters it through one of them); `v` cannot be a parameter or result of `b` itself,
//! for the same reason. The uses of `p` are dominated by `b`, hence by `v`'s definition. (This
//! is the trivial-phi rule of SSA construction.) A graph whose blocks are versions of merge
//! points passes every live value on every edge; most of those values are the same on all
//! edges, and each parameter costs the back end a phi, a spill slot and copies on each edge.
//!
//! Loops stay closed: a variable replaces a parameter of `b` only if, for every loop header
//! `h` from which `b` is reachable, `h` dominates the variable's definition. So a loop's
//! blocks use nothing defined before the loop except through its header's parameters, and a
//! copy of the graph entered at a header with the header's arguments (the LLVM back end's
//! on-stack replacement) still defines every value it uses. Constants always replace.

use super::{Block, Exit, Graph, Value, Var};
use crate::flow::{Dominators, Flow};
use cranelift_entity::{EntitySet, SecondaryMap};
use std::collections::HashMap;

/// What the edges into a block pass for one parameter, so far.
#[derive(Clone, Copy, PartialEq)]
enum Seen {
    /// Nothing yet (or only the parameter itself).
    Nothing,
    /// One value on every edge seen.
    One(Value),
    /// Two different values.
    Many,
}

impl Graph {
    /// Replaces every redundant block parameter (see the module header) by the one value it
    /// receives, everywhere, and drops it with its arguments; repeats until none is left (a
    /// removal can make another parameter redundant). The entry block keeps its parameters.
    /// Returns whether anything changed. Blocks stay where they are; unreachable blocks'
    /// exits are updated too, so every target keeps one argument per parameter.
    pub fn remove_redundant_params(&mut self) -> bool {
        // The edges never change here: the loops, dominators and definitions are computed once.
        let closed = ClosedLoops::new(self);
        let mut changed = false;
        loop {
            let order = self.reachable_blocks();
            let mut seen: HashMap<Block, Vec<Seen>> = HashMap::new();
            for &b in &order {
                for t in self.blocks[b].exit.targets() {
                    if t.block == self.entry {
                        continue;
                    }
                    let params = &self.blocks[t.block].params;
                    let slots =
                        seen.entry(t.block).or_insert_with(|| vec![Seen::Nothing; params.len()]);
                    for ((slot, &p), &arg) in slots.iter_mut().zip(params).zip(&t.args) {
                        *slot = match *slot {
                            _ if arg == Value::Var(p) => *slot,
                            Seen::Nothing => Seen::One(arg),
                            Seen::One(v) if v == arg => Seen::One(v),
                            _ => Seen::Many,
                        };
                    }
                }
            }
            let mut subst: HashMap<Var, Value> = HashMap::new();
            let mut drop: HashMap<Block, Vec<bool>> = HashMap::new();
            for (b, slots) in seen {
                let params = &self.blocks[b].params;
                let mut any = false;
                let gone: Vec<bool> = slots
                    .iter()
                    .zip(params)
                    .map(|(slot, &p)| match *slot {
                        Seen::One(v) if self.same_type(p, v) && closed.may_use(b, v) => {
                            subst.insert(p, v);
                            any = true;
                            true
                        }
                        _ => false,
                    })
                    .collect();
                if any {
                    drop.insert(b, gone);
                }
            }
            if drop.is_empty() {
                return changed;
            }
            changed = true;
            self.drop_params(&drop);
            self.substitute(resolve_chains(subst));
        }
    }

    /// Whether `v` has `p`'s type (a constant's type needs the program: constants pass, as in
    /// [`Graph::merge_straight_blocks`]).
    fn same_type(&self, p: Var, v: Value) -> bool {
        match v {
            Value::Var(x) => self.vars[x].ty == self.vars[p].ty,
            Value::Const(_) => true,
        }
    }

    /// Drops the parameters marked in `drop` and the arguments every exit passes them.
    fn drop_params(&mut self, drop: &HashMap<Block, Vec<bool>>) {
        let keep = |marks: &[bool], i: usize| !marks[i];
        for block in self.blocks.values_mut() {
            for t in block.exit.targets_mut() {
                if let Some(marks) = drop.get(&t.block) {
                    let mut i = 0;
                    t.args.retain(|_| {
                        i += 1;
                        keep(marks, i - 1)
                    });
                }
            }
        }
        for (b, marks) in drop {
            let mut i = 0;
            self.blocks[*b].params.retain(|_| {
                i += 1;
                keep(marks, i - 1)
            });
        }
    }

    /// Replaces every use of a key of `subst` by its value (chains already resolved).
    pub(super) fn substitute(&mut self, subst: HashMap<Var, Value>) {
        let resolve = |v: &mut Value| {
            if let Value::Var(x) = v {
                if let Some(r) = subst.get(x) {
                    *v = *r;
                }
            }
        };
        for op in self.ops.values_mut() {
            op.args.iter_mut().for_each(resolve);
        }
        for block in self.blocks.values_mut() {
            match &mut block.exit {
                Exit::Branch { cond: v, .. }
                | Exit::Switch { value: v, .. }
                | Exit::Return(Some(v)) => resolve(v),
                _ => {}
            }
            for t in block.exit.targets_mut() {
                t.args.iter_mut().for_each(resolve);
            }
        }
    }
}

/// The rule that keeps loops closed (see the module header).
struct ClosedLoops {
    dominators: Dominators,
    /// Each loop header, with the blocks reachable from it.
    loops: Vec<(Block, EntitySet<Block>)>,
    /// The block defining each variable (as a parameter or an op's result).
    defined_in: SecondaryMap<Var, Option<Block>>,
}

impl ClosedLoops {
    fn new(g: &Graph) -> ClosedLoops {
        let flow = Flow::new(g);
        let dominators = Dominators::new(&flow);
        let loops = flow
            .loop_headers()
            .into_iter()
            .map(|h| {
                let mut seen = EntitySet::new();
                let mut stack = vec![h];
                seen.insert(h);
                while let Some(b) = stack.pop() {
                    for &s in flow.succs(b) {
                        if seen.insert(s) {
                            stack.push(s);
                        }
                    }
                }
                (h, seen)
            })
            .collect();
        let mut defined_in = SecondaryMap::new();
        for (b, data) in g.blocks.iter() {
            for &p in &data.params {
                defined_in[p] = Some(b);
            }
            for r in data.ops.iter().filter_map(|&o| g.ops[o].result) {
                defined_in[r] = Some(b);
            }
        }
        ClosedLoops { dominators, loops, defined_in }
    }

    /// Whether `v` may replace a parameter of `b`.
    fn may_use(&self, b: Block, v: Value) -> bool {
        let Value::Var(x) = v else { return true };
        let Some(d) = self.defined_in[x] else { return false };
        self.loops.iter().all(|(h, reach)| !reach.contains(b) || self.dominators.dominates(*h, d))
    }
}

/// `subst` with each chain (`p → q`, `q → v`) followed to its end (`p → v`). Chains have no
/// cycles: a parameter replaced by another block's parameter is dominated by that block.
pub(super) fn resolve_chains(mut subst: HashMap<Var, Value>) -> HashMap<Var, Value> {
    let keys: Vec<Var> = subst.keys().copied().collect();
    for x in keys {
        let mut chain = Vec::new();
        let mut v = Value::Var(x);
        while let Value::Var(y) = v {
            match subst.get(&y) {
                Some(next) if chain.len() <= subst.len() => {
                    chain.push(y);
                    v = *next;
                }
                _ => break,
            }
        }
        for y in chain {
            subst.insert(y, v);
        }
    }
    subst
}

#[cfg(test)]
mod tests {
    use crate::ir::{Aux, Const, Exit, Graph, Target, Value};
    use crate::ops::Opcode;
    use crate::span::Span;
    use crate::types::Ty;

    /// `entry(a, b) -> head(a, b)`; `head(x, y)`: `y2 = y + 1`, branch to `head(x, y2)` or
    /// `out(x)`; `out(z)` returns `z`. `z` is `x`; `x` is `a`, but stays (the loop is entered
    /// only through its header's parameters); `y` is not redundant.
    #[test]
    fn a_parameter_passed_one_value_is_removed_and_loops_stay_closed() {
        let mut g = Graph::new("f", vec![Ty::Int, Ty::Int], Ty::Int, Span::UNKNOWN);
        let entry = g.entry;
        let [a, b] = [g.blocks[entry].params[0], g.blocks[entry].params[1]];
        let head = g.add_block(Span::UNKNOWN);
        let x = g.add_param(head, Ty::Int, None);
        let y = g.add_param(head, Ty::Int, None);
        let out = g.add_block(Span::UNKNOWN);
        let z = g.add_param(out, Ty::Int, None);
        g.blocks[entry].exit =
            Exit::Goto(Target { block: head, args: vec![Value::Var(a), Value::Var(b)] });
        let y2 = g
            .push_op(
                head,
                Opcode::IntAdd,
                vec![Value::Var(y), Value::Const(Const::Int(1))],
                Aux::None,
                Ty::Int,
                Span::UNKNOWN,
            )
            .unwrap();
        let c = g
            .push_op(
                head,
                Opcode::IntLt,
                vec![Value::Var(y2), Value::Var(x)],
                Aux::None,
                Ty::Bool,
                Span::UNKNOWN,
            )
            .unwrap();
        g.blocks[head].exit = Exit::Branch {
            cond: Value::Var(c),
            if_true: Target { block: head, args: vec![Value::Var(x), Value::Var(y2)] },
            if_false: Target { block: out, args: vec![Value::Var(x)] },
        };
        g.blocks[out].exit = Exit::Return(Some(Value::Var(z)));
        assert!(g.remove_redundant_params());
        assert_eq!(g.blocks[head].params, vec![x, y]);
        assert!(g.blocks[out].params.is_empty());
        assert_eq!(g.blocks[out].exit, Exit::Return(Some(Value::Var(x))));
        match &g.blocks[head].exit {
            Exit::Branch { if_true, if_false, .. } => {
                assert_eq!(if_true.args, vec![Value::Var(x), Value::Var(y2)]);
                assert!(if_false.args.is_empty());
            }
            e => panic!("{e:?}"),
        }
        assert!(!g.remove_redundant_params());
    }
}
