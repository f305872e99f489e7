//! The IR interpreter: executes flow graphs directly, on the same heap layout as compiled
//! code. It is the semantic reference: every other execution mode must agree with it.
//!
//! Invariants and vocabulary:
//! - Semantics are those of the op table's documentation ([`crate::ops`]): wrapping int
//!   arithmetic, Python floor division and modulo, checked shifts, saturating float-to-int,
//!   bounds-checked array accesses, null checks. A failing check stops the run with a
//!   [`RuntimeError`] carrying the failing op's span; it never corrupts memory. The program
//!   is trusted to be well-typed (it passed the verifier); structurally malformed graphs (wrong
//!   operand counts, unknown externs) make [`Interp::new`] panic.
//! - Heap objects come from the Boehm collector ([`crate::gc`]) with the layout of
//!   [`crate::layout`]. Prebuilt objects are allocated once per [`Interp`] and kept alive by it.
//! - Every GC pointer the interpreter holds lives where the collector scans it: frames'
//!   registers live in one value stack allocated uncollectable ([`crate::gc::RootBuf`]),
//!   prebuilt and pinned objects in root buffers, temporaries on the (registered) thread's
//!   stack. Rust `Vec`s hold no GC pointer except copies of prebuilt addresses (constant
//!   pools), whose objects the prebuilt roots keep alive.
//! - RPy calls never recurse on the Rust stack: frames live on an explicit frame stack, and a
//!   call deeper than [`Interp::set_max_depth`] (default [`DEFAULT_MAX_DEPTH`]) or needing more
//!   registers than [`MAX_STACK_WORDS`] fails with [`RuntimeErrorKind::StackOverflow`].
//! - Graphs are precompiled once, when the [`Interp`] is created, into flat instruction
//!   arrays (see `compile.rs`); the execution loop does no allocation per op or per call and no
//!   map lookups.
//! - [`Interp::ops_executed`] counts IR ops (not block exits, not the moves binding block
//!   parameters), added per block when it exits: exact for runs that complete; the ops of a
//!   block that fails part-way are not counted.
//! - A `jit_hook` op (residual code calling back into the JIT at a flexswitch miss) calls the
//!   [`JitHook`] installed with [`Interp::set_jit_hook`], with its operands as [`RtValue`]s
//!   typed by their IR types; the hook's answer becomes the op's result, its error the run's
//!   error. With no hook installed the op fails with [`RuntimeErrorKind::JitHookMissing`].
//!   The hook may create and run other interpreters (each has its own value stack) while this
//!   one waits, its frames untouched and still scanned by the collector.

mod compile;
mod exec;
#[cfg(test)]
mod tests;

use crate::externs;
use crate::gc::{self, RootBuf};
use crate::ir::{Aux, Const, GraphIdx, OpData, Prebuilt, PrebuiltIdx, Program};
use crate::layout::{Layout, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};
use crate::ops::Opcode;
use crate::span::{SourceMap, Span};
use crate::types::{HeapTypeIdx, Ty, TypeTable};
use cranelift_entity::EntityRef;
use std::collections::HashMap;
use std::fmt;

/// A register index in a frame.
type Reg = u32;

/// Default limit on nested RPy calls.
pub const DEFAULT_MAX_DEPTH: usize = 100_000;
/// Limit on the words of all frames' registers together (128 MiB).
pub const MAX_STACK_WORDS: usize = 1 << 24;
/// Largest array the interpreter allocates, in bytes (bigger ones fail with OutOfMemory).
pub const MAX_ARRAY_BYTES: usize = 1 << 34;
/// Words of value stack an [`Interp`] starts with (and shrinks back to after deep calls).
const INITIAL_STACK_WORDS: usize = 4096;

/// A value passed to or returned from the interpreter. A `Ref` keeps its object alive only
/// while it sits where the collector looks (a registered thread's stack, GC memory, a
/// [`RootBuf`]): objects from [`Interp::alloc_str`] and friends are pinned by the interpreter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RtValue {
    /// No value (void results).
    Void,
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `bool`.
    Bool(bool),
    /// A `char`.
    Char(u8),
    /// A GC pointer (null allowed); also a null function pointer read from a zeroed field.
    Ref(*mut u8),
    /// A function pointer.
    Func(GraphIdx),
}

impl RtValue {
    /// Reads command-line argument number `i` (0-based) as a value of type `ty`: ints,
    /// floats, `True`/`False`, one char, or a string (allocated by `alloc_str`). The error
    /// names the argument and the type expected.
    pub fn parse_arg(
        types: &TypeTable,
        ty: Ty,
        text: &str,
        i: usize,
        alloc_str: impl FnOnce(&[u8]) -> RtValue,
    ) -> Result<RtValue, String> {
        let bad =
            || format!("error: argument {} ('{text}') is not a valid {}", i + 1, types.display(ty));
        Ok(match ty {
            Ty::Int => RtValue::Int(text.parse().map_err(|_| bad())?),
            Ty::Float => RtValue::Float(text.parse().map_err(|_| bad())?),
            Ty::Bool => match text {
                "True" | "true" => RtValue::Bool(true),
                "False" | "false" => RtValue::Bool(false),
                _ => return Err(bad()),
            },
            Ty::Char if text.len() == 1 => RtValue::Char(text.as_bytes()[0]),
            Ty::Ref(t) if t == TypeTable::STR => alloc_str(text.as_bytes()),
            _ => return Err(bad()),
        })
    }

    /// The value as the command lines print a function's result: ints and floats as Python
    /// prints them, `True`/`False`, `'c'`, a string's text, `None` for void and null.
    pub fn to_text(self) -> String {
        match self {
            RtValue::Void => "None".into(),
            RtValue::Int(i) => i.to_string(),
            RtValue::Float(f) => crate::externs::float_repr(f),
            RtValue::Bool(b) => if b { "True" } else { "False" }.into(),
            RtValue::Char(c) => format!("'{}'", c.escape_ascii()),
            v @ RtValue::Ref(p) => match str_bytes(v) {
                Some(b) => String::from_utf8_lossy(&b).into_owned(),
                None if p.is_null() => "None".into(),
                None => format!("<object at {p:p}>"),
            },
            RtValue::Func(g) => format!("<function {g}>"),
        }
    }

    /// The int, if this is one.
    pub fn as_int(self) -> Option<i64> {
        match self {
            RtValue::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The float, if this is one.
    pub fn as_float(self) -> Option<f64> {
        match self {
            RtValue::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The bool, if this is one.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            RtValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The pointer, if this is one.
    pub fn as_ref(self) -> Option<*mut u8> {
        match self {
            RtValue::Ref(p) => Some(p),
            _ => None,
        }
    }

    /// The interpreter word of this value (the encoding of `compile.rs`).
    fn to_word(self) -> u64 {
        match self {
            RtValue::Void => 0,
            RtValue::Int(i) => i as u64,
            RtValue::Float(f) => f.to_bits(),
            RtValue::Bool(b) => b as u64,
            RtValue::Char(c) => c as u64,
            RtValue::Ref(p) => p as usize as u64,
            RtValue::Func(g) => compile::func_word(g),
        }
    }

    /// The value of type `ty` encoded by `w`.
    fn from_word(w: u64, ty: Ty) -> RtValue {
        match ty {
            Ty::Void => RtValue::Void,
            Ty::Int => RtValue::Int(w as i64),
            Ty::Float => RtValue::Float(f64::from_bits(w)),
            Ty::Bool => RtValue::Bool(w != 0),
            Ty::Char => RtValue::Char(w as u8),
            Ty::Ref(_) => RtValue::Ref(w as usize as *mut u8),
            Ty::Func(_) if w == 0 => RtValue::Ref(std::ptr::null_mut()),
            Ty::Func(_) => RtValue::Func(GraphIdx::new(w as usize - 1)),
        }
    }

    /// Whether this value can have type `ty`.
    fn fits(self, ty: Ty) -> bool {
        matches!(
            (self, ty),
            (RtValue::Void, Ty::Void)
                | (RtValue::Int(_), Ty::Int)
                | (RtValue::Float(_), Ty::Float)
                | (RtValue::Bool(_), Ty::Bool)
                | (RtValue::Char(_), Ty::Char)
                | (RtValue::Ref(_), Ty::Ref(_))
                | (RtValue::Func(_), Ty::Func(_))
        )
    }
}

/// The function behind a [`JitHook`]: called with the `jit_hook` op's site number
/// (`Aux::Hook`) and its operands, it returns the op's result (of the op's result type; any
/// value, [`RtValue::Void`] say, when the op has none) or the error that stops the run.
pub type JitHookFn<'h> = dyn Fn(u32, &[RtValue]) -> Result<RtValue, RuntimeError> + 'h;

/// The JIT as an [`Interp`] sees it (see [`Interp::set_jit_hook`]). Borrowed, not owned: an
/// interpreter owning a closure (which may hold borrows) would have to be dropped before
/// whatever the closure borrows, a drop-check constraint every `Interp<'p>` would pay for. A
/// hook may install itself, or a closure borrowing the same JIT, in the interpreters it
/// creates: calls nest, so a JIT keeping mutable state in a `RefCell` must not hold a borrow
/// of it across such a run.
pub type JitHook<'h> = &'h JitHookFn<'h>;

/// What went wrong in a failed run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeErrorKind {
    /// A field, item, length, type or function read through a null pointer.
    NullDereference,
    /// An array index below 0 or not below the length.
    IndexOutOfBounds,
    /// Integer `//` or `%` by zero.
    DivisionByZero,
    /// Too many nested calls (or their registers need too much memory).
    StackOverflow,
    /// A checked cast of an object that is not an instance of the target type.
    BadCast,
    /// `malloc_array` with a negative length.
    NegativeLength,
    /// `cast_int_to_char` outside 0..=255.
    InvalidChr,
    /// A shift by a negative count.
    NegativeShift,
    /// An allocation the collector cannot satisfy (or an absurdly large array).
    OutOfMemory,
    /// A `jit_hook` op ran in an interpreter with no JIT hook installed.
    JitHookMissing,
}

/// The message of a runtime error of `kind` raised by `op` (if known) with the failing values
/// `a` and `b` (an index and a length, a tag, a count...; see each kind) and the call-depth
/// limit `max_depth`. Shared by every execution mode, so their errors read the same.
pub fn error_message(
    program: &Program,
    layout: &Layout,
    kind: RuntimeErrorKind,
    op: Option<&OpData>,
    a: i64,
    b: i64,
    max_depth: usize,
) -> String {
    let types = &program.types;
    let type_name = |t| types.display(Ty::Ref(t)).to_string();
    match kind {
        RuntimeErrorKind::NullDereference => {
            let what = match op.map(|op| (op.opcode, &op.aux)) {
                Some((Opcode::GetField, Aux::Field(t, i))) => format!(
                    "reading field `{}` of a null `{}`",
                    types.struct_def(*t).fields[*i as usize].name,
                    type_name(*t)
                ),
                Some((Opcode::SetField, Aux::Field(t, i))) => format!(
                    "writing field `{}` of a null `{}`",
                    types.struct_def(*t).fields[*i as usize].name,
                    type_name(*t)
                ),
                Some((Opcode::GetArrayItem, Aux::Array(t))) => {
                    format!("reading an item of a null `{}`", type_name(*t))
                }
                Some((Opcode::SetArrayItem, Aux::Array(t))) => {
                    format!("writing an item of a null `{}`", type_name(*t))
                }
                Some((Opcode::ArrayLen, _)) => "length of a null array".to_string(),
                Some((Opcode::TypeOf, _)) => "type of a null pointer".to_string(),
                Some((Opcode::CallIndirect, _)) => {
                    "call through a null function pointer".to_string()
                }
                _ => "null pointer".to_string(),
            };
            format!("null dereference: {what}")
        }
        RuntimeErrorKind::IndexOutOfBounds => format!("index {a} out of bounds for length {b}"),
        RuntimeErrorKind::DivisionByZero => match op.map(|op| op.opcode) {
            Some(Opcode::IntMod) => "integer modulo by zero".to_string(),
            _ => "integer division by zero".to_string(),
        },
        RuntimeErrorKind::StackOverflow if b as u64 > MAX_STACK_WORDS as u64 || a == 0 => {
            format!(
                "stack overflow: the frames need more than {} MiB of registers",
                (MAX_STACK_WORDS * 8) >> 20
            )
        }
        RuntimeErrorKind::StackOverflow => {
            format!("stack overflow: more than {max_depth} nested calls")
        }
        RuntimeErrorKind::BadCast => {
            let target = match op.map(|op| &op.aux) {
                Some(Aux::Type(t)) => type_name(*t),
                _ => "?".to_string(),
            };
            let actual = layout
                .heap_type_of_tag(a as u64)
                .map_or_else(|| format!("object with tag {a}"), type_name);
            format!("cannot cast a `{actual}` to `{target}`")
        }
        RuntimeErrorKind::NegativeLength => format!("negative array length {a}"),
        RuntimeErrorKind::InvalidChr => format!("chr() argument {a} is not in range 0..=255"),
        RuntimeErrorKind::NegativeShift => format!("negative shift count {b}"),
        RuntimeErrorKind::JitHookMissing => {
            let id = match op.map(|op| &op.aux) {
                Some(Aux::Hook(id)) => *id as i64,
                _ => a,
            };
            format!("jit_hook #{id} reached with no JIT installed")
        }
        RuntimeErrorKind::OutOfMemory => match op.map(|op| (op.opcode, &op.aux)) {
            Some((Opcode::MallocArray, Aux::Type(t))) => {
                format!("out of memory allocating a `{}` of length {a}", type_name(*t))
            }
            _ => "out of memory".to_string(),
        },
    }
}

/// A runtime error: its kind, the span of the failing op, a one-line message, and the name of
/// the graph that failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuntimeError {
    /// What went wrong.
    pub kind: RuntimeErrorKind,
    /// The failing op's source position.
    pub span: Span,
    /// What went wrong, in one line.
    pub message: String,
    /// The name of the graph whose op failed.
    pub graph: String,
}

impl RuntimeError {
    /// An error of the JIT itself (a hook it could not serve, code it could not make), with
    /// no place in the program: kind [`RuntimeErrorKind::JitHookMissing`].
    pub fn jit(message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            kind: RuntimeErrorKind::JitHookMissing,
            span: crate::span::Span::UNKNOWN,
            message: message.into(),
            graph: String::new(),
        }
    }

    /// The full text: `file:line:col: runtime error: message`, then the source line with a
    /// caret under the column (as [`crate::span::Diagnostic::render`] does).
    pub fn render(&self, sources: &SourceMap) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "{}: runtime error: {}", sources.location(self.span), self.message);
        match sources.excerpt(self.span) {
            Some(excerpt) => out.push_str(&excerpt),
            None => {
                let _ = writeln!(out, "    in graph {}", self.graph);
            }
        }
        out
    }
}

/// A reusable interpreter for one program: precompiled graphs, prebuilt objects, a value
/// stack. Calls run on the calling thread, which it registers with the collector.
pub struct Interp<'p> {
    program: &'p Program,
    layout: Layout,
    codes: Vec<compile::Code>,
    externs: Vec<fn(&[u64]) -> u64>,
    /// One root per prebuilt object, by [`PrebuiltIdx`].
    prebuilt: RootBuf,
    /// Objects allocated through the API ([`Interp::alloc_str`]...), alive as long as `self`.
    pinned: RootBuf,
    /// Called by `jit_hook` ops.
    jit_hook: Option<JitHook<'p>>,
    machine: exec::Machine,
}

impl fmt::Debug for Interp<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interp")
            .field("graphs", &self.codes.len())
            .field("ops_executed", &self.machine.ops)
            .field("jit_hook", &self.jit_hook.is_some())
            .finish()
    }
}

/// Runs `graph` of `program` with `args` in a fresh [`Interp`].
pub fn run(program: &Program, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
    Interp::new(program).call(graph, args)
}

impl<'p> Interp<'p> {
    /// Lays out the program's types, allocates its prebuilt objects and precompiles every
    /// graph. Panics if a graph is structurally malformed.
    pub fn new(program: &'p Program) -> Interp<'p> {
        gc::register_current_thread();
        let layout = Layout::compute(&program.types);
        let prebuilt = build_prebuilt(program, &layout, &compile::func_word);
        Interp::with_prebuilt_roots(program, layout, prebuilt)
    }

    /// An interpreter whose prebuilt objects are `other`'s (same addresses): the module
    /// constants of the program, its global state included, are shared. For programs that
    /// extend `other`'s with more graphs (the JIT's residual code) and no more prebuilt
    /// objects; panics otherwise.
    pub fn sharing_prebuilt(program: &'p Program, prebuilt: &[u64]) -> Interp<'p> {
        gc::register_current_thread();
        assert_eq!(prebuilt.len(), program.prebuilt.len(), "the programs' prebuilt objects differ");
        let layout = Layout::compute(&program.types);
        let mut roots = RootBuf::with_capacity(prebuilt.len().max(1));
        for w in prebuilt {
            roots.push(*w);
        }
        Interp::with_prebuilt_roots(program, layout, roots)
    }

    /// The addresses of this interpreter's prebuilt objects, by index (see
    /// [`Interp::sharing_prebuilt`]); they live as long as this interpreter.
    pub fn prebuilt_words(&self) -> Vec<u64> {
        self.prebuilt.as_slice().to_vec()
    }

    fn with_prebuilt_roots(program: &'p Program, layout: Layout, prebuilt: RootBuf) -> Interp<'p> {
        let mut externs = Vec::new();
        let mut extern_ids = HashMap::new();
        let codes = {
            let mut env = compile::Env {
                program,
                layout: &layout,
                prebuilt: prebuilt.as_slice(),
                externs: &mut externs,
                extern_ids: &mut extern_ids,
            };
            program.graphs.keys().map(|g| compile::compile(&mut env, g)).collect()
        };
        Interp {
            program,
            layout,
            codes,
            externs: externs.iter().map(|e| e.interp).collect(),
            prebuilt,
            pinned: RootBuf::with_capacity(16),
            jit_hook: None,
            machine: exec::Machine::new(INITIAL_STACK_WORDS),
        }
    }

    /// Calls `graph` with `args` and returns its result. Panics if the arguments do not match
    /// the graph's parameters. Buffered output of print externs is flushed before returning.
    pub fn call(&mut self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        gc::register_current_thread();
        let g = &self.program.graphs[graph];
        assert_eq!(
            args.len(),
            g.params.len(),
            "{} takes {} arguments, {} given",
            g.name,
            g.params.len(),
            args.len()
        );
        for (i, (a, &ty)) in args.iter().zip(&g.params).enumerate() {
            assert!(
                a.fits(ty),
                "argument {i} of {}: {a:?} is not a {}",
                g.name,
                self.program.types.display(ty)
            );
        }
        let shared = exec::Shared {
            program: self.program,
            layout: &self.layout,
            codes: &self.codes,
            externs: &self.externs,
            jit_hook: self.jit_hook,
        };
        let result = exec::call(&shared, &mut self.machine, graph.index(), |regs, params| {
            for (&r, a) in params.iter().zip(args) {
                // SAFETY: `regs` is the entry frame, with room for every parameter register.
                unsafe { *regs.add(r as usize) = a.to_word() };
            }
        });
        self.machine.reset(INITIAL_STACK_WORDS);
        externs::flush_output();
        result.map(|w| RtValue::from_word(w, g.ret))
    }

    /// Number of IR ops executed by this interpreter so far (see the module documentation).
    pub fn ops_executed(&self) -> u64 {
        self.machine.ops
    }

    /// Sets the op counter back to zero.
    pub fn reset_ops_executed(&mut self) {
        self.machine.ops = 0;
    }

    /// Installs the JIT called by `jit_hook` ops (replacing any installed before). The hook
    /// runs on this thread, in the middle of a call of this interpreter; it may create and run
    /// other interpreters, with this same hook or others.
    pub fn set_jit_hook(&mut self, hook: JitHook<'p>) {
        self.jit_hook = Some(hook);
    }

    /// Sets the limit on nested calls (beyond it a call fails with StackOverflow).
    pub fn set_max_depth(&mut self, depth: usize) {
        self.machine.max_depth = depth.max(1);
    }

    /// The program being interpreted.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// The heap layout used.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The address of a prebuilt object.
    pub fn prebuilt(&self, p: PrebuiltIdx) -> RtValue {
        RtValue::Ref(self.prebuilt.get(p.index()) as usize as *mut u8)
    }

    /// A new `str` holding `bytes`, kept alive as long as this interpreter.
    pub fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        let p = alloc_array_object(&self.layout, TypeTable::STR, bytes.len());
        self.pinned.push(p as u64);
        // SAFETY: p holds bytes.len() item bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.add(ARRAY_ITEMS_OFFSET), bytes.len())
        };
        RtValue::Ref(p)
    }

    /// A new array of type `t` holding `items`, kept alive as long as this interpreter.
    /// Panics if `t` is not an array type or an item has the wrong type.
    pub fn alloc_array(&mut self, t: HeapTypeIdx, items: &[RtValue]) -> RtValue {
        let elem = self
            .program
            .types
            .as_array(t)
            .unwrap_or_else(|| panic!("{t} is not an array type"))
            .elem;
        let p = alloc_array_object(&self.layout, t, items.len());
        self.pinned.push(p as u64);
        let size = self.layout.item_size(t);
        for (i, v) in items.iter().enumerate() {
            assert!(v.fits(elem), "item {i}: {v:?} is not a {}", self.program.types.display(elem));
            // SAFETY: i < len.
            unsafe { write_item(p, size, i, v.to_word()) };
        }
        RtValue::Ref(p)
    }

    /// A new struct of type `t` with `fields` (all fields, inherited first), kept alive as long
    /// as this interpreter. Panics on a wrong field count or type.
    pub fn alloc_struct(&mut self, t: HeapTypeIdx, fields: &[RtValue]) -> RtValue {
        let def =
            self.program.types.as_struct(t).unwrap_or_else(|| panic!("{t} is not a struct type"));
        assert_eq!(def.fields.len(), fields.len(), "{} has {} fields", def.name, def.fields.len());
        let p = alloc_struct_object(&self.layout, t);
        self.pinned.push(p as u64);
        for (i, (v, f)) in fields.iter().zip(&def.fields).enumerate() {
            assert!(
                v.fits(f.ty),
                "field {}: {v:?} is not a {}",
                f.name,
                self.program.types.display(f.ty)
            );
            // SAFETY: field i is inside the object.
            unsafe { *(p.add(self.layout.field_offset(t, i as u32)) as *mut u64) = v.to_word() };
        }
        RtValue::Ref(p)
    }

    /// Reads field `field` of the struct `obj` of type `t` (panics on null or a non-struct).
    pub fn read_field(&self, obj: RtValue, t: HeapTypeIdx, field: u32) -> RtValue {
        let p = non_null(obj);
        let ty = self.program.types.struct_def(t).fields[field as usize].ty;
        // SAFETY: a live struct of type t (or a subtype): the field is inside it.
        let w = unsafe { *(p.add(self.layout.field_offset(t, field)) as *const u64) };
        RtValue::from_word(w, ty)
    }

    /// Reads item `i` of the array `arr` of type `t` (panics on null or out of bounds).
    pub fn read_item(&self, arr: RtValue, t: HeapTypeIdx, i: usize) -> RtValue {
        let p = non_null(arr);
        let len = self.array_len(arr);
        assert!((i as i64) < len, "index {i} out of bounds for length {len}");
        let elem = self
            .program
            .types
            .as_array(t)
            .unwrap_or_else(|| panic!("{t} is not an array type"))
            .elem;
        // SAFETY: i < len.
        let w = unsafe { read_item(p, self.layout.item_size(t), i) };
        RtValue::from_word(w, elem)
    }

    /// The length of the array `arr` (panics on null).
    pub fn array_len(&self, arr: RtValue) -> i64 {
        // SAFETY: a live array.
        unsafe { *(non_null(arr).add(ARRAY_LENGTH_OFFSET) as *const i64) }
    }

    /// The type tag in the header of `obj` (panics on null).
    pub fn tag_of(&self, obj: RtValue) -> u64 {
        // SAFETY: a live object.
        unsafe { *(non_null(obj) as *const u64) }
    }
}

/// The bytes of a `str` value; `None` for null or a non-pointer.
pub fn str_bytes(v: RtValue) -> Option<Vec<u8>> {
    match v {
        RtValue::Ref(p) if !p.is_null() => {
            // SAFETY: a live str (the caller passes str values only).
            Some(unsafe { externs::StrPtr(p).bytes() }.to_vec())
        }
        _ => None,
    }
}

fn non_null(v: RtValue) -> *mut u8 {
    match v {
        RtValue::Ref(p) if !p.is_null() => p,
        other => panic!("expected a non-null pointer, got {other:?}"),
    }
}

/// Writes item `i` (of `size` bytes: 1 or 8) of the array at `p`.
///
/// # Safety
/// `p` is a live array with more than `i` items of that size.
unsafe fn write_item(p: *mut u8, size: usize, i: usize, w: u64) {
    let at = p.add(ARRAY_ITEMS_OFFSET + size * i);
    if size == 1 {
        *at = w as u8;
    } else {
        *(at as *mut u64) = w;
    }
}

/// Reads item `i` (of `size` bytes: 1 or 8) of the array at `p`.
///
/// # Safety
/// `p` is a live array with more than `i` items of that size.
unsafe fn read_item(p: *const u8, size: usize, i: usize) -> u64 {
    let at = p.add(ARRAY_ITEMS_OFFSET + size * i);
    if size == 1 {
        *at as u64
    } else {
        *(at as *const u64)
    }
}

/// A zeroed struct of type `t` with its header set (aborts if out of memory).
fn alloc_struct_object(layout: &Layout, t: HeapTypeIdx) -> *mut u8 {
    let p = gc::rpy_alloc_object(layout.struct_size(t), layout.tag(t));
    assert!(!p.is_null(), "out of memory");
    p
}

/// A zeroed array of type `t` with `len` items, header and length set (panics if too large).
fn alloc_array_object(layout: &Layout, t: HeapTypeIdx, len: usize) -> *mut u8 {
    let p = gc::rpy_alloc_array(
        layout.tag(t),
        len as i64,
        layout.item_size(t),
        layout.has_gc_pointers(t),
    );
    assert!(!p.is_null(), "out of memory allocating an array of {len} items");
    p
}

/// Allocates every prebuilt object, roots it, then fills in its contents (objects may refer
/// to each other, so all addresses are known before any is filled).
///
/// Shared by every execution mode; `func_word` is how a function pointer is stored (the IR
/// interpreter: graph index + 1; compiled code: the function's address).
pub fn build_prebuilt(
    program: &Program,
    layout: &Layout,
    func_word: &dyn Fn(GraphIdx) -> u64,
) -> RootBuf {
    let n = program.prebuilt.len();
    let mut roots = RootBuf::with_capacity(n);
    roots.resize(n);
    for (idx, pb) in program.prebuilt.iter() {
        let p = match pb {
            Prebuilt::Str(bytes) => alloc_array_object(layout, TypeTable::STR, bytes.len()),
            Prebuilt::Struct(t, _) => alloc_struct_object(layout, *t),
            Prebuilt::Array(t, items) => alloc_array_object(layout, *t, items.len()),
        };
        roots.set(idx.index(), p as u64);
    }
    let words = roots.as_slice().to_vec();
    let word = |c: Const| match c {
        Const::Func(g) => func_word(g),
        c => compile::const_word(c, &words),
    };
    for (idx, pb) in program.prebuilt.iter() {
        let p = words[idx.index()] as usize as *mut u8;
        match pb {
            Prebuilt::Str(bytes) => {
                // SAFETY: the str was allocated with bytes.len() items.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        bytes.as_ptr(),
                        p.add(ARRAY_ITEMS_OFFSET),
                        bytes.len(),
                    )
                };
            }
            Prebuilt::Struct(t, fields) => {
                let def = program.types.struct_def(*t);
                assert_eq!(
                    def.fields.len(),
                    fields.len(),
                    "prebuilt {idx} of type {} has the wrong number of fields",
                    def.name
                );
                for (i, &c) in fields.iter().enumerate() {
                    // SAFETY: field i is inside the struct.
                    unsafe {
                        *(p.add(layout.field_offset(*t, i as u32)) as *mut u64) = word(c);
                    }
                }
            }
            Prebuilt::Array(t, items) => {
                let size = layout.item_size(*t);
                for (i, &c) in items.iter().enumerate() {
                    // SAFETY: i < len.
                    unsafe { write_item(p, size, i, word(c)) };
                }
            }
        }
    }
    roots
}
