//! An independent checker of code objects: what the RPy interpreter will rely on.
//!
//! It re-derives, without the assembler's bookkeeping, that: the per-instruction arrays
//! have one entry per instruction; every opcode exists; every argument indexes its table
//! (constants, names, fast locals, cells) or is a jump target inside the code; every
//! exception-table entry covers a valid range and targets a valid instruction; control
//! never runs off the end; and the value stack has one depth at each instruction, never
//! negative and never above `stacksize`, following jumps, fall-throughs and handler
//! entries (an entry at `start..end` with `depth` is entered with `depth + 1` values).
//! `compile_source` runs it on debug builds; the tests run it on every program.

use crate::bytecode::{stack_effect, ArgKind, CodeObject, Const, Op};

/// Checks a code object and every code object nested in it; the first problem found,
/// naming the code object and the instruction.
pub fn verify(code: &CodeObject) -> Result<(), String> {
    verify_one(code)?;
    for c in &code.consts {
        if let Const::Code(inner) = c {
            verify(inner)?;
        }
    }
    Ok(())
}

fn verify_one(code: &CodeObject) -> Result<(), String> {
    let n = code.ops.len();
    let err =
        |pc: usize, msg: String| Err(format!("{} ({}) at {pc}: {msg}", code.name, code.qualname));
    if code.args.len() != n || code.lines.len() != n {
        return err(0, "ops, args and lines differ in length".into());
    }
    if n == 0 {
        return err(0, "no instructions".into());
    }
    let ncells = code.cellvars.len() + code.freevars.len();
    for pc in 0..n {
        let Some(op) = Op::from_u8(code.ops[pc]) else {
            return err(pc, format!("unknown opcode {}", code.ops[pc]));
        };
        let arg = code.args[pc] as usize;
        let ok = match op.arg_kind() {
            ArgKind::Const => arg < code.consts.len(),
            ArgKind::Local => arg < code.varnames.len(),
            ArgKind::Cell => arg < ncells,
            ArgKind::Name => arg < code.names.len(),
            ArgKind::Jump => arg < n,
            ArgKind::BinaryOp => arg < 24,
            ArgKind::CompareOp => arg < 6,
            ArgKind::None => arg == 0,
            ArgKind::Count | ArgKind::Flags => true,
        };
        if !ok {
            return err(pc, format!("{} has an argument out of range: {arg}", op.name()));
        }
        if code.lines[pc] == 0 {
            return err(pc, "no source line".into());
        }
    }
    for e in &code.exception_table {
        if e.start >= e.end || e.end as usize > n || e.target as usize >= n {
            return err(e.start as usize, format!("bad exception entry {e:?}"));
        }
    }
    stack_depths(code).map(|_| ())
}

/// The value stack's depth before each instruction (the RPy interpreter's loop takes it
/// from here, so that the JIT knows every stack index at compile time); unreachable
/// instructions get 0. An error if one instruction is reached with two depths, or the
/// stack under- or overflows.
pub fn stack_depths(code: &CodeObject) -> Result<Vec<u32>, String> {
    let n = code.ops.len();
    let err =
        |pc: usize, msg: String| Err(format!("{} ({}) at {pc}: {msg}", code.name, code.qualname));
    let mut depth: Vec<Option<i32>> = vec![None; n];
    let mut work = vec![(0usize, 0i32)];
    let handler_of = |pc: usize| {
        code.exception_table.iter().find(|e| e.start as usize <= pc && pc < e.end as usize)
    };
    while let Some((pc, d)) = work.pop() {
        if pc >= n {
            return err(pc, "control runs off the end".into());
        }
        if let Some(seen) = depth[pc] {
            if seen != d {
                return err(pc, format!("stack depth {d} here, {seen} on another path"));
            }
            continue;
        }
        if d < 0 || d as u32 > code.stacksize {
            return err(pc, format!("stack depth {d} outside 0..={}", code.stacksize));
        }
        depth[pc] = Some(d);
        let (op, arg) = code.instr(pc);
        if let Some(h) = handler_of(pc) {
            if h.depth as i32 > d {
                return err(
                    pc,
                    format!("handler keeps {} values but the stack holds {d}", h.depth),
                );
            }
            work.push((h.target as usize, h.depth as i32 + 1));
        }
        if op.arg_kind() == ArgKind::Jump {
            work.push((arg as usize, d + stack_effect(op, arg, true)));
        }
        let after = d + stack_effect(op, arg, false);
        if after < 0 {
            return err(pc, format!("{} pops an empty stack", op.name()));
        }
        if !matches!(op, Op::JUMP | Op::RETURN_VALUE | Op::RERAISE | Op::RAISE_VARARGS) {
            work.push((pc + 1, after));
        }
    }
    Ok(depth.into_iter().map(|d| d.unwrap_or(0) as u32).collect())
}
