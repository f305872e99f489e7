//! The bytecode: code objects and the instruction set, designed for the interpreter that
//! will be written in RPy (and whose JIT is a partial evaluator of that interpreter).
//!
//! # Form
//! A `CodeObject` is what an RPy interpreter loads as plain arrays: `ops` (one opcode byte
//! per instruction), `args` (one `u32` argument per instruction, 0 when unused) and
//! `lines` (the source line of each instruction, for tracebacks), all of the same length;
//! the constant table `consts` (`Const`: None/True/False/Ellipsis, small ints, big ints as
//! decimal digits, floats, strings, tuples of constants, nested code objects); the name
//! tables `names` (globals, attributes, imports), `varnames` (parameters first, then
//! locals: the fast locals), `cellvars` and `freevars` (the cell slots are `cellvars`
//! followed by `freevars`); and the `exception_table`. Instructions are fixed-width
//! (opcode + one int), the machine is a stack machine, and **jump targets are instruction
//! indexes**. There is no block stack: an exception raised by the instruction at `pc` is
//! handled by the first `ExceptionEntry` with `start <= pc < end` — the interpreter drops the
//! value stack to `depth` entries, pushes the exception and jumps to `target`; with no entry
//! the frame returns the exception to its caller. A `finally` body is compiled twice (the
//! normal path inline at each exit, including before `return`, `break` and `continue`; the
//! exceptional path in a handler), as CPython 3.11 does.
//!
//! Frames: a function's frame starts with its arguments bound to the first `argcount +
//! kwonlyargcount (+1 for *args) (+1 for **kwargs)` fast locals (see `flags`), fresh empty
//! cells for `cellvars`, and the function's closure cells for `freevars`. An argument that
//! is also a cell is copied into its cell by the code's first instructions (`LOAD_FAST`,
//! `STORE_DEREF`). Module and class-body code use the `*_NAME` instructions on a namespace.
//!
//! # Instructions
//! Stack effects are written `before -> after` (top of stack on the right).
//!
//! | opcode | argument | stack | meaning |
//! |---|---|---|---|
//! | `NOP` | – | – | nothing |
//! | `POP_TOP` | – | `a ->` | discard |
//! | `ROT_TWO` | – | `a b -> b a` | swap |
//! | `ROT_THREE` | – | `a b c -> c a b` | lift the top below two |
//! | `DUP_TOP` | – | `a -> a a` | |
//! | `DUP_TOP_TWO` | – | `a b -> a b a b` | |
//! | `LOAD_CONST` | const index | `-> v` | |
//! | `LOAD_FAST` / `STORE_FAST` / `DELETE_FAST` | varnames index | `-> v` / `v ->` / – | fast locals; loading an unbound one raises `UnboundLocalError` |
//! | `LOAD_DEREF` / `STORE_DEREF` / `DELETE_DEREF` | cell slot | `-> v` / `v ->` / – | the content of a cell (cellvars then freevars); an empty free cell raises `NameError` ("free variable ... referenced before assignment"), an empty own cell `UnboundLocalError` |
//! | `LOAD_CLOSURE` | cell slot | `-> cell` | the cell itself (to build closures) |
//! | `LOAD_CLASSDEREF` | cell slot | `-> v` | class body: the namespace first, then the cell |
//! | `LOAD_NAME` / `STORE_NAME` / `DELETE_NAME` | names index | | namespace (module/class body); loading falls back to globals, then builtins |
//! | `LOAD_GLOBAL` / `STORE_GLOBAL` / `DELETE_GLOBAL` | names index | | globals; loading falls back to builtins |
//! | `LOAD_ATTR` | names index | `o -> o.name` | |
//! | `STORE_ATTR` | names index | `v o ->` | `o.name = v` |
//! | `DELETE_ATTR` | names index | `o ->` | |
//! | `LOAD_METHOD` | names index | `o -> f x` | a method found on the type: `f` the plain function, `x` = `o`; otherwise `f` = the attribute, `x` = null |
//! | `CALL_METHOD` | argc | `f x a1..an -> r` | `f(x, a1..an)` if `x` is not null, else `f(a1..an)` |
//! | `BINARY_SUBSCR` | – | `o k -> o[k]` | |
//! | `STORE_SUBSCR` | – | `v o k ->` | `o[k] = v` |
//! | `DELETE_SUBSCR` | – | `o k ->` | |
//! | `BUILD_SLICE` | 2 or 3 | `a b [c] -> slice` | |
//! | `UNARY_POSITIVE` / `UNARY_NEGATIVE` / `UNARY_NOT` / `UNARY_INVERT` | – | `a -> r` | `+a`, `-a`, `not a`, `~a` |
//! | `BINARY_OP` | `BinaryOp` number | `a b -> r` | 0–11 `+ - * / // % ** << >> \| ^ &`; 12–23 the same in place (`+=` ...) |
//! | `COMPARE_OP` | `CompareOp` number | `a b -> r` | 0–5 `< <= == != > >=` |
//! | `IS_OP` | 0 / 1 | `a b -> bool` | `is` / `is not` |
//! | `CONTAINS_OP` | 0 / 1 | `a b -> bool` | `a in b` / `a not in b` |
//! | `JUMP` | target | – | |
//! | `POP_JUMP_IF_FALSE` / `POP_JUMP_IF_TRUE` | target | `a ->` | by truth value |
//! | `JUMP_IF_FALSE_OR_POP` / `JUMP_IF_TRUE_OR_POP` | target | `a -> a` (jump) / `a ->` | `and` / `or` |
//! | `GET_ITER` | – | `o -> it` | `iter(o)` |
//! | `FOR_ITER` | target | `it -> it v` / `it ->` (jump) | next item; at exhaustion (StopIteration) pop `it` and jump |
//! | `BUILD_TUPLE` / `BUILD_LIST` / `BUILD_SET` | n | `a1..an -> c` | |
//! | `BUILD_MAP` | n | `k1 v1 .. kn vn -> d` | |
//! | `LIST_APPEND` / `SET_ADD` | i | `.. c .. v -> .. c ..` | append to the container `i` deep (after popping `v`) |
//! | `MAP_ADD` | i | `.. d .. k v -> .. d ..` | `d[k] = v`, `d` `i` deep after popping |
//! | `LIST_EXTEND` / `SET_UPDATE` / `DICT_UPDATE` | i | `.. c .. x -> .. c ..` | extend with an iterable / update with a mapping |
//! | `DICT_MERGE` | i | `.. d .. m -> .. d ..` | as `DICT_UPDATE` but a repeated key raises `TypeError` (call keywords) |
//! | `LIST_TO_TUPLE` | – | `l -> t` | |
//! | `UNPACK_SEQUENCE` | n | `s -> vn .. v1` | `v1` on top; wrong length raises `ValueError` |
//! | `UNPACK_EX` | `before \| after << 8` | `s -> ...` | with one starred target: `before` values, a list, `after` values (first on top) |
//! | `FORMAT_VALUE` | `conv \| 4 if spec` | `v [spec] -> s` | conv: 0 none, 1 `!s`, 2 `!r`, 3 `!a`; then `format(v, spec)` |
//! | `BUILD_STRING` | n | `s1..sn -> s` | concatenation |
//! | `CALL_FUNCTION` | argc | `f a1..an -> r` | positional call |
//! | `CALL_FUNCTION_KW` | argc | `f a1..an names -> r` | `names`: a tuple constant naming the last `len(names)` arguments |
//! | `CALL_FUNCTION_EX` | 0 / 1 | `f args [kwargs] -> r` | `args` a tuple, `kwargs` a dict (if arg is 1) |
//! | `MAKE_FUNCTION` | flags | `[defaults] [kwdefaults] [closure] code -> fn` | flags: 1 a defaults tuple, 2 a kw-defaults dict, 8 a closure tuple of cells; the name and qualname are the code's |
//! | `BUILD_CLASS` | n bases | `body name b1..bn -> cls` | runs `body` (a function) on a fresh namespace, makes the class; if `body` returns a cell (its `__class__`), the cell is set to the class |
//! | `RETURN_VALUE` | – | `v ->` | return (in a generator: finish with `StopIteration(v)`) |
//! | `YIELD_VALUE` | – | `v -> sent` | suspend the generator, yielding `v`; resumed with the sent value (None for `next`) |
//! | `GET_YIELD_FROM_ITER` | – | `o -> it` | `iter(o)` (a generator stays itself) |
//! | `YIELD_FROM` | – | `it sent -> r` | send `sent` into `it`; if it yields `v`, yield `v` and re-execute this instruction when resumed (the resume value replaces `sent`); when it is exhausted, `r` is its return value |
//! | `RAISE_VARARGS` | 0, 1, 2 | `[exc [cause]] ->` | 0: re-raise the exception being handled (`RuntimeError` "No active exception to reraise" if none); a class is instantiated |
//! | `RERAISE` | – | `exc ->` | raise `exc` again, keeping its traceback |
//! | `PUSH_EXC_INFO` | – | `exc -> prev exc` | `exc` becomes the exception being handled; `prev` is the one handled before (or None) |
//! | `POP_EXCEPT` | – | `prev ->` | restore the exception being handled |
//! | `CHECK_EXC_MATCH` | – | `exc cls -> exc bool` | `isinstance(exc, cls)` (`cls` a class or tuple of classes) |
//! | `BEFORE_WITH` | – | `ctx -> exit res` | `exit` = bound `ctx.__exit__`, `res` = `ctx.__enter__()` |
//! | `WITH_EXCEPT_START` | – | `exit prev exc -> exit prev exc r` | `r = exit(type(exc), exc, traceback)` |
//! | `IMPORT_NAME` | names index | `-> module` | a built-in module |
//! | `IMPORT_FROM` | names index | `m -> m v` | `v = m.name` (`ImportError` if missing) |
//! | `LOAD_ASSERTION_ERROR` | – | `-> AssertionError` | the class, whatever the globals say |
//! | `PRINT_EXPR` | – | `v ->` | the REPL's echo: print `repr(v)` unless None |
//!
//! The exception table's `depth` counts the values kept below the pushed exception; the
//! handler code of `try`/`except`, `try`/`finally` and `with` follows CPython 3.11's shapes
//! (`PUSH_EXC_INFO`, the clauses, `POP_EXCEPT`; a cleanup handler `ROT_TWO, POP_EXCEPT,
//! RERAISE` restores the previously handled exception when a handler body raises).

use std::fmt;

macro_rules! opcodes {
    ($($name:ident = $num:literal, $arg:ident;)*) => {
        /// An opcode (see the module header for each one's meaning).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Op {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name = $num,
            )*
        }

        impl Op {
            /// Every opcode, in numeric order.
            pub const ALL: &'static [Op] = &[$(Op::$name),*];

            /// The opcode's name as the disassembler prints it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Op::$name => stringify!($name),)*
                }
            }

            /// What the argument means.
            pub fn arg_kind(self) -> ArgKind {
                match self {
                    $(Op::$name => ArgKind::$arg,)*
                }
            }

            /// The opcode of a byte, if any.
            pub fn from_u8(b: u8) -> Option<Op> {
                match b {
                    $($num => Some(Op::$name),)*
                    _ => None,
                }
            }
        }
    };
}

/// What an instruction's argument is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// Unused (0).
    None,
    /// An index into `consts`.
    Const,
    /// An index into `varnames`.
    Local,
    /// A cell slot (`cellvars` then `freevars`).
    Cell,
    /// An index into `names`.
    Name,
    /// An instruction index.
    Jump,
    /// A count or depth.
    Count,
    /// A `BinaryOp` number.
    BinaryOp,
    /// A `CompareOp` number.
    CompareOp,
    /// Flags described per opcode.
    Flags,
}

opcodes! {
    NOP = 0, None;
    POP_TOP = 1, None;
    ROT_TWO = 2, None;
    ROT_THREE = 3, None;
    DUP_TOP = 4, None;
    DUP_TOP_TWO = 5, None;
    LOAD_CONST = 10, Const;
    LOAD_FAST = 11, Local;
    STORE_FAST = 12, Local;
    DELETE_FAST = 13, Local;
    LOAD_DEREF = 14, Cell;
    STORE_DEREF = 15, Cell;
    DELETE_DEREF = 16, Cell;
    LOAD_CLOSURE = 17, Cell;
    LOAD_CLASSDEREF = 18, Cell;
    LOAD_NAME = 19, Name;
    STORE_NAME = 20, Name;
    DELETE_NAME = 21, Name;
    LOAD_GLOBAL = 22, Name;
    STORE_GLOBAL = 23, Name;
    DELETE_GLOBAL = 24, Name;
    LOAD_ATTR = 25, Name;
    STORE_ATTR = 26, Name;
    DELETE_ATTR = 27, Name;
    LOAD_METHOD = 28, Name;
    CALL_METHOD = 29, Count;
    BINARY_SUBSCR = 30, None;
    STORE_SUBSCR = 31, None;
    DELETE_SUBSCR = 32, None;
    BUILD_SLICE = 33, Count;
    UNARY_POSITIVE = 40, None;
    UNARY_NEGATIVE = 41, None;
    UNARY_NOT = 42, None;
    UNARY_INVERT = 43, None;
    BINARY_OP = 44, BinaryOp;
    COMPARE_OP = 45, CompareOp;
    IS_OP = 46, Flags;
    CONTAINS_OP = 47, Flags;
    JUMP = 50, Jump;
    POP_JUMP_IF_FALSE = 51, Jump;
    POP_JUMP_IF_TRUE = 52, Jump;
    JUMP_IF_FALSE_OR_POP = 53, Jump;
    JUMP_IF_TRUE_OR_POP = 54, Jump;
    GET_ITER = 55, None;
    FOR_ITER = 56, Jump;
    BUILD_TUPLE = 60, Count;
    BUILD_LIST = 61, Count;
    BUILD_SET = 62, Count;
    BUILD_MAP = 63, Count;
    LIST_APPEND = 64, Count;
    SET_ADD = 65, Count;
    MAP_ADD = 66, Count;
    LIST_EXTEND = 67, Count;
    SET_UPDATE = 68, Count;
    DICT_UPDATE = 69, Count;
    DICT_MERGE = 70, Count;
    LIST_TO_TUPLE = 71, None;
    UNPACK_SEQUENCE = 72, Count;
    UNPACK_EX = 73, Flags;
    FORMAT_VALUE = 74, Flags;
    BUILD_STRING = 75, Count;
    CALL_FUNCTION = 80, Count;
    CALL_FUNCTION_KW = 81, Count;
    CALL_FUNCTION_EX = 82, Flags;
    MAKE_FUNCTION = 83, Flags;
    BUILD_CLASS = 84, Count;
    RETURN_VALUE = 85, None;
    YIELD_VALUE = 86, None;
    GET_YIELD_FROM_ITER = 87, None;
    YIELD_FROM = 88, None;
    RAISE_VARARGS = 90, Count;
    RERAISE = 91, None;
    PUSH_EXC_INFO = 92, None;
    POP_EXCEPT = 93, None;
    CHECK_EXC_MATCH = 94, None;
    BEFORE_WITH = 95, None;
    WITH_EXCEPT_START = 96, None;
    IMPORT_NAME = 100, Name;
    IMPORT_FROM = 101, Name;
    LOAD_ASSERTION_ERROR = 102, None;
    PRINT_EXPR = 103, None;
}

/// `BINARY_OP`'s operators; `op as u32 + INPLACE` is the in-place form.
pub const BINARY_OPS: [&str; 12] = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "|", "^", "&"];
/// Offset of the in-place forms of `BINARY_OP`.
pub const INPLACE: u32 = 12;
/// `COMPARE_OP`'s operators.
pub const COMPARE_OPS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

/// `MAKE_FUNCTION` flag: a tuple of positional defaults is on the stack.
pub const MF_DEFAULTS: u32 = 1;
/// `MAKE_FUNCTION` flag: a dict of keyword-only defaults is on the stack.
pub const MF_KWDEFAULTS: u32 = 2;
/// `MAKE_FUNCTION` flag: a tuple of closure cells is on the stack.
pub const MF_CLOSURE: u32 = 8;

/// Code flag: uses fast locals (functions).
pub const CO_OPTIMIZED: u32 = 0x01;
/// Code flag: a fresh namespace (functions).
pub const CO_NEWLOCALS: u32 = 0x02;
/// Code flag: has `*args`.
pub const CO_VARARGS: u32 = 0x04;
/// Code flag: has `**kwargs`.
pub const CO_VARKEYWORDS: u32 = 0x08;
/// Code flag: nested in a function.
pub const CO_NESTED: u32 = 0x10;
/// Code flag: a generator function.
pub const CO_GENERATOR: u32 = 0x20;

/// A constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// `...`.
    Ellipsis,
    /// An int that fits 64 bits.
    Int(i64),
    /// A bigger int, as decimal digits (with a leading '-' if negative).
    BigInt(String),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A tuple of constants.
    Tuple(Vec<Const>),
    /// A nested code object.
    Code(Box<CodeObject>),
    /// A bytes object.
    Bytes(Vec<u8>),
}

impl Const {
    /// Two constants are merged in the table only when this key is equal (so `1`, `1.0`
    /// and `True` stay apart, as do `0.0` and `-0.0`); code objects are never merged.
    pub fn merge_key(&self) -> Option<String> {
        Some(match self {
            Const::None => "N".into(),
            Const::Bool(b) => format!("B{b}"),
            Const::Ellipsis => "E".into(),
            Const::Int(i) => format!("I{i}"),
            Const::BigInt(s) => format!("I{s}"),
            Const::Float(f) => format!("F{:x}", f.to_bits()),
            Const::Str(s) => format!("S{s}"),
            Const::Tuple(items) => {
                let keys: Option<Vec<String>> = items.iter().map(|c| c.merge_key()).collect();
                format!("T({})", keys?.join(","))
            }
            Const::Code(_) => return None,
            Const::Bytes(b) => format!("Y{}", bytes_repr(b)),
        })
    }
}

impl fmt::Display for Const {
    /// The constant as Python's `repr` would show it (code objects by name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::None => f.write_str("None"),
            Const::Bool(true) => f.write_str("True"),
            Const::Bool(false) => f.write_str("False"),
            Const::Ellipsis => f.write_str("Ellipsis"),
            Const::Int(i) => write!(f, "{i}"),
            Const::BigInt(s) => f.write_str(s),
            Const::Float(x) => f.write_str(&float_repr(*x)),
            Const::Str(s) => f.write_str(&str_repr(s)),
            Const::Tuple(items) => {
                f.write_str("(")?;
                for (i, c) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{c}")?;
                }
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Const::Code(c) => write!(f, "<code object {} line {}>", c.name, c.first_line),
            Const::Bytes(b) => f.write_str(&bytes_repr(b)),
        }
    }
}

/// Python's `repr` of a float (shortest round-trip form, `1e+16`, `inf`, `nan`): the
/// interpreter's own (`float_to_str` extern), so constants print as values computed at run
/// time do.
pub fn float_repr(x: f64) -> String {
    rpy_ir::externs::float_repr(x)
}

/// Python's `repr` of a bytes object (`b'a\\x00\\''`: the quote is `"` only when the
/// bytes hold `'` and no `"`).
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::from("b");
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            c if !(0x20..0x7f).contains(&c) => out.push_str(&format!("\\x{c:02x}")),
            c => out.push(c as char),
        }
    }
    out.push(quote as char);
    out
}

/// Python's `repr` of a string.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// An exception-table entry: instructions `start..end` are handled at `target` with the
/// value stack cut to `depth`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    /// First protected instruction.
    pub start: u32,
    /// One past the last protected instruction.
    pub end: u32,
    /// The handler's first instruction.
    pub target: u32,
    /// Stack entries kept below the pushed exception.
    pub depth: u32,
}

/// A compiled module, class body, function, lambda or comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeObject {
    /// `<module>`, the function/class name, `<lambda>`, `<listcomp>`, ...
    pub name: String,
    /// The dotted path CPython prints in messages (`C.method`, `f.<locals>.g`).
    pub qualname: String,
    /// The source file name.
    pub filename: String,
    /// The line of the `def`/`class` (1 for a module).
    pub first_line: u32,
    /// Positional parameters.
    pub argcount: u32,
    /// Keyword-only parameters.
    pub kwonlyargcount: u32,
    /// `CO_*` flags.
    pub flags: u32,
    /// Fast locals: parameters first.
    pub varnames: Vec<String>,
    /// Cells this code creates (sorted names).
    pub cellvars: Vec<String>,
    /// Cells this code receives in its closure (sorted names).
    pub freevars: Vec<String>,
    /// Global, attribute and import names.
    pub names: Vec<String>,
    /// The constant table.
    pub consts: Vec<Const>,
    /// One opcode per instruction.
    pub ops: Vec<u8>,
    /// One argument per instruction.
    pub args: Vec<u32>,
    /// One source line per instruction.
    pub lines: Vec<u32>,
    /// One source location per instruction (for the position markers of tracebacks).
    pub locs: Vec<crate::location::Loc>,
    /// Handlers, innermost first for nested ranges.
    pub exception_table: Vec<ExceptionEntry>,
    /// The most values the stack holds.
    pub stacksize: u32,
}

impl CodeObject {
    /// The instruction at `pc`.
    pub fn instr(&self, pc: usize) -> (Op, u32) {
        (Op::from_u8(self.ops[pc]).expect("the assembler writes only opcodes"), self.args[pc])
    }

    /// Every code object nested in this one (depth first, in constant order).
    pub fn nested(&self) -> Vec<&CodeObject> {
        let mut out = Vec::new();
        for c in &self.consts {
            if let Const::Code(code) = c {
                out.push(&**code);
                out.extend(code.nested());
            }
        }
        out
    }
}

/// The stack effect of an instruction; `jump` selects the effect when it takes its jump.
pub fn stack_effect(op: Op, arg: u32, jump: bool) -> i32 {
    let n = arg as i32;
    use Op::*;
    match op {
        NOP | ROT_TWO | ROT_THREE | LOAD_ATTR | UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT
        | UNARY_INVERT | GET_ITER | LIST_TO_TUPLE | GET_YIELD_FROM_ITER | YIELD_VALUE
        | CHECK_EXC_MATCH | JUMP | DELETE_FAST | DELETE_DEREF | DELETE_NAME | DELETE_GLOBAL => 0,
        POP_TOP | STORE_FAST | STORE_DEREF | STORE_NAME | STORE_GLOBAL | DELETE_ATTR
        | BINARY_SUBSCR | BINARY_OP | COMPARE_OP | IS_OP | CONTAINS_OP | POP_JUMP_IF_FALSE
        | POP_JUMP_IF_TRUE | LIST_APPEND | SET_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE
        | DICT_MERGE | RETURN_VALUE | YIELD_FROM | RERAISE | POP_EXCEPT | PRINT_EXPR => -1,
        DUP_TOP | LOAD_CONST | LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF
        | LOAD_NAME | LOAD_GLOBAL | LOAD_METHOD | PUSH_EXC_INFO | BEFORE_WITH
        | WITH_EXCEPT_START | IMPORT_NAME | IMPORT_FROM | LOAD_ASSERTION_ERROR => 1,
        DUP_TOP_TWO => 2,
        STORE_ATTR | DELETE_SUBSCR | MAP_ADD => -2,
        STORE_SUBSCR => -3,
        CALL_METHOD => -n - 1,
        BUILD_SLICE => -n + 1,
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => {
            if jump {
                0
            } else {
                -1
            }
        }
        FOR_ITER => {
            if jump {
                -1
            } else {
                1
            }
        }
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => 1 - n,
        BUILD_MAP => 1 - 2 * n,
        UNPACK_SEQUENCE => n - 1,
        UNPACK_EX => (n & 0xff) + (n >> 8),
        FORMAT_VALUE => {
            if arg & 4 != 0 {
                -1
            } else {
                0
            }
        }
        CALL_FUNCTION => -n,
        CALL_FUNCTION_KW => -n - 1,
        CALL_FUNCTION_EX => -1 - (n & 1),
        MAKE_FUNCTION => {
            -((arg & MF_DEFAULTS != 0) as i32
                + (arg & MF_KWDEFAULTS != 0) as i32
                + (arg & MF_CLOSURE != 0) as i32)
        }
        BUILD_CLASS => -n - 1,
        RAISE_VARARGS => -n,
    }
}
