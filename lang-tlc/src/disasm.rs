//! The TLC disassembler: [`Program`] in, assembler text out.
//!
//! Guarantee: for every program [`crate::assemble`] can produce (and so for every decoded
//! `.tlc` file the assembler wrote), `assemble(&disassemble(p)) == Ok(p)` — same bytes, same
//! pool.
//!
//! Rendering: one instruction per line, indented by four spaces; a label `L<pc>:` on its own
//! line before every branch target (`BR`, `BR_COND`, `CALL`) and every method entry that falls
//! on an instruction boundary (or the end of the code). `NEW` is written with its descriptor,
//! methods as labels; names are written for `GETATTR`/`SETATTR`/`SEND`. Integer arguments are
//! written as signed bytes, as the interpreter reads them; `PUSH` arguments stay integers even
//! when the source used a label (nothing in the bytes says so).
//!
//! The pool is rebuilt on re-assembly in the order the text mentions names and descriptors,
//! so the disassembler replays that order: a pool operand is written symbolically only where
//! the assembler would give it the same index, and as an integer otherwise. For programs the
//! assembler could not have produced, what the text cannot express is made loud rather than
//! silently changed: an unknown opcode byte becomes `??? <byte>` and a truncated final
//! instruction or an inexpressible `SEND` loses its argument (both rejected on re-assembly),
//! and pool entries no instruction reproduces are listed in a closing comment.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::opcodes::{Opcode, Operand};
use crate::program::{is_serializable_name, ClassDescr, Program};

/// One decoded unit of the bytecode.
#[derive(Clone, Copy, Debug)]
enum Item<'a> {
    /// A complete instruction at `pc` with its argument bytes.
    Instr { pc: usize, op: Opcode, args: &'a [u8] },
    /// A byte at `pc` that is no opcode.
    Unknown { pc: usize, byte: u8 },
    /// An instruction at `pc` cut short by the end of the code.
    Truncated { pc: usize, op: Opcode },
}

/// How an argument is rendered.
#[derive(Clone, Debug)]
enum ArgText {
    /// As written (a name, `name/nargs` or a descriptor).
    Text(String),
    /// As the raw index, a signed byte.
    Index(i8),
    /// Not expressible at all (an inexpressible `SEND`): explained in a comment.
    Inexpressible(String),
}

/// Splits `code` into instructions (unknown bytes and a truncated tail included).
fn items(code: &[u8]) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    let mut pc = 0;
    while pc < code.len() {
        let Some(op) = Opcode::from_byte(code[pc]) else {
            items.push(Item::Unknown { pc, byte: code[pc] });
            pc += 1;
            continue;
        };
        let end = pc + op.instr_len();
        if end > code.len() {
            items.push(Item::Truncated { pc, op });
            break;
        }
        items.push(Item::Instr { pc, op, args: &code[pc + 1..end] });
        pc = end;
    }
    items
}

/// Whether `name` can be written as a token: no separators, whitespace or comment markers.
fn is_token_name(name: &str) -> bool {
    is_serializable_name(name)
        && !name.contains(|c: char| c.is_ascii_whitespace() || c == ';' || c == '#')
        && !name.contains("//")
}

/// Whether `name` reads back as itself in `GETATTR`/`SETATTR` (not as an integer index).
fn is_attr_name(name: &str) -> bool {
    is_token_name(name) && !looks_like_int(name)
}

/// Whether the assembler would read `token` as an integer.
fn looks_like_int(token: &str) -> bool {
    let digits = token.strip_prefix(['+', '-']).unwrap_or(token);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Rendering state: replays the assembler's pool construction and collects label targets.
struct Renderer<'a> {
    program: &'a Program,
    /// Instruction boundaries (method pcs must be one of them to get a label).
    boundaries: &'a BTreeSet<usize>,
    /// The strings the text has mentioned so far; always a prefix of the pool's strings.
    strings: Vec<&'a str>,
    /// How many descriptors the text has written so far; a prefix of the pool's.
    descrs: usize,
    /// Branch targets and method entry pcs that need labels.
    labels: BTreeSet<usize>,
}

impl<'a> Renderer<'a> {
    /// Mentions string `index` if the assembler would give it exactly that index.
    fn name(&mut self, index: u8, ok: fn(&str) -> bool) -> Option<&'a str> {
        let index = usize::from(index);
        let name = self.program.pool.strings.get(index)?.as_str();
        if !ok(name) {
            return None;
        }
        if index < self.strings.len() {
            debug_assert_eq!(self.strings[index], name);
            return Some(name);
        }
        if index == self.strings.len() && !self.strings.contains(&name) {
            self.strings.push(name);
            return Some(name);
        }
        None
    }

    /// Renders a `NEW` index: the descriptor itself if it is the next one to create.
    fn class_descr(&mut self, index: u8) -> ArgText {
        let descrs = &self.program.pool.classdescrs;
        if usize::from(index) == self.descrs && self.descrs < descrs.len() {
            if let Some(text) = self.descr_text(&descrs[self.descrs]) {
                self.descrs += 1;
                return ArgText::Text(text);
            }
        }
        ArgText::Index(index as i8)
    }

    /// The assembler text of a descriptor, if the assembler accepts it back unchanged.
    fn descr_text(&mut self, descr: &ClassDescr) -> Option<String> {
        let attrs = &descr.attributes;
        let meths = &descr.methods;
        let unique = |names: Vec<&str>| names.iter().collect::<BTreeSet<_>>().len() == names.len();
        let expressible = (!attrs.is_empty() || !meths.is_empty())
            && attrs.iter().all(|a| is_token_name(a))
            && meths.iter().all(|(m, pc)| {
                is_token_name(m)
                    && usize::try_from(*pc).is_ok_and(|pc| self.boundaries.contains(&pc))
            })
            && unique(attrs.iter().map(String::as_str).collect())
            && unique(meths.iter().map(|(m, _)| m.as_str()).collect());
        if !expressible {
            return None;
        }
        let mut items: Vec<String> = attrs.clone();
        for (m, pc) in meths {
            items.push(format!("{m}=L{pc}"));
            self.labels.insert(*pc as usize);
        }
        let mut text = items.join(",");
        if looks_like_int(&text) {
            // A lone numeric attribute would read as an index; an empty item is skipped.
            text.push(',');
        }
        Some(text)
    }
}

/// Renders a program as assembler text that re-assembles to it (see the module
/// documentation for the guarantee and for what happens to programs the assembler cannot
/// produce).
pub fn disassemble(program: &Program) -> String {
    let code = &program.code;
    let items = items(code);
    let mut boundaries: BTreeSet<usize> = items
        .iter()
        .map(|item| match *item {
            Item::Instr { pc, .. } | Item::Unknown { pc, .. } | Item::Truncated { pc, .. } => pc,
        })
        .collect();
    if !matches!(items.last(), Some(Item::Truncated { .. })) {
        boundaries.insert(code.len());
    }

    // First pass: decide every argument's text, collecting the labels it needs.
    let mut renderer = Renderer {
        program,
        boundaries: &boundaries,
        strings: Vec::new(),
        descrs: 0,
        labels: BTreeSet::new(),
    };
    let mut lines: Vec<(usize, String)> = Vec::new();
    for item in &items {
        let (pc, text) = match *item {
            Item::Unknown { pc, byte } => (pc, format!("??? {byte}   ; not an opcode")),
            Item::Truncated { pc, op } => {
                let have = code.len() - pc - 1;
                let want = op.operand().arg_bytes();
                (pc, format!("{op}   ; truncated: {have} of {want} argument bytes present"))
            }
            Item::Instr { pc, op, args } => (pc, instruction(&mut renderer, pc, op, args)),
        };
        lines.push((pc, text));
    }
    let labels = &renderer.labels;

    // Second pass: interleave labels and instructions.
    let mut out = String::new();
    for (pc, text) in &lines {
        if labels.contains(pc) {
            let _ = writeln!(out, "L{pc}:");
        }
        let _ = writeln!(out, "    {text}");
    }
    if labels.contains(&code.len()) {
        let _ = writeln!(out, "L{}:", code.len());
    }
    let pool = &program.pool;
    if renderer.strings.len() < pool.strings.len() {
        let rest = &pool.strings[renderer.strings.len()..];
        let _ = writeln!(
            out,
            "; not reproduced: pool strings from #{}: {rest:?}",
            renderer.strings.len()
        );
    }
    if renderer.descrs < pool.classdescrs.len() {
        let rest: Vec<String> =
            pool.classdescrs[renderer.descrs..].iter().map(|d| d.to_string()).collect();
        let _ = writeln!(
            out,
            "; not reproduced: class descriptors from #{}: {rest:?}",
            renderer.descrs
        );
    }
    out
}

/// The label target of a branch, if it lands on an instruction boundary.
fn branch_label(target: i64, boundaries: &BTreeSet<usize>) -> Option<usize> {
    usize::try_from(target).ok().filter(|t| boundaries.contains(t))
}

/// The text of one complete instruction (without label or indentation).
fn instruction(renderer: &mut Renderer<'_>, pc: usize, op: Opcode, args: &[u8]) -> String {
    let arg = match op.operand() {
        Operand::None => return op.name().to_string(),
        Operand::Int => ArgText::Index(args[0] as i8),
        Operand::Offset => {
            let target = pc as i64 + 2 + i64::from(args[0] as i8);
            match branch_label(target, renderer.boundaries) {
                Some(target) => {
                    renderer.labels.insert(target);
                    ArgText::Text(format!("L{target}"))
                }
                None => ArgText::Index(args[0] as i8),
            }
        }
        Operand::ClassDescr => renderer.class_descr(args[0]),
        Operand::Str => match renderer.name(args[0], is_attr_name) {
            Some(name) => ArgText::Text(name.to_string()),
            None => ArgText::Index(args[0] as i8),
        },
        Operand::Send => {
            let nargs = args[1] as i8;
            let ok = |name: &str| is_token_name(name) && !name.contains('/');
            match renderer.name(args[0], ok) {
                Some(name) => ArgText::Text(format!("{name}/{nargs}")),
                None => ArgText::Inexpressible(format!(
                    "string #{} with {nargs} arguments cannot be written by name here",
                    args[0]
                )),
            }
        }
    };
    match arg {
        ArgText::Text(text) => format!("{op} {text}"),
        ArgText::Index(index) => format!("{op} {index}"),
        ArgText::Inexpressible(why) => format!("{op}   ; {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::assemble;
    use crate::program::ConstantPool;

    fn round_trip(src: &str) -> String {
        let p = assemble(src).unwrap();
        let text = disassemble(&p);
        assert_eq!(assemble(&text), Ok(p), "disassembly:\n{text}");
        text
    }

    #[test]
    fn labels_for_branches_and_methods() {
        let text = round_trip("NEW x,m=meth\nloop:\nBR_COND out\nBR loop\nmeth:\nRETURN\nout:");
        let expect = "    NEW x,m=L6\nL2:\n    BR_COND L7\n    BR L2\nL6:\n    RETURN\nL7:\n";
        assert_eq!(text, expect);
    }

    #[test]
    fn pool_order_is_replayed() {
        // GETATTR 1 names a string before its first symbolic use: stays an index.
        let text = round_trip("GETATTR 1\nSETATTR a\nSETATTR b\nNEW 0\nNEW 1\nNEW p\nNEW q");
        let expect =
            "    GETATTR 1\n    SETATTR a\n    SETATTR b\n    NEW p\n    NEW q\n    NEW 0\n    NEW 1\n";
        assert_eq!(text, expect);
        // An index equal to the next string's index can be written by name.
        assert_eq!(round_trip("GETATTR 0\nSETATTR a"), "    GETATTR a\n    SETATTR a\n");
    }

    #[test]
    fn numeric_names() {
        let text = round_trip("SEND 5/0\nGETATTR 0\nNEW 5,\nNEW 7,x");
        assert_eq!(text, "    SEND 5/0\n    GETATTR 0\n    NEW 5,\n    NEW 7,x\n");
    }

    #[test]
    fn integer_branches_off_the_grid_stay_integers() {
        // BR 1 lands inside the PUSH; CALL -100 lands before the code.
        let text = round_trip("BR 1\nPUSH 200\nCALL -100\nPUSH lbl\nlbl:");
        assert_eq!(text, "    BR 1\n    PUSH -56\n    CALL -100\n    PUSH 0\n");
    }

    #[test]
    fn foreign_programs_fail_loudly() {
        let p = Program {
            code: vec![0, 31, 3, 1, 2],
            pool: ConstantPool { classdescrs: vec![], strings: vec!["a".into()] },
        };
        let text = disassemble(&p);
        assert_eq!(
            text,
            "    ??? 0   ; not an opcode\n\
             \x20   SEND   ; string #3 with 1 arguments cannot be written by name here\n\
             \x20   PUSH   ; truncated: 0 of 1 argument bytes present\n\
             ; not reproduced: pool strings from #0: [\"a\"]\n"
        );
        assert!(assemble(&text).is_err());
    }
}
