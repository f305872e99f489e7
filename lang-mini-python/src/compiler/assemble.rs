//! Assembly: a compiled unit to a `CodeObject`.
//!
//! Steps: (1) number the real instructions and resolve labels to instruction indexes;
//! (2) walk the control flow from instruction 0 (and from each handler at its `Setup`
//! depth + 1) to compute the stack depth before every instruction, the code's
//! `stacksize`, and each handler's kept depth — a debug assertion checks that every path
//! reaches an instruction with the same depth; (3) make the exception table from runs of
//! instructions with the same innermost handler.

use super::{Ins, Unit};
use crate::bytecode::{stack_effect, ArgKind, CodeObject, ExceptionEntry, Op};

pub(super) fn assemble(u: Unit, filename: &str) -> CodeObject {
    // (1) labels to indexes
    let mut label_pos = vec![u32::MAX; u.labels as usize];
    let mut setup_at: Vec<(u32, u32, u32)> = Vec::new(); // (handler, index, below)
    let mut n = 0u32;
    for ins in &u.instrs {
        match ins {
            Ins::Op { .. } => n += 1,
            Ins::Label(l) => label_pos[l.0 as usize] = n,
            Ins::Setup(h, below) => setup_at.push((h.0, n, *below)),
        }
    }
    let mut ops = Vec::with_capacity(n as usize);
    let mut args = Vec::with_capacity(n as usize);
    let mut lines = Vec::with_capacity(n as usize);
    let mut locs = Vec::with_capacity(n as usize);
    let mut handler_of = Vec::with_capacity(n as usize);
    for ins in &u.instrs {
        if let Ins::Op { op, arg, line, loc, handler } = ins {
            let arg = if op.arg_kind() == ArgKind::Jump { label_pos[*arg as usize] } else { *arg };
            debug_assert!(arg != u32::MAX, "jump to an unplaced label in {}", u.name);
            ops.push(*op);
            args.push(arg);
            lines.push(*line);
            locs.push(*loc);
            handler_of.push(handler.map(|h| h.0));
        }
    }
    // (2) stack depths
    let handler_target: Vec<u32> =
        u.handler_labels.iter().map(|l| label_pos[l.0 as usize]).collect();
    let mut handler_depth = vec![0u32; handler_target.len()];
    let mut depth_at: Vec<Option<i32>> = vec![None; n as usize + 1];
    let mut work: Vec<(u32, i32)> = vec![(0, 0)];
    let mut max = 0i32;
    while let Some((start, d)) = work.pop() {
        let mut pc = start as usize;
        let mut depth = d;
        loop {
            if pc >= ops.len() {
                break;
            }
            if let Some(seen) = depth_at[pc] {
                debug_assert_eq!(seen, depth, "{}: inconsistent stack depth at {pc}", u.name);
                break;
            }
            depth_at[pc] = Some(depth);
            for &(h, at, below) in &setup_at {
                if at as usize == pc {
                    let kept = depth - below as i32;
                    handler_depth[h as usize] = kept.max(0) as u32;
                    work.push((handler_target[h as usize], kept + 1));
                    max = max.max(kept + 1);
                }
            }
            let (op, arg) = (ops[pc], args[pc]);
            if op.arg_kind() == ArgKind::Jump {
                let jd = depth + stack_effect(op, arg, true);
                max = max.max(jd);
                work.push((arg, jd));
            }
            depth += stack_effect(op, arg, false);
            debug_assert!(depth >= 0, "{}: stack underflow at {pc} ({})", u.name, op.name());
            max = max.max(depth);
            if matches!(op, Op::JUMP | Op::RETURN_VALUE | Op::RERAISE) || (op == Op::RAISE_VARARGS)
            {
                break;
            }
            pc += 1;
        }
    }
    // (3) exception table
    let mut table = Vec::new();
    let mut i = 0;
    while i < handler_of.len() {
        let Some(h) = handler_of[i] else {
            i += 1;
            continue;
        };
        let start = i;
        while i < handler_of.len() && handler_of[i] == Some(h) {
            i += 1;
        }
        table.push(ExceptionEntry {
            start: start as u32,
            end: i as u32,
            target: handler_target[h as usize],
            depth: handler_depth[h as usize],
        });
    }
    CodeObject {
        name: u.name,
        qualname: u.qualname,
        filename: filename.to_string(),
        first_line: u.first_line,
        argcount: u.argcount,
        kwonlyargcount: u.kwonlyargcount,
        flags: u.flags,
        varnames: u.varnames,
        cellvars: u.cellvars,
        freevars: u.freevars,
        names: u.names,
        consts: u.consts,
        ops: ops.iter().map(|&o| o as u8).collect(),
        args,
        lines,
        locs,
        exception_table: table,
        stacksize: max as u32,
    }
}
