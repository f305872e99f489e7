//! The disassembler: a code object (and every code object nested in it) as text, in the
//! spirit of CPython's `dis`: one line per instruction with its source line (when it
//! changes), index, name, argument and the argument's meaning; then the exception table.
//! Golden tests compare this text, so its format changes only with a re-bless.

use crate::bytecode::{ArgKind, CodeObject, Const, BINARY_OPS, COMPARE_OPS, INPLACE};

/// Disassembles `code` and, after it, each nested code object.
pub fn disassemble(code: &CodeObject) -> String {
    let mut out = String::new();
    one(code, &mut out);
    for c in code.nested() {
        out.push('\n');
        one(c, &mut out);
    }
    out
}

fn one(code: &CodeObject, out: &mut String) {
    out.push_str(&format!(
        "Disassembly of <code object {} at line {}> ({}):\n",
        code.name, code.first_line, code.qualname
    ));
    out.push_str(&format!(
        "  argcount={} kwonlyargcount={} flags=0x{:02x} stacksize={}\n",
        code.argcount, code.kwonlyargcount, code.flags, code.stacksize
    ));
    let list = |name: &str, items: &[String], out: &mut String| {
        if !items.is_empty() {
            out.push_str(&format!("  {name}: {}\n", items.join(", ")));
        }
    };
    list("varnames", &code.varnames, out);
    list("cellvars", &code.cellvars, out);
    list("freevars", &code.freevars, out);
    list("names", &code.names, out);
    let targets: Vec<u32> = (0..code.ops.len())
        .filter_map(|pc| {
            let (op, arg) = code.instr(pc);
            (op.arg_kind() == ArgKind::Jump).then_some(arg)
        })
        .chain(code.exception_table.iter().map(|e| e.target))
        .collect();
    let mut last_line = 0;
    for pc in 0..code.ops.len() {
        let (op, arg) = code.instr(pc);
        let line = code.lines[pc];
        let line_col = if line != last_line {
            last_line = line;
            format!("{line:>4}")
        } else {
            "    ".to_string()
        };
        let mark = if targets.contains(&(pc as u32)) { ">>" } else { "  " };
        let mut text = format!("{line_col} {mark}{pc:>4} {:<22}", op.name());
        let detail = match op.arg_kind() {
            ArgKind::None => None,
            ArgKind::Const => Some(match &code.consts[arg as usize] {
                Const::Code(c) => format!("<code object {}>", c.name),
                c => c.to_string(),
            }),
            ArgKind::Local => Some(code.varnames[arg as usize].clone()),
            ArgKind::Cell => {
                let i = arg as usize;
                Some(if i < code.cellvars.len() {
                    code.cellvars[i].clone()
                } else {
                    code.freevars[i - code.cellvars.len()].clone()
                })
            }
            ArgKind::Name => Some(code.names[arg as usize].clone()),
            ArgKind::Jump => Some(format!("to {arg}")),
            ArgKind::Count | ArgKind::Flags => Some(String::new()),
            ArgKind::BinaryOp => Some(if arg >= INPLACE {
                format!("{}=", BINARY_OPS[(arg - INPLACE) as usize])
            } else {
                BINARY_OPS[arg as usize].to_string()
            }),
            ArgKind::CompareOp => Some(COMPARE_OPS[arg as usize].to_string()),
        };
        if let Some(d) = detail {
            text.push_str(&format!(" {arg}"));
            if !d.is_empty() {
                text.push_str(&format!(" ({d})"));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    if !code.exception_table.is_empty() {
        out.push_str("  ExceptionTable:\n");
        for e in &code.exception_table {
            out.push_str(&format!("    {} to {} -> {} [{}]\n", e.start, e.end, e.target, e.depth));
        }
    }
}
