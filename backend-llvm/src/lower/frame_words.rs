//! The size of each graph's frame as the IR interpreter counts it, so compiled code fails with
//! the same stack overflow at the same call.
//!
//! llinterp gives a frame one register per variable, a scratch and a sink register, and one
//! register per distinct constant its precompilation materialises; a call fails when all the
//! frames' registers together would exceed [`rpy_ir::runtime::MAX_STACK_WORDS`]. Compiled code
//! keeps the same running total, so this module reproduces that precompilation's choice of
//! constants exactly (llinterp's `compile.rs`): every op operand except those of a `hint`
//! without result, every jump argument, the branch condition unless the branch is fused with
//! the compare before it, switch values and returned values — plus the int `0` that a fused
//! null test compares against.

use cranelift_entity::SecondaryMap;
use rpy_ir::ir::{Const, Exit, Graph, OpData, Value, Var};
use rpy_ir::ops::Opcode;
use std::collections::HashSet;

/// The number of interpreter registers of a frame of `graph`.
pub fn frame_words(graph: &Graph) -> u64 {
    let uses = use_counts(graph);
    let mut consts: HashSet<Const> = HashSet::new();
    let mut add = |v: &Value| {
        if let Value::Const(c) = v {
            consts.insert(*c);
        }
    };
    for block in graph.blocks.values() {
        let fused = fused_compare(graph, &uses, block);
        if let Some((op, null_test)) = fused {
            op.args.iter().for_each(&mut add);
            if null_test {
                add(&Value::Const(Const::Int(0)));
            }
        }
        let plain = if fused.is_some() { &block.ops[..block.ops.len() - 1] } else { &block.ops };
        for &o in plain {
            let op = &graph.ops[o];
            if op.opcode == Opcode::Hint {
                if op.args.len() == 1 && op.result.is_some() {
                    add(&op.args[0]);
                }
            } else {
                op.args.iter().for_each(&mut add);
            }
        }
        match &block.exit {
            Exit::Branch { cond, .. } if fused.is_none() => add(cond),
            Exit::Switch { value, .. } => add(value),
            Exit::Return(Some(v)) => add(v),
            _ => {}
        }
        for t in block.exit.targets() {
            t.args.iter().for_each(&mut add);
        }
    }
    graph.vars.len() as u64 + 2 + consts.len() as u64
}

/// How often each variable is read: op operands, jump arguments and exit values.
fn use_counts(graph: &Graph) -> SecondaryMap<Var, u32> {
    let mut uses = SecondaryMap::new();
    for block in graph.blocks.values() {
        let ops = block.ops.iter().flat_map(|&op| graph.ops[op].args.iter());
        let jumps = block.exit.targets().into_iter().flat_map(|t| t.args.iter());
        let exit = match &block.exit {
            Exit::Branch { cond: v, .. }
            | Exit::Switch { value: v, .. }
            | Exit::Return(Some(v)) => Some(v),
            _ => None,
        };
        for v in ops.chain(jumps).chain(exit) {
            if let Value::Var(v) = v {
                uses[*v] += 1;
            }
        }
    }
    uses
}

/// The op llinterp fuses with the block's branch, and whether it is a null test.
fn fused_compare<'g>(
    graph: &'g Graph,
    uses: &SecondaryMap<Var, u32>,
    block: &rpy_ir::ir::BlockData,
) -> Option<(&'g OpData, bool)> {
    let Exit::Branch { cond: Value::Var(c), .. } = block.exit else { return None };
    let &last = block.ops.last()?;
    let op = &graph.ops[last];
    if op.result != Some(c) || uses[c] != 1 || block.ops.len() > u16::MAX as usize {
        return None;
    }
    match op.opcode {
        Opcode::PtrIsNull | Opcode::PtrNonNull if op.args.len() == 1 => Some((op, true)),
        Opcode::IntLt
        | Opcode::CharLt
        | Opcode::IntLe
        | Opcode::CharLe
        | Opcode::IntGt
        | Opcode::CharGt
        | Opcode::IntGe
        | Opcode::CharGe
        | Opcode::IntEq
        | Opcode::CharEq
        | Opcode::BoolEq
        | Opcode::PtrEq
        | Opcode::IntNe
        | Opcode::CharNe
        | Opcode::BoolNe
        | Opcode::PtrNe
            if op.args.len() == 2 =>
        {
            Some((op, false))
        }
        _ => None,
    }
}
