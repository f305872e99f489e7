//! Running TLC programs on the TLC interpreter written in RPy (`tlc.rpy`).
//!
//! The interpreter source is compiled once per process ([`Interpreter::get`]). A run builds
//! the program's inputs as RPy heap objects, calls the RPy entry point `run(code, pool_data,
//! inputarg)` and turns its result into the printed text (TLC.md "In this project") or a
//! [`TlcError`].
//!
//! Conventions shared with `tlc.rpy` (its header states them from the RPy side):
//! - Names (attributes, methods, pool strings) are interned to ids `0..n` here; RPy compares
//!   ids, and the printer maps them back through [`NameTable`].
//! - The pool is passed flat (`load_pool` in `tlc.rpy`): `[nstrings, ids.., ndescrs, per
//!   descriptor: nattrs, ids.., nmethods, (id, pc)..]`. RPy builds the classes, one per
//!   structurally-equal descriptor.
//! - A `None` result means a TLC error; `error_kind`, `error_message`, `error_name` and
//!   `error_opcode` describe it.
//! - The printer reads the result through small RPy accessors (`obj_kind`, `cons_car`, ...)
//!   rather than through the heap layout, so it works the same in every execution mode.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use rpy_ir::ir::{GraphIdx, Program as RpyProgram};
use rpy_ir::llinterp::{str_bytes, Interp, RtValue};
use rpy_ir::types::{HeapTypeIdx, Ty};

use crate::program::Program;

/// The RPy source of the TLC interpreter.
pub const TLC_RPY: &str = include_str!("tlc.rpy");

/// How a TLC program is executed (TLC.md "Execution modes").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The IR interpreter runs the TLC interpreter's flow graphs.
    Llinterp,
    /// The TLC interpreter translated to native code, without JIT (needs backend-llvm).
    Translated,
    /// The translated interpreter plus the generated JIT.
    Jit,
}

impl Mode {
    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Llinterp => "llinterp",
            Mode::Translated => "translated",
            Mode::Jit => "jit",
        }
    }

    /// Whether this build can run programs in this mode (only the IR interpreter so far).
    pub fn is_available(self) -> bool {
        self == Mode::Llinterp
    }

    /// Why an unavailable mode cannot run.
    pub fn unavailable_message(self) -> String {
        format!("mode '{}' is not available yet (needs backend-llvm)", self.name())
    }

    /// The mode called `name` on the command line, if any.
    pub fn from_name(name: &str) -> Option<Mode> {
        [Mode::Llinterp, Mode::Translated, Mode::Jit].into_iter().find(|m| m.name() == name)
    }
}

/// The kinds of TLC errors (TLC.md "In this project").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An operation on the wrong kind of object.
    TypeError,
    /// Stack underflow, a bad stack, argument or pool index, a list index out of range.
    IndexError,
    /// An unknown attribute or method name.
    KeyError,
    /// Integer division by zero.
    ZeroDivisionError,
    /// An unknown opcode.
    RuntimeError,
    /// Not a TLC error: the RPy interpreter itself failed (a bug in `tlc.rpy`, or the IR
    /// interpreter ran out of memory), or the mode is not available.
    Internal,
}

impl ErrorKind {
    /// The kind as printed (`error: KIND: message`) and as named in `cases.txt`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TypeError => "TypeError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::ZeroDivisionError => "ZeroDivisionError",
            ErrorKind::RuntimeError => "RuntimeError",
            ErrorKind::Internal => "InternalError",
        }
    }

    fn from_name(name: &str) -> Option<ErrorKind> {
        use ErrorKind::*;
        [TypeError, IndexError, KeyError, ZeroDivisionError, RuntimeError]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

/// A failed TLC run: the error kind and a one-line message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.name())]
pub struct TlcError {
    /// What kind of error.
    pub kind: ErrorKind,
    /// What went wrong.
    pub message: String,
}

impl TlcError {
    fn internal(message: impl Into<String>) -> TlcError {
        TlcError { kind: ErrorKind::Internal, message: message.into() }
    }
}

/// Attribute, method and pool-string names interned to the ids the RPy interpreter compares.
#[derive(Debug, Default)]
pub struct NameTable {
    names: Vec<String>,
    ids: HashMap<String, i64>,
}

impl NameTable {
    /// The id of `name`, interning it on first use.
    pub fn intern(&mut self, name: &str) -> i64 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as i64;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The name with id `id`.
    pub fn name(&self, id: i64) -> &str {
        usize::try_from(id).ok().and_then(|i| self.names.get(i)).map_or("?", |s| s.as_str())
    }
}

/// The flat pool encoding read by `load_pool` in `tlc.rpy`, interning names into `names`.
pub fn encode_pool(program: &Program, names: &mut NameTable) -> Vec<i64> {
    let pool = &program.pool;
    let mut data = vec![pool.strings.len() as i64];
    data.extend(pool.strings.iter().map(|s| names.intern(s)));
    data.push(pool.classdescrs.len() as i64);
    for d in &pool.classdescrs {
        data.push(d.attributes.len() as i64);
        data.extend(d.attributes.iter().map(|a| names.intern(a)));
        data.push(d.methods.len() as i64);
        for (m, pc) in &d.methods {
            data.push(names.intern(m));
            data.push(*pc);
        }
    }
    data
}

/// The entry points and accessors of `tlc.rpy` the runner calls.
#[derive(Debug)]
struct Entries {
    run: GraphIdx,
    error_kind: GraphIdx,
    error_message: GraphIdx,
    error_name: GraphIdx,
    error_opcode: GraphIdx,
    obj_kind: GraphIdx,
    int_value: GraphIdx,
    cons_car: GraphIdx,
    cons_cdr: GraphIdx,
    instance_size: GraphIdx,
    instance_attr_name: GraphIdx,
    instance_value: GraphIdx,
    /// The type of `run`'s `pool_data` parameter (`array[int]`).
    pool_data_ty: HeapTypeIdx,
}

// `obj_kind` results (the KIND_* constants of tlc.rpy).
const KIND_INT: i64 = 0;
const KIND_NIL: i64 = 1;
const KIND_CONS: i64 = 2;
const KIND_INSTANCE: i64 = 3;

/// The TLC interpreter, compiled from `tlc.rpy` to flow graphs.
#[derive(Debug)]
pub struct Interpreter {
    program: RpyProgram,
    entries: Entries,
}

impl Interpreter {
    /// Compiles `tlc.rpy`; the error is the rendered diagnostics.
    pub fn compile() -> Result<Interpreter, String> {
        let program = rpy_ir::front::compile("tlc.rpy", TLC_RPY).map_err(|d| d.to_string())?;
        let graph = |name: &str| {
            program.graph_by_name(name).ok_or_else(|| format!("tlc.rpy has no function '{name}'"))
        };
        let run = graph("run")?;
        let Ty::Ref(pool_data_ty) = program.graphs[run].params[1] else {
            return Err("run's second parameter is not an array".into());
        };
        let entries = Entries {
            run,
            error_kind: graph("error_kind")?,
            error_message: graph("error_message")?,
            error_name: graph("error_name")?,
            error_opcode: graph("error_opcode")?,
            obj_kind: graph("obj_kind")?,
            int_value: graph("int_value")?,
            cons_car: graph("cons_car")?,
            cons_cdr: graph("cons_cdr")?,
            instance_size: graph("instance_size")?,
            instance_attr_name: graph("instance_attr_name")?,
            instance_value: graph("instance_value")?,
            pool_data_ty,
        };
        Ok(Interpreter { program, entries })
    }

    /// The interpreter compiled once per process. Panics if `tlc.rpy` does not compile (it is
    /// part of this crate, so that is a bug caught by every test).
    pub fn get() -> &'static Interpreter {
        static INTERP: OnceLock<Interpreter> = OnceLock::new();
        INTERP.get_or_init(|| {
            Interpreter::compile().unwrap_or_else(|e| panic!("tlc.rpy does not compile:\n{e}"))
        })
    }

    /// The compiled RPy program (flow graphs of the TLC interpreter).
    pub fn rpy_program(&self) -> &RpyProgram {
        &self.program
    }

    /// Runs `program` with `input` as its argument in `mode`; the result is the printed value.
    pub fn run(&self, program: &Program, input: i64, mode: Mode) -> Result<String, TlcError> {
        match mode {
            Mode::Llinterp => self.run_llinterp(program, input),
            Mode::Translated | Mode::Jit => Err(TlcError::internal(mode.unavailable_message())),
        }
    }

    /// Runs `program` in the IR interpreter.
    pub fn run_llinterp(&self, program: &Program, input: i64) -> Result<String, TlcError> {
        let mut names = NameTable::default();
        let data: Vec<RtValue> =
            encode_pool(program, &mut names).into_iter().map(RtValue::Int).collect();
        let mut llinterp = Interp::new(&self.program);
        let session =
            Session { llinterp: &mut llinterp, e: &self.entries, names: &names, printing: vec![] };
        session.run(&program.code, &data, input)
    }
}

/// One run in the IR interpreter: calls into the RPy graphs.
struct Session<'a, 'p> {
    llinterp: &'a mut Interp<'p>,
    e: &'a Entries,
    names: &'a NameTable,
    /// Instances being printed (outermost first): an instance reachable from itself prints
    /// as `<object ...>` the second time instead of recursing forever.
    printing: Vec<RtValue>,
}

impl Session<'_, '_> {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, TlcError> {
        self.llinterp.call(g, args).map_err(|e| {
            let sources = &self.llinterp.program().sources;
            TlcError::internal(format!("the RPy interpreter failed: {}", e.render(sources)))
        })
    }

    fn int(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<i64, TlcError> {
        match self.call(g, args)? {
            RtValue::Int(i) => Ok(i),
            other => Err(TlcError::internal(format!("expected an int, got {other:?}"))),
        }
    }

    fn str(&mut self, g: GraphIdx) -> Result<String, TlcError> {
        let v = self.call(g, &[])?;
        let bytes = str_bytes(v).unwrap_or_default();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn run(mut self, code: &[u8], pool_data: &[RtValue], input: i64) -> Result<String, TlcError> {
        let code = self.llinterp.alloc_str(code);
        let pool_data = self.llinterp.alloc_array(self.e.pool_data_ty, pool_data);
        let result = self.call(self.e.run, &[code, pool_data, RtValue::Int(input)])?;
        match result {
            RtValue::Ref(p) if !p.is_null() => self.format(result),
            _ => Err(self.error()?),
        }
    }

    /// The error recorded in the RPy interpreter's `ERROR` state.
    fn error(&mut self) -> Result<TlcError, TlcError> {
        let kind = self.str(self.e.error_kind)?;
        let mut message = self.str(self.e.error_message)?;
        let name = self.int(self.e.error_name, &[])?;
        if name >= 0 {
            message = format!("{message} '{}'", self.names.name(name));
        }
        let opcode = self.int(self.e.error_opcode, &[])?;
        if opcode >= 0 {
            message = format!("{message} {opcode}");
        }
        let Some(kind) = ErrorKind::from_name(&kind) else {
            return Ok(TlcError::internal(format!("unknown error kind '{kind}': {message}")));
        };
        Ok(TlcError { kind, message })
    }

    /// The printed form of a TLC object (TLC.md "In this project").
    fn format(&mut self, obj: RtValue) -> Result<String, TlcError> {
        let mut out = String::new();
        self.write_obj(&mut out, obj)?;
        Ok(out)
    }

    fn write_obj(&mut self, out: &mut String, obj: RtValue) -> Result<(), TlcError> {
        use fmt::Write;
        match self.int(self.e.obj_kind, &[obj])? {
            KIND_INT => {
                let v = self.int(self.e.int_value, &[obj])?;
                let _ = write!(out, "{v}");
            }
            KIND_NIL => out.push_str("nil"),
            KIND_CONS => {
                // Iterative along the cdrs: long lists need no deep recursion.
                out.push('(');
                let mut cell = obj;
                loop {
                    let car = self.call(self.e.cons_car, &[cell])?;
                    self.write_obj(out, car)?;
                    let cdr = self.call(self.e.cons_cdr, &[cell])?;
                    match self.int(self.e.obj_kind, &[cdr])? {
                        KIND_NIL => break,
                        KIND_CONS => {
                            out.push(' ');
                            cell = cdr;
                        }
                        _ => {
                            out.push_str(" . ");
                            self.write_obj(out, cdr)?;
                            break;
                        }
                    }
                }
                out.push(')');
            }
            KIND_INSTANCE if self.printing.contains(&obj) => out.push_str("<object ...>"),
            KIND_INSTANCE => {
                self.printing.push(obj);
                out.push_str("<object");
                let n = self.int(self.e.instance_size, &[obj])?;
                for i in 0..n {
                    let name = self.int(self.e.instance_attr_name, &[obj, RtValue::Int(i)])?;
                    let value = self.call(self.e.instance_value, &[obj, RtValue::Int(i)])?;
                    let _ = write!(out, " {}=", self.names.name(name));
                    self.write_obj(out, value)?;
                }
                out.push('>');
                self.printing.pop();
            }
            k => return Err(TlcError::internal(format!("obj_kind returned {k}"))),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcodes::Opcode;

    #[test]
    fn tlc_rpy_compiles() {
        Interpreter::compile().unwrap_or_else(|e| panic!("{e}"));
    }

    /// The opcode constants of `tlc.rpy` are the opcode table's byte values (the table in
    /// `opcodes.rs` is the one definition; RPy has no way to import it).
    #[test]
    fn rpy_opcode_constants_match_the_table() {
        let consts: HashMap<&str, u8> = TLC_RPY
            .lines()
            .filter_map(|l| {
                let (name, value) = l.strip_prefix("const ")?.split_once(" = ")?;
                Some((name.trim(), value.split('#').next()?.trim().parse().ok()?))
            })
            .collect();
        for op in Opcode::ALL {
            assert_eq!(consts.get(op.name()), Some(&op.byte()), "const {} in tlc.rpy", op.name());
        }
    }

    #[test]
    fn modes_by_name() {
        for m in [Mode::Llinterp, Mode::Translated, Mode::Jit] {
            assert_eq!(Mode::from_name(m.name()), Some(m));
        }
        assert_eq!(Mode::from_name("native"), None);
        assert!(Mode::Llinterp.is_available() && !Mode::Jit.is_available());
    }

    #[test]
    fn error_kinds_by_name() {
        for k in ["TypeError", "IndexError", "KeyError", "ZeroDivisionError", "RuntimeError"] {
            assert_eq!(ErrorKind::from_name(k).map(ErrorKind::name), Some(k));
        }
        assert_eq!(ErrorKind::from_name("InternalError"), None);
        let e = TlcError { kind: ErrorKind::KeyError, message: "no such attribute 'x'".into() };
        assert_eq!(e.to_string(), "KeyError: no such attribute 'x'");
    }
}
