//! Falling back to the interpreter in the middle of a portal call.
//!
//! When the case of a value at a flexswitch cannot be compiled (a budget is spent, or the
//! engine does not handle something), the residual code has already run up to the promotion:
//! the portal call cannot start again in the interpreter. What can run instead is the rest of
//! each frame's function, from where the snapshot stands: a *continuation* graph is a copy of
//! an interpreter graph entered in the middle of a block, taking as parameters the variables
//! live there. The fallback case ([`crate::Compiler::fallback`]) makes the snapshot's state
//! real (virtual objects forced, green values as constants) and calls the continuation of the
//! innermost frame, then of each caller with the callee's result, the portal's last.
//!
//! Invariant of a continuation graph: every copied block takes the variables live at its start
//! as parameters (its own, then the ones it used from dominating blocks), so the copy is in SSA
//! form whatever new edge enters it; its entry block holds the rest of the block the position
//! is in. Calls in it are the interpreter's own calls: translated code under a compiling
//! backend.

use crate::jitcode::{live_in, Insn, JitCode};
use cranelift_entity::SecondaryMap;
use rpy_ir::ir::{Block, Exit, Graph, Target, Value, Var};
use std::collections::HashMap;

/// A point in an interpreter graph: before op number `op` of `block` (its exit when `op` is
/// the number of ops).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// The block.
    pub block: Block,
    /// Ops of the block already run.
    pub op: usize,
}

/// The graph position of JitCode instruction `pc` (an op's instruction or a block's exit).
pub fn position(code: &JitCode, g: &Graph, pc: usize) -> Option<Position> {
    let (block, start) = code
        .block_start
        .iter()
        .filter_map(|(b, s)| s.map(|s| (b, s as usize)))
        .filter(|(_, s)| *s <= pc)
        .max_by_key(|(_, s)| *s)?;
    let merge = matches!(code.insns.get(start), Some(Insn::Merge { .. }));
    let op = (pc - start).checked_sub(merge as usize)?;
    (op <= g.blocks[block].ops.len()).then_some(Position { block, op })
}

/// The variables live at `at` (read there or later before being defined), in a fixed order.
pub fn live_at(g: &Graph, live: &SecondaryMap<Block, Vec<Var>>, at: Position) -> Vec<Var> {
    let data = &g.blocks[at.block];
    let mut set: Vec<Var> = Vec::new();
    let uses = |set: &mut Vec<Var>, v: &Value| {
        if let Value::Var(x) = v {
            if !set.contains(x) {
                set.push(*x);
            }
        }
    };
    for t in data.exit.targets() {
        let params = &g.blocks[t.block].params;
        for v in live[t.block].iter().filter(|v| !params.contains(v)) {
            uses(&mut set, &Value::Var(*v));
        }
        t.args.iter().for_each(|a| uses(&mut set, a));
    }
    match &data.exit {
        Exit::Branch { cond: v, .. } | Exit::Switch { value: v, .. } | Exit::Return(Some(v)) => {
            uses(&mut set, v)
        }
        _ => {}
    }
    for &op in data.ops[at.op..].iter().rev() {
        let od = &g.ops[op];
        if let Some(r) = od.result {
            set.retain(|v| *v != r);
        }
        od.args.iter().for_each(|a| uses(&mut set, a));
    }
    set.sort();
    set
}

/// The continuation of `g` at `at`: a graph named `name` taking the variables live there (the
/// second result, in parameter order) and returning what `g` returns.
pub fn continuation(g: &Graph, at: Position, name: &str) -> (Graph, Vec<Var>) {
    let live = live_in(g);
    let inputs = live_at(g, &live, at);
    let tys: Vec<_> = inputs.iter().map(|v| g.vars[*v].ty).collect();
    let mut out = Graph::new(name, tys, g.ret, g.span);
    // Each block's live-in variables that are not its parameters: passed along every edge.
    let extra: SecondaryMap<Block, Vec<Var>> = {
        let mut m = SecondaryMap::new();
        for b in g.blocks.keys() {
            let params = &g.blocks[b].params;
            m[b] = live[b].iter().copied().filter(|v| !params.contains(v)).collect();
        }
        m
    };
    let mut copies: SecondaryMap<Block, Option<Block>> = SecondaryMap::new();
    let mut maps: SecondaryMap<Block, HashMap<Var, Var>> = SecondaryMap::new();
    for (b, data) in g.blocks.iter() {
        let nb = out.add_block(data.span);
        let mut map = HashMap::new();
        for v in data.params.iter().chain(&extra[b]) {
            let p = out.add_param(nb, g.vars[*v].ty, g.vars[*v].name.clone());
            map.insert(*v, p);
        }
        copies[b] = Some(nb);
        maps[b] = map;
    }
    let entry = out.entry;
    let entry_map: HashMap<Var, Var> =
        inputs.iter().copied().zip(out.blocks[entry].params.clone()).collect();
    let copy =
        |out: &mut Graph, from: Block, to: Block, first: usize, mut map: HashMap<Var, Var>| {
            let data = &g.blocks[from];
            let value = |map: &HashMap<Var, Var>, v: Value| match v {
                Value::Var(x) => Value::Var(*map.get(&x).expect("a live variable has a value")),
                c => c,
            };
            for &op in &data.ops[first..] {
                let od = &g.ops[op];
                let args = od.args.iter().map(|a| value(&map, *a)).collect();
                let ty = od.result.map_or(rpy_ir::types::Ty::Void, |r| g.vars[r].ty);
                let r = out.push_op(to, od.opcode, args, od.aux.clone(), ty, od.span);
                if let (Some(old), Some(new)) = (od.result, r) {
                    map.insert(old, new);
                }
            }
            let target = |t: &Target| Target {
                block: copies[t.block].expect("every block has a copy"),
                args: t
                    .args
                    .iter()
                    .map(|a| value(&map, *a))
                    .chain(extra[t.block].iter().map(|v| value(&map, Value::Var(*v))))
                    .collect(),
            };
            out.blocks[to].exit = match &data.exit {
                Exit::Goto(t) => Exit::Goto(target(t)),
                Exit::Branch { cond, if_true, if_false } => Exit::Branch {
                    cond: value(&map, *cond),
                    if_true: target(if_true),
                    if_false: target(if_false),
                },
                Exit::Switch { value: v, cases, default } => Exit::Switch {
                    value: value(&map, *v),
                    cases: cases.iter().map(|(k, t)| (*k, target(t))).collect(),
                    default: target(default),
                },
                Exit::Return(v) => Exit::Return(v.map(|v| value(&map, v))),
            };
        };
    copy(&mut out, at.block, entry, at.op, entry_map);
    for b in g.blocks.keys() {
        copy(&mut out, b, copies[b].expect("every block has a copy"), 0, maps[b].clone());
    }
    out.simplify();
    (out, inputs)
}
