//! The program as the RPy interpreter's input: one string of little-endian 64-bit words
//! (the format is described from the reading side in `interp/loader.rpy`).
//!
//! Code objects are written nested-first (a code constant is the index of an earlier code
//! object), the module's last. A string is its length then one word per code point. A big
//! int constant (beyond 64 bits) is its decimal digits as a string, with a leading `-` if
//! negative. A bytes constant is its length then one word per byte.

use crate::bytecode::{CodeObject, Const};

const CONST_NONE: i64 = 0;
const CONST_TRUE: i64 = 1;
const CONST_FALSE: i64 = 2;
const CONST_ELLIPSIS: i64 = 3;
const CONST_INT: i64 = 4;
const CONST_FLOAT: i64 = 5;
const CONST_STR: i64 = 6;
const CONST_TUPLE: i64 = 7;
const CONST_CODE: i64 = 8;
const CONST_BIGINT: i64 = 9;
const CONST_BYTES: i64 = 10;

/// What a run gives the interpreter besides the code: the script's name as tracebacks show
/// it, its source (for the lines tracebacks quote), `sys.argv`, and whether stderr is
/// captured by the interpreter (tests) rather than written at once.
pub struct RunInput<'a> {
    /// The module's code object.
    pub code: &'a CodeObject,
    /// The file name tracebacks print for the script.
    pub filename: &'a str,
    /// The script's source text.
    pub source: &'a str,
    /// `sys.argv`.
    pub argv: &'a [String],
    /// Keep stderr in the interpreter (read back after the run) instead of writing it.
    pub capture_stderr: bool,
}

struct Writer {
    words: Vec<i64>,
    ncodes: i64,
}

impl Writer {
    fn int(&mut self, w: i64) {
        self.words.push(w);
    }

    fn str(&mut self, s: &str) {
        self.words.push(s.chars().count() as i64);
        self.words.extend(s.chars().map(|c| c as i64));
    }

    fn strs<S: AsRef<str>>(&mut self, items: &[S]) {
        self.int(items.len() as i64);
        for s in items {
            self.str(s.as_ref());
        }
    }

    fn konst(&mut self, c: &Const, code_index: &mut impl FnMut(&CodeObject) -> i64) {
        match c {
            Const::None => self.int(CONST_NONE),
            Const::Bool(true) => self.int(CONST_TRUE),
            Const::Bool(false) => self.int(CONST_FALSE),
            Const::Ellipsis => self.int(CONST_ELLIPSIS),
            Const::Int(i) => {
                self.int(CONST_INT);
                self.int(*i);
            }
            Const::BigInt(digits) => {
                self.int(CONST_BIGINT);
                self.str(digits);
            }
            Const::Float(x) => {
                self.int(CONST_FLOAT);
                self.str(&crate::bytecode::float_repr(*x));
            }
            Const::Str(s) => {
                self.int(CONST_STR);
                self.str(s);
            }
            Const::Tuple(items) => {
                self.int(CONST_TUPLE);
                self.int(items.len() as i64);
                for item in items {
                    self.konst(item, code_index);
                }
            }
            Const::Code(code) => {
                self.int(CONST_CODE);
                let i = code_index(code);
                self.int(i);
            }
            Const::Bytes(b) => {
                self.int(CONST_BYTES);
                self.int(b.len() as i64);
                self.words.extend(b.iter().map(|&c| c as i64));
            }
        }
    }

    /// Writes `code` after the code objects nested in it; returns its index.
    fn code(&mut self, code: &CodeObject) -> Result<i64, String> {
        let mut nested = Vec::new();
        for c in &code.consts {
            if let Const::Code(inner) = c {
                nested.push(self.code(inner)?);
            }
        }
        self.str(&code.name);
        self.str(&code.qualname);
        self.str(&code.filename);
        self.int(code.first_line as i64);
        self.int(code.argcount as i64);
        self.int(code.kwonlyargcount as i64);
        self.int(code.flags as i64);
        self.strs(&code.varnames);
        self.int(code.cellvars.len() as i64);
        let cells: Vec<&String> = code.cellvars.iter().chain(&code.freevars).collect();
        self.strs(&cells);
        self.strs(&code.names);
        self.int(code.consts.len() as i64);
        let mut next = nested.into_iter();
        for c in &code.consts {
            self.konst(c, &mut |_| next.next().expect("one index per nested code"));
        }
        let n = code.ops.len();
        self.int(n as i64);
        self.words.extend(code.ops.iter().map(|&o| o as i64));
        self.words.extend(code.args.iter().map(|&a| a as i64));
        self.words.extend(code.lines.iter().map(|&l| l as i64));
        for loc in &code.locs {
            let [kind, a, b] = loc.anchor.words();
            let p = loc.pos;
            self.words.extend([p.col, p.end_line, p.end_col, kind, a, b].map(i64::from));
        }
        self.int(code.exception_table.len() as i64 * 4);
        for e in &code.exception_table {
            self.words.extend([e.start, e.end, e.target, e.depth].map(|x| x as i64));
        }
        self.int(code.stacksize as i64);
        let depths = crate::verify::stack_depths(code)?;
        self.words.extend(depths.iter().map(|&d| d as i64));
        let index = self.ncodes;
        self.ncodes += 1;
        Ok(index)
    }
}

/// The words of a run's input, as the bytes of the string `main` receives.
pub fn encode(input: &RunInput) -> Result<Vec<u8>, String> {
    let mut w = Writer { words: Vec::new(), ncodes: 0 };
    w.str(input.filename);
    let lines: Vec<&str> = input.source.lines().collect();
    w.strs(&lines);
    w.strs(input.argv);
    w.int(i64::from(input.capture_stderr));
    let mut body = Writer { words: Vec::new(), ncodes: 0 };
    body.code(input.code)?;
    w.int(body.ncodes);
    w.words.extend(body.words);
    Ok(w.words.iter().flat_map(|x| x.to_le_bytes()).collect())
}
