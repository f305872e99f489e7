//! The IR interpreter: executes flow graphs directly, on the same heap layout as compiled
//! code. It is the semantic reference: every other execution mode must agree with it.
//!
//! Invariants and vocabulary:
//! - Semantics are those of the op table's documentation ([`crate::ops`]): wrapping int
//!   arithmetic, Python floor division and modulo, checked shifts, saturating float-to-int,
//!   bounds-checked array accesses, null checks. A failing check stops the run with a
//!   [`crate::runtime::RuntimeError`] carrying the failing op's span; it never corrupts memory. The program
//!   is trusted to be well-typed (it passed the verifier); structurally malformed graphs (wrong
//!   operand counts, unknown externs) make [`Interp::new`] panic.
//! - Values, errors and limits are those every mode shares ([`crate::runtime`]). Heap objects
//!   come from the Boehm collector ([`crate::gc`]) with the layout of [`crate::layout`]; the
//!   interpreter's loop reads and writes them unchecked (the program is well-typed), its API
//!   ([`Interp::read_field`], [`Interp::alloc_array`]...) through the checked accessors of
//!   [`crate::runtime::heap`]. Prebuilt objects are allocated once per [`Interp`] and kept
//!   alive by it. A function pointer's word is its graph's index + 1.
//! - Every GC pointer the interpreter holds lives where the collector scans it: frames'
//!   registers live in one value stack allocated uncollectable ([`crate::gc::RootBuf`]),
//!   prebuilt and pinned objects in root buffers, temporaries on the (registered) thread's
//!   stack. Rust `Vec`s hold no GC pointer except copies of prebuilt addresses (constant
//!   pools), whose objects the prebuilt roots keep alive.
//! - RPy calls never recurse on the Rust stack: frames live on an explicit frame stack, and a
//!   call deeper than [`Interp::set_max_depth`] (default [`crate::runtime::DEFAULT_MAX_DEPTH`]) or
//!   needing more registers than [`crate::runtime::MAX_STACK_WORDS`] fails with
//!   [`crate::runtime::RuntimeErrorKind::StackOverflow`].
//! - Graphs are precompiled once, when the [`Interp`] is created, into flat instruction
//!   arrays (see `compile.rs`); the execution loop does no allocation per op or per call and no
//!   map lookups. The precompiled form ([`Precompiled`]: layout, code, extern table) depends
//!   only on the program and its prebuilt objects' addresses: interpreters sharing a program's
//!   prebuilt objects ([`Interp::sharing_prebuilt`]) may share one, built once
//!   ([`Interp::with_precompiled`]), instead of precompiling every graph again.
//! - [`Interp::ops_executed`] counts IR ops (not block exits, not the moves binding block
//!   parameters), added per block when it exits: exact for runs that complete; the ops of a
//!   block that fails part-way are not counted.
//! - A `jit_hook` op (residual code calling back into the JIT at a flexswitch miss) calls the
//!   [`JitHook`] installed with [`Interp::set_jit_hook`], with its operands as [`RtValue`]s
//!   typed by their IR types; the hook's answer becomes the op's result, its error the run's
//!   error. With no hook installed the op fails with
//!   [`crate::runtime::RuntimeErrorKind::JitHookMissing`].
//!   The hook may create and run other interpreters (each has its own value stack) while this
//!   one waits, its frames untouched and still scanned by the collector.

mod compile;
mod exec;
#[cfg(test)]
mod tests;

use crate::externs;
use crate::gc::{self, RootBuf};
use crate::ir::{GraphIdx, PrebuiltIdx, Program};
use crate::layout::Layout;
use crate::runtime::heap::{self, Heap, Object};
use crate::runtime::uncaught::HostCall;
use crate::runtime::{RtValue, RuntimeError};
use crate::types::{HeapTypeIdx, Ty};
use cranelift_entity::EntityRef;
use std::fmt;
use std::sync::Arc;

/// A register index in a frame.
type Reg = u32;

/// Words of value stack an [`Interp`] starts with (and shrinks back to after deep calls).
const INITIAL_STACK_WORDS: usize = 4096;

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

/// A reusable interpreter for one program: precompiled graphs, prebuilt objects, a value
/// stack. Calls run on the calling thread, which it registers with the collector.
pub struct Interp<'p> {
    program: &'p Program,
    /// The layout and graphs' code, for `program` and the addresses in `prebuilt`.
    pre: Arc<Precompiled>,
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
            .field("graphs", &self.pre.codes.len())
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
        let prebuilt = heap::build_prebuilt(program, &layout, &compile::func_word);
        Interp::with_prebuilt_roots(program, layout, prebuilt)
    }

    /// An interpreter whose prebuilt objects are `other`'s (same addresses): the module
    /// constants of the program, its global state included, are shared. For programs that
    /// extend `other`'s with more graphs (the JIT's residual code) and no more prebuilt
    /// objects; panics otherwise. Precompiles every graph (see [`Interp::with_precompiled`]
    /// to do it once for many interpreters).
    pub fn sharing_prebuilt(program: &'p Program, prebuilt: &[u64]) -> Interp<'p> {
        Interp::with_precompiled(program, Arc::new(Precompiled::new(program, prebuilt)))
    }

    /// An interpreter running `pre`'s code (precompiled for `program` with prebuilt objects
    /// at [`Precompiled::prebuilt_words`], which this interpreter shares as
    /// [`Interp::sharing_prebuilt`] does). Nothing is compiled. Panics if `pre` was built
    /// for a program of another shape (other graph or prebuilt counts).
    pub fn with_precompiled(program: &'p Program, pre: Arc<Precompiled>) -> Interp<'p> {
        gc::register_current_thread();
        assert!(
            pre.codes.len() == program.graphs.len() && pre.prebuilt.len() == program.prebuilt.len(),
            "precompiled for another program"
        );
        let mut roots = RootBuf::with_capacity(pre.prebuilt.len().max(1));
        for w in &pre.prebuilt {
            roots.push(*w);
        }
        Interp::from_parts(program, pre, roots)
    }

    /// The addresses of this interpreter's prebuilt objects, by index (see
    /// [`Interp::sharing_prebuilt`]); they live as long as this interpreter.
    pub fn prebuilt_words(&self) -> Vec<u64> {
        self.prebuilt.as_slice().to_vec()
    }

    fn with_prebuilt_roots(program: &'p Program, layout: Layout, prebuilt: RootBuf) -> Interp<'p> {
        let pre = Precompiled::compile(program, layout, prebuilt.as_slice());
        Interp::from_parts(program, Arc::new(pre), prebuilt)
    }

    fn from_parts(program: &'p Program, pre: Arc<Precompiled>, prebuilt: RootBuf) -> Interp<'p> {
        Interp {
            program,
            pre,
            prebuilt,
            pinned: RootBuf::with_capacity(16),
            jit_hook: None,
            machine: exec::Machine::new(INITIAL_STACK_WORDS),
        }
    }

    /// Calls `graph` with `args` and returns its result. Panics if the arguments do not match
    /// the graph's parameters. Buffered output of print externs is flushed before returning.
    /// An RPy exception leaving the outermost call is an error
    /// ([`crate::runtime::uncaught`]).
    pub fn call(&mut self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        gc::register_current_thread();
        let host = HostCall::enter();
        let g = &self.program.graphs[graph];
        g.assert_arity(args.len());
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
            layout: &self.pre.layout,
            codes: &self.pre.codes,
            externs: &self.pre.externs,
            jit_hook: self.jit_hook,
        };
        let result = exec::call(&shared, &mut self.machine, graph.index(), |regs, params| {
            for (&r, a) in params.iter().zip(args) {
                // SAFETY: `regs` is the entry frame, with room for every parameter register.
                unsafe { *regs.add(r as usize) = a.to_word(compile::func_word) };
            }
        });
        self.machine.reset(INITIAL_STACK_WORDS);
        externs::flush_output();
        let result = result.map(|w| decode(w, g.ret));
        host.finish(result, self.program, &self.pre.layout, self.prebuilt.as_slice(), &g.name)
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
        &self.pre.layout
    }

    /// The address of a prebuilt object.
    pub fn prebuilt(&self, p: PrebuiltIdx) -> RtValue {
        RtValue::Ref(self.prebuilt.get(p.index()) as usize as *mut u8)
    }

    /// The heap of this interpreter's program: checked access to its objects.
    pub fn heap(&self) -> Heap<'_> {
        Heap::new(&self.pre.layout, &self.program.types)
    }

    /// A new `str` holding the code points of `text`, kept alive as long as this interpreter.
    pub fn alloc_str(&mut self, text: &str) -> RtValue {
        self.pin(heap::new_str(text))
    }

    /// A new `str` with one code point per byte (binary data such as bytecode), kept alive as
    /// long as this interpreter.
    pub fn alloc_str_latin1(&mut self, bytes: &[u8]) -> RtValue {
        self.pin(heap::new_str_latin1(bytes))
    }

    /// A new array of type `t` holding `items`, kept alive as long as this interpreter.
    /// Panics if `t` is not an array type or an item does not fit it.
    pub fn alloc_array(&mut self, t: HeapTypeIdx, items: &[RtValue]) -> RtValue {
        assert!(self.program.types.as_array(t).is_some(), "{t} is not an array type");
        let arr = self.pin(RtValue::Ref(heap::alloc_array(&self.pre.layout, t, items.len())));
        let obj = Object::of(arr).expect("a fresh array is an object");
        for (i, &v) in items.iter().enumerate() {
            let slot = self.heap().item(obj, t, i as i64).expect("a fresh array has its items");
            self.store(slot, v, format_args!("item {i}"));
        }
        arr
    }

    /// A new struct of type `t` with `fields` (all fields, inherited first), kept alive as long
    /// as this interpreter. Panics on a wrong field count or type.
    pub fn alloc_struct(&mut self, t: HeapTypeIdx, fields: &[RtValue]) -> RtValue {
        let def =
            self.program.types.as_struct(t).unwrap_or_else(|| panic!("{t} is not a struct type"));
        assert_eq!(def.fields.len(), fields.len(), "{} has {} fields", def.name, def.fields.len());
        let obj = self.pin(RtValue::Ref(heap::alloc_struct(&self.pre.layout, t)));
        let o = Object::of(obj).expect("a fresh struct is an object");
        for (i, (&v, f)) in fields.iter().zip(&def.fields).enumerate() {
            let slot = self.heap().field(o, t, i as u32).expect("a fresh struct has its fields");
            self.store(slot, v, format_args!("field {}", f.name));
        }
        obj
    }

    /// Keeps the object `v` points to alive as long as this interpreter.
    fn pin(&mut self, v: RtValue) -> RtValue {
        if let RtValue::Ref(p) = v {
            self.pinned.push(p as u64);
        }
        v
    }

    /// Stores `v` into `slot` of a fresh object (a function pointer in this interpreter's
    /// encoding); panics, naming the slot as `what`, if it does not fit.
    fn store(&self, slot: heap::Slot, v: RtValue, what: fmt::Arguments<'_>) {
        let types = &self.program.types;
        let bad = || panic!("{what}: {v:?} is not a {}", types.display(slot.ty()));
        match (v, slot.ty()) {
            (RtValue::Func(g), Ty::Func(_)) if g.index() < self.pre.codes.len() => {
                // SAFETY: the slot holds a function pointer, and `g` is a graph of this
                // program, which this interpreter stores as `func_word`.
                unsafe { slot.write_word_unchecked(compile::func_word(g)) }
            }
            _ => slot.write(&self.pre.layout, v).unwrap_or_else(|_| bad()),
        }
    }

    /// Reads field `field` of the struct `obj` of type `t` (panics if `obj` is not an
    /// instance of `t`).
    pub fn read_field(&self, obj: RtValue, t: HeapTypeIdx, field: u32) -> RtValue {
        let slot = Object::of(obj)
            .and_then(|o| self.heap().field(o, t, field))
            .unwrap_or_else(|| panic!("{obj:?} has no field {field} of {t}"));
        decode(slot.read_word(), slot.ty())
    }

    /// Reads item `i` of the array `arr` of type `t` (panics if `arr` is not such an array or
    /// `i` is out of bounds).
    pub fn read_item(&self, arr: RtValue, t: HeapTypeIdx, i: usize) -> RtValue {
        let slot = Object::of(arr)
            .ok_or(heap::AccessError::NotAnObject)
            .and_then(|o| self.heap().item(o, t, i as i64))
            .unwrap_or_else(|e| panic!("item {i} of {arr:?}: {e}"));
        decode(slot.read_word(), slot.ty())
    }

    /// The length of the array `arr` (panics if it is not an array).
    pub fn array_len(&self, arr: RtValue) -> i64 {
        self.heap().array_len(arr).unwrap_or_else(|e| panic!("length of {arr:?}: {e}"))
    }

    /// The type tag in the header of `obj` (panics if it is not an object).
    pub fn tag_of(&self, obj: RtValue) -> u64 {
        Object::of(obj).unwrap_or_else(|| panic!("{obj:?} is not an object")).tag()
    }
}

/// A program's graphs precompiled for the interpreter ([`Interp::with_precompiled`]), with
/// its heap layout and the addresses of its prebuilt objects the code embeds. It holds those
/// addresses but does not keep the objects alive: whoever made them does (the interpreter or
/// compiled code whose prebuilt objects they are), and every [`Interp`] built on it roots them.
pub struct Precompiled {
    layout: Layout,
    codes: Vec<compile::Code>,
    externs: Vec<fn(&[u64]) -> u64>,
    /// The prebuilt objects' addresses, by [`PrebuiltIdx`].
    prebuilt: Vec<u64>,
}

impl fmt::Debug for Precompiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Precompiled")
            .field("graphs", &self.codes.len())
            .field("prebuilt", &self.prebuilt.len())
            .finish()
    }
}

impl Precompiled {
    /// Precompiles every graph of `program` for prebuilt objects at `prebuilt` (by index; an
    /// [`Interp::prebuilt_words`], or compiled code's). Panics if the counts differ or a
    /// graph is structurally malformed.
    pub fn new(program: &Program, prebuilt: &[u64]) -> Precompiled {
        assert_eq!(prebuilt.len(), program.prebuilt.len(), "the programs' prebuilt objects differ");
        Precompiled::compile(program, Layout::compute(&program.types), prebuilt)
    }

    fn compile(program: &Program, layout: Layout, prebuilt: &[u64]) -> Precompiled {
        let mut externs = indexmap::IndexMap::new();
        let codes = {
            let mut env =
                compile::Env { program, layout: &layout, prebuilt, externs: &mut externs };
            program.graphs.keys().map(|g| compile::compile(&mut env, g)).collect()
        };
        Precompiled {
            layout,
            codes,
            externs: externs.values().map(|e| e.interp).collect(),
            prebuilt: prebuilt.to_vec(),
        }
    }

    /// The prebuilt objects' addresses the code was compiled for, by index.
    pub fn prebuilt_words(&self) -> &[u64] {
        &self.prebuilt
    }
}

/// The value of type `ty` word `w` holds in this interpreter's encoding.
fn decode(w: u64, ty: Ty) -> RtValue {
    RtValue::from_word(w, ty, compile::graph_of_word).expect("a function word names a graph")
}
