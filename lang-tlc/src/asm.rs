//! The TLC assembler (TLC.md §4; PyPy's `tlopcode.compile`): source text in, [`Program`] out.
//!
//! The language, line by line (lines are numbered from 1 and split at `'\n'`):
//! - Everything after the first `;`, then `#`, then `//` is a comment. Blank lines are ignored.
//! - A first token ending in `:` defines a label at the current bytecode offset; the rest of
//!   that line is ignored.
//! - Otherwise the line is `MNEMONIC [ARG]` (mnemonics are case-sensitive; only the first
//!   argument token is read, later tokens are ignored as in PyPy). The argument is:
//!   - an *integer* (`[+-]digits`, decimal) for any opcode that takes an argument, except
//!     `SEND`: one byte, `value & 0xff`;
//!   - for `NEW`, a *class descriptor* `attr,...,meth=label,...`: a new pool descriptor (never
//!     deduplicated) whose method labels become absolute pcs once all labels are known; empty
//!     items (`a,,b`, a trailing `,`) are skipped as in PyPy;
//!   - for `GETATTR`/`SETATTR`, a *name*: its index in the string pool (deduplicated, in order
//!     of first use);
//!   - for `SEND`, `name/nargs`: two bytes, the name's string index and `nargs`;
//!   - for every other opcode with an argument, a *label*: the byte is the offset
//!     `label − (address of the argument byte) − 1`, i.e. relative to the next instruction.
//!
//! Choices where PyPy's assembler is silent, asserts, or would produce a program that does not
//! survive serialization (each is an [`AsmError`] naming the offending token):
//! - An integer argument must lie in −128..=255 (so `& 0xff` loses nothing); PyPy masks any
//!   integer silently.
//! - An argument to an opcode that takes none is an error, and so is a missing argument (PyPy
//!   emits the byte, or nothing, and so mis-aligns the code).
//! - `SEND` needs `name/nargs` with `nargs` in 0..=127 (the interpreter reads it as a signed
//!   byte); an integer `SEND 3` is an error (PyPy emits a 3-byte instruction with one byte).
//! - Names (attributes, methods, `GETATTR`/`SETATTR`/`SEND` names) must not contain `,`, `|`
//!   or `=`: these separate items of the serialized pool, and no descriptor could declare such
//!   a name anyway. A descriptor must not repeat an attribute or a method, and must not be
//!   empty (`NEW ,`), since a pool of one empty descriptor serializes like an empty pool.
//! - At most 128 class descriptors and 128 strings: pool indexes are read as signed bytes.
//! - Labels must be non-empty, unique, free of `,`, and not look like integers (such a label
//!   could never be referenced: `BR 5` is an offset).
//! - A label argument containing `,` (`PUSH x,y`) is a bad argument, since it can't be a label.
//! - Errors are reported in source order within each pass: first malformed lines, then
//!   undefined labels and out-of-range offsets (which need the whole file).

use std::collections::HashMap;

use crate::opcodes::{Opcode, Operand};
use crate::program::{is_serializable_name, ClassDescr, Program};

/// The largest number of class descriptors, and of strings, a pool may hold.
pub const MAX_POOL_ENTRIES: usize = 128;

/// An assembly error: the 1-based source line and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct AsmError {
    /// The 1-based line number in the source.
    pub line: usize,
    /// What is wrong, naming the offending token.
    pub message: String,
}

impl AsmError {
    /// The error at `line`, its message with control characters escaped (`\0`, `\u{1b}`...):
    /// messages quote the offending token, and a raw NUL or escape sequence from a broken
    /// source file must not reach the user's terminal.
    fn new(line: usize, message: &str) -> AsmError {
        let mut escaped = String::with_capacity(message.len());
        for c in message.chars() {
            if c.is_control() {
                escaped.extend(c.escape_default());
            } else {
                escaped.push(c);
            }
        }
        AsmError { line, message: escaped }
    }
}

/// Assembles TLC source text into bytecode and constant pool (see the module documentation).
pub fn assemble(src: &str) -> Result<Program, AsmError> {
    let mut asm = Assembler::default();
    for (index, text) in src.split('\n').enumerate() {
        let line = index + 1;
        asm.line(line, text).map_err(|message| AsmError::new(line, &message))?;
    }
    asm.finish()
}

/// A byte (or descriptor entry) to patch once every label is known.
struct Fixup {
    /// The source line that used the label.
    line: usize,
    /// The label used.
    label: String,
    /// What to patch.
    site: FixupSite,
}

/// The place a [`Fixup`] patches.
enum FixupSite {
    /// The argument byte at this address gets the relative offset to the label.
    Offset(usize),
    /// Method `method` of class descriptor `descr` gets the label's absolute address.
    Method { descr: usize, method: usize },
}

/// What the token of an argument is, read as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IntToken {
    /// Not of the form `[+-]digits`.
    NotInt,
    /// An integer, with its value.
    Value(i64),
    /// An integer too large even for `i64`.
    Huge,
}

/// Reads `token` as a decimal integer with an optional sign, like Python's `int()`.
fn parse_int(token: &str) -> IntToken {
    let digits = token.strip_prefix(['+', '-']).unwrap_or(token);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return IntToken::NotInt;
    }
    match token.parse::<i64>() {
        Ok(v) => IntToken::Value(v),
        Err(_) => IntToken::Huge,
    }
}

/// Removes the comment from a line: everything after `;`, then `#`, then `//`.
fn strip_comment(text: &str) -> &str {
    let mut text = text;
    for marker in [";", "#", "//"] {
        if let Some(at) = text.find(marker) {
            text = &text[..at];
        }
    }
    text
}

/// The error message for a name that cannot go into the pool.
fn bad_name(name: &str, what: &str) -> String {
    format!("bad name '{name}' for {what} (names must not contain ',', '|' or '=')")
}

/// The assembler's state between lines.
#[derive(Default)]
struct Assembler {
    program: Program,
    /// Label name → (address, line of definition).
    labels: HashMap<String, (usize, usize)>,
    fixups: Vec<Fixup>,
}

impl Assembler {
    /// Assembles one source line.
    fn line(&mut self, line: usize, text: &str) -> Result<(), String> {
        let mut tokens = strip_comment(text).split_ascii_whitespace();
        let Some(first) = tokens.next() else {
            return Ok(());
        };
        if let Some(label) = first.strip_suffix(':') {
            return self.define_label(line, label);
        }
        let op = Opcode::from_name(first).ok_or_else(|| format!("unknown opcode '{first}'"))?;
        self.instruction(line, op, tokens.next())
    }

    /// Defines `label` at the current address.
    fn define_label(&mut self, line: usize, label: &str) -> Result<(), String> {
        if label.is_empty() {
            return Err("empty label name".to_string());
        }
        if label.contains(',') {
            return Err(format!("bad label name '{label}' (labels must not contain ',')"));
        }
        if parse_int(label) != IntToken::NotInt {
            return Err(format!(
                "bad label name '{label}' (an integer argument is an offset, not a label)"
            ));
        }
        if let Some(&(_, first)) = self.labels.get(label) {
            return Err(format!("duplicate label '{label}' (first defined on line {first})"));
        }
        self.labels.insert(label.to_string(), (self.program.code.len(), line));
        Ok(())
    }

    /// Emits one instruction and its argument bytes.
    fn instruction(&mut self, line: usize, op: Opcode, arg: Option<&str>) -> Result<(), String> {
        self.program.code.push(op.byte());
        if op.operand() == Operand::None {
            return match arg {
                Some(arg) => Err(format!("argument '{arg}' given to {op}, which takes none")),
                None => Ok(()),
            };
        }
        let arg = arg.ok_or_else(|| format!("missing argument for {op}"))?;
        let byte = match (parse_int(arg), op.operand()) {
            (_, Operand::Send) => return self.send(arg),
            (IntToken::Value(v), _) if (-128..=255).contains(&v) => (v & 0xff) as u8,
            (IntToken::Value(_) | IntToken::Huge, _) => {
                return Err(format!("argument {arg} does not fit in a byte"))
            }
            (IntToken::NotInt, Operand::ClassDescr) => self.class_descr(line, arg)?,
            (IntToken::NotInt, Operand::Str) => {
                if !is_serializable_name(arg) {
                    return Err(bad_name(arg, op.name()));
                }
                self.intern(arg)?
            }
            (IntToken::NotInt, Operand::Int | Operand::Offset) => {
                if arg.contains(',') {
                    return Err(format!("bad argument '{arg}' for {op}"));
                }
                let site = FixupSite::Offset(self.program.code.len());
                self.fixups.push(Fixup { line, label: arg.to_string(), site });
                0
            }
            (IntToken::NotInt, Operand::None) => unreachable!("handled above"),
        };
        self.program.code.push(byte);
        Ok(())
    }

    /// Emits the two argument bytes of `SEND name/nargs`.
    fn send(&mut self, arg: &str) -> Result<(), String> {
        let bad = || format!("bad SEND argument '{arg}' (expected name/nargs)");
        let (name, nargs) = arg.split_once('/').ok_or_else(bad)?;
        if name.is_empty() {
            return Err(bad());
        }
        let nargs = match parse_int(nargs) {
            IntToken::NotInt => return Err(bad()),
            IntToken::Value(n) if (0..=127).contains(&n) => n as u8,
            IntToken::Value(_) | IntToken::Huge => {
                return Err(format!("argument count {nargs} for SEND is out of range 0..=127"))
            }
        };
        if !is_serializable_name(name) {
            return Err(bad_name(name, "SEND"));
        }
        let index = self.intern(name)?;
        self.program.code.extend([index, nargs]);
        Ok(())
    }

    /// The string-pool index of `name`, adding it if it is new.
    fn intern(&mut self, name: &str) -> Result<u8, String> {
        let strings = &mut self.program.pool.strings;
        let index = match strings.iter().position(|s| s == name) {
            Some(index) => index,
            None if strings.len() == MAX_POOL_ENTRIES => {
                return Err(format!(
                    "too many strings in the constant pool at '{name}' (at most {MAX_POOL_ENTRIES})"
                ))
            }
            None => {
                strings.push(name.to_string());
                strings.len() - 1
            }
        };
        Ok(index as u8)
    }

    /// Adds the class descriptor `attr,...,meth=label,...` to the pool; returns its index.
    fn class_descr(&mut self, line: usize, arg: &str) -> Result<u8, String> {
        let mut descr = ClassDescr::default();
        let mut method_labels = Vec::new();
        for item in arg.split(',').filter(|item| !item.is_empty()) {
            if item.contains('|') {
                return Err(bad_name(item, "NEW"));
            }
            match item.split_once('=') {
                Some((name, label)) => {
                    if name.is_empty() || label.is_empty() || label.contains('=') {
                        return Err(format!(
                            "bad method '{item}' in class descriptor '{arg}' (expected name=label)"
                        ));
                    }
                    if descr.methods.iter().any(|(m, _)| m == name) {
                        return Err(format!(
                            "duplicate method '{name}' in class descriptor '{arg}'"
                        ));
                    }
                    // The pc is patched in `finish`, once every label is known.
                    descr.methods.push((name.to_string(), 0));
                    method_labels.push(label);
                }
                None => {
                    if descr.attributes.iter().any(|a| a == item) {
                        return Err(format!(
                            "duplicate attribute '{item}' in class descriptor '{arg}'"
                        ));
                    }
                    descr.attributes.push(item.to_string());
                }
            }
        }
        if descr == ClassDescr::default() {
            return Err(format!("empty class descriptor '{arg}'"));
        }
        let classdescrs = &mut self.program.pool.classdescrs;
        if classdescrs.len() == MAX_POOL_ENTRIES {
            return Err(format!(
                "too many class descriptors at '{arg}' (at most {MAX_POOL_ENTRIES})"
            ));
        }
        let index = classdescrs.len();
        for (method, label) in method_labels.into_iter().enumerate() {
            let site = FixupSite::Method { descr: index, method };
            self.fixups.push(Fixup { line, label: label.to_string(), site });
        }
        classdescrs.push(descr);
        Ok(index as u8)
    }

    /// Resolves every label use and returns the program.
    fn finish(mut self) -> Result<Program, AsmError> {
        for Fixup { line, label, site } in &self.fixups {
            let error = |message: String| AsmError::new(*line, &message);
            let &(addr, _) = self
                .labels
                .get(label)
                .ok_or_else(|| error(format!("undefined label '{label}'")))?;
            match *site {
                FixupSite::Offset(pos) => {
                    let offset = addr as i64 - pos as i64 - 1;
                    if !(-128..=127).contains(&offset) {
                        return Err(error(format!(
                            "offset to label '{label}' out of range ({offset})"
                        )));
                    }
                    self.program.code[pos] = offset as i8 as u8;
                }
                FixupSite::Method { descr, method } => {
                    self.program.pool.classdescrs[descr].methods[method].1 = addr as i64;
                }
            }
        }
        Ok(self.program)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::ConstantPool;

    fn code(src: &str) -> Vec<u8> {
        assemble(src).unwrap().code
    }

    fn err(src: &str) -> String {
        assemble(src).unwrap_err().to_string()
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int("12"), IntToken::Value(12));
        assert_eq!(parse_int("-12"), IntToken::Value(-12));
        assert_eq!(parse_int("+7"), IntToken::Value(7));
        assert_eq!(parse_int("007"), IntToken::Value(7));
        assert_eq!(parse_int("99999999999999999999"), IntToken::Huge);
        for not in ["", "-", "+", "1a", "0x10", "--1", "1_0", "a1"] {
            assert_eq!(parse_int(not), IntToken::NotInt, "{not:?}");
        }
    }

    #[test]
    fn comments_are_stripped_in_order() {
        assert_eq!(strip_comment("PUSH 1 ; a # b // c"), "PUSH 1 ");
        assert_eq!(strip_comment("PUSH 1 // a ; b"), "PUSH 1 ");
        assert_eq!(strip_comment("end:// comment"), "end:");
        assert_eq!(strip_comment("PUSH 1 / 2"), "PUSH 1 / 2");
        assert_eq!(code("PUSH 1#x\n  ; only a comment\n\tPOP// y\r\n"), [2, 1, 3]);
    }

    #[test]
    fn integer_arguments_are_one_byte() {
        assert_eq!(
            code("PUSH -1\nPUSH 255\nPUSH -128\nPUSH 127\nPICK +2"),
            [2, 255, 2, 255, 2, 128, 2, 127, 6, 2]
        );
        // Integers are accepted for pool operands too, without touching the pool.
        let p = assemble("NEW 3\nGETATTR 1\nSETATTR -1\nBR_COND -10").unwrap();
        assert_eq!(p.code, [28, 3, 29, 1, 30, 255, 18, 246]);
        assert_eq!(p.pool, ConstantPool::default());
    }

    #[test]
    fn only_the_first_argument_token_counts() {
        assert_eq!(code("PUSH 1 2 3"), [2, 1]);
    }

    #[test]
    fn rest_of_a_label_line_is_ignored() {
        assert_eq!(code("a: PUSH 1\nb:\nBR a"), [35, 254]);
    }

    #[test]
    fn labels_give_offsets_relative_to_the_next_instruction() {
        // BR at 0, its argument byte at 1: offset = 0 - 1 - 1 = -2.
        assert_eq!(code("top:\nBR top"), [35, 254]);
        // PUSH label: the byte is the offset from the next instruction (the NOP idiom).
        assert_eq!(code("PUSH there\nBR_COND_STK\nthere:\nNOP"), [2, 1, 19, 1]);
        // A label may sit at the very end of the code.
        assert_eq!(code("CALL end\nend:"), [20, 0]);
        // Extremes of the range.
        let fwd = format!("BR far\n{}far:", "NOP\n".repeat(127));
        assert_eq!(code(&fwd)[1], 127);
        let back = format!("back:\n{}BR back", "NOP\n".repeat(126));
        assert_eq!(*code(&back).last().unwrap() as i8, -128);
    }

    #[test]
    fn names_are_deduplicated_but_descriptors_are_not() {
        let p = assemble("NEW a,b,m=l\nNEW a,b,m=l\nGETATTR b\nSETATTR a\nl:\nSEND m/2\nGETATTR b")
            .unwrap();
        assert_eq!(p.code, [28, 0, 28, 1, 29, 0, 30, 1, 31, 2, 2, 29, 0]);
        assert_eq!(p.pool.strings, ["b", "a", "m"]);
        let d =
            ClassDescr { attributes: vec!["a".into(), "b".into()], methods: vec![("m".into(), 8)] };
        assert_eq!(p.pool.classdescrs, [d.clone(), d]);
    }

    #[test]
    fn descriptor_items() {
        // Empty items are skipped; methods and attributes may interleave.
        let p = assemble("NEW ,m=x,a,,b,\nx:").unwrap();
        let d = &p.pool.classdescrs[0];
        assert_eq!(d.attributes, ["a", "b"]);
        assert_eq!(d.methods, [("m".to_string(), 2)]);
        // A descriptor whose only attribute looks like a number needs a comma.
        let p = assemble("NEW 5,").unwrap();
        assert_eq!(p.pool.classdescrs[0].attributes, ["5"]);
    }

    #[test]
    fn more_errors() {
        assert_eq!(err("FOO"), "line 1: unknown opcode 'FOO'");
        assert_eq!(err("push 1"), "line 1: unknown opcode 'push'");
        assert_eq!(err(":"), "line 1: empty label name");
        assert_eq!(err("a,b:"), "line 1: bad label name 'a,b' (labels must not contain ',')");
        assert_eq!(
            err("-3:"),
            "line 1: bad label name '-3' (an integer argument is an offset, not a label)"
        );
        assert_eq!(
            err("PUSH 99999999999999999999"),
            "line 1: argument 99999999999999999999 does not fit in a byte"
        );
        assert_eq!(err("SEND 3"), "line 1: bad SEND argument '3' (expected name/nargs)");
        assert_eq!(err("SEND /1"), "line 1: bad SEND argument '/1' (expected name/nargs)");
        assert_eq!(err("SEND a/1/2"), "line 1: bad SEND argument 'a/1/2' (expected name/nargs)");
        assert_eq!(err("SEND a/x"), "line 1: bad SEND argument 'a/x' (expected name/nargs)");
        assert_eq!(
            err("SEND a/128"),
            "line 1: argument count 128 for SEND is out of range 0..=127"
        );
        assert_eq!(err("SEND a/-1"), "line 1: argument count -1 for SEND is out of range 0..=127");
        assert_eq!(
            err("SEND a,b/1"),
            "line 1: bad name 'a,b' for SEND (names must not contain ',', '|' or '=')"
        );
        assert_eq!(
            err("GETATTR a=b"),
            "line 1: bad name 'a=b' for GETATTR (names must not contain ',', '|' or '=')"
        );
        assert_eq!(
            err("NEW a|b"),
            "line 1: bad name 'a|b' for NEW (names must not contain ',', '|' or '=')"
        );
        assert_eq!(
            err("NEW a,m=x=y"),
            "line 1: bad method 'm=x=y' in class descriptor 'a,m=x=y' (expected name=label)"
        );
        assert_eq!(
            err("NEW a,=x"),
            "line 1: bad method '=x' in class descriptor 'a,=x' (expected name=label)"
        );
        assert_eq!(err("NEW a,b,a"), "line 1: duplicate attribute 'a' in class descriptor 'a,b,a'");
        assert_eq!(
            err("NEW m=x,m=y\nx:\ny:"),
            "line 1: duplicate method 'm' in class descriptor 'm=x,m=y'"
        );
        assert_eq!(err("NEW ,,"), "line 1: empty class descriptor ',,'");
        assert_eq!(err("NOP\nBR 1 2\nBR nowhere"), "line 3: undefined label 'nowhere'");
    }

    #[test]
    fn pool_limits() {
        let many: String = (0..128).map(|i| format!("NEW a{i}\nGETATTR s{i}\n")).collect();
        let p = assemble(&many).unwrap();
        assert_eq!(p.pool.classdescrs.len(), 128);
        assert_eq!(p.pool.strings.len(), 128);
        assert_eq!(
            err(&format!("{many}NEW x")),
            "line 257: too many class descriptors at 'x' (at most 128)"
        );
        assert_eq!(
            err(&format!("{many}SETATTR s5\nSETATTR t")),
            "line 258: too many strings in the constant pool at 't' (at most 128)"
        );
    }
}
