//! The compile-time state of the rainbow engine: red boxes, virtual objects, frames.
//!
//! A [`RedBox`] is what the engine knows about a red value: a constant (folded), a residual
//! variable, or a virtual object — an allocation that exists only at compile time, with a box
//! per field, until it escapes and is forced (a residual `malloc` and `setfield`s). The lattice
//! of red boxes, from most to least known: `Virtual` / `Const` < `Var`.

use crate::jitcode::JitCodeIdx;
use rpy_ir::ir::{Const, Var};
use rpy_ir::types::HeapTypeIdx;
use std::fmt;

/// Index of a virtual object in a [`JitState`].
pub type VirtualId = usize;

/// What the engine knows about a red value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RedBox {
    /// Known at compile time after all (folded).
    Const(Const),
    /// A variable of the residual graph.
    Var(Var),
    /// A virtual object (see [`Virtual`]).
    Virtual(VirtualId),
}

impl fmt::Display for RedBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedBox::Const(c) => write!(f, "const {c:?}"),
            RedBox::Var(v) => write!(f, "var {v}"),
            RedBox::Virtual(i) => write!(f, "virtual #{i}"),
        }
    }
}

/// A struct, or an array of a length known at compile time, allocated at compile time and not
/// (yet) escaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Virtual {
    /// Its struct or array type.
    pub ty: HeapTypeIdx,
    /// One box per field (struct) or item (array); `None` is the zero the allocation filled in.
    pub fields: Vec<Option<RedBox>>,
    /// Once forced: the residual variable holding the real object.
    pub forced: Option<Var>,
}

/// A real object the heap cache knows fields of: a residual variable (its canonical one: the
/// results of casts of an object are that object) or a constant pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapObj {
    /// The object a residual variable (and its casts) points to.
    Var(Var),
    /// A constant pointer (`Ptr` or `Prebuilt`).
    Const(Const),
}

impl HeapObj {
    /// Whether two objects may be the same one: only two different constants of the same
    /// kind are known to be distinct.
    pub fn may_alias(self, other: HeapObj) -> bool {
        match (self, other) {
            (HeapObj::Const(Const::Ptr(a, _)), HeapObj::Const(Const::Ptr(b, _))) => a == b,
            (HeapObj::Const(Const::Prebuilt(a)), HeapObj::Const(Const::Prebuilt(b))) => a == b,
            _ => true,
        }
    }
}

/// A location in a real object: a field (of the struct declaring it, so one field has one
/// name), or an array item at a constant index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loc {
    /// Field number `.1` of the struct `.0` declaring it.
    Field(HeapTypeIdx, u32),
    /// Item `.1` of an array of type `.0`.
    Item(HeapTypeIdx, usize),
}

impl Loc {
    /// The array type of an item location.
    pub fn array(self) -> Option<HeapTypeIdx> {
        match self {
            Loc::Item(t, _) => Some(t),
            Loc::Field(..) => None,
        }
    }
}

/// One known location: its value, and whether it is dirty (its store is delayed: the object's
/// memory still holds an older value; the store is emitted when something may observe it).
#[derive(Clone, Debug, PartialEq)]
pub struct HeapEntry {
    /// The object.
    pub obj: HeapObj,
    /// A residual value pointing to it (the operand a flushed store uses).
    pub via: rpy_ir::ir::Value,
    /// The location.
    pub loc: Loc,
    /// What it holds (may be virtual while the entry is dirty).
    pub value: RedBox,
    /// Whether the store is delayed (not yet emitted).
    pub dirty: bool,
    /// For a dirty entry: what the object's memory holds, if known (the entry's value before
    /// its delayed stores); storing that back cancels them.
    pub memory: Option<RedBox>,
}

/// The heap cache (PyPy's `optimizeopt/heap.py`): what the engine knows of the fields and
/// constant-index items of real objects on this path, read or written since the last merge
/// point, and which stores it has delayed (its dirty entries; one storing a virtual object is
/// carried across merge points: `Compiler::merge`). An entry exists only once an access to its
/// location succeeded (so the object is not null, the index in bounds; a store of a virtual
/// object where nothing is known reads the location first): a delayed store cannot hide a
/// failure.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeapCache {
    /// Known locations, in the order they became known.
    pub entries: Vec<HeapEntry>,
    /// Cast results and the canonical variable of the object they point to.
    pub same: std::collections::HashMap<Var, Var>,
}

impl HeapCache {
    /// The canonical variable of the object `x` points to.
    pub fn canon(&self, mut x: Var) -> Var {
        while let Some(y) = self.same.get(&x) {
            x = *y;
        }
        x
    }

    /// Records that `r`, the result of a cast of `b`, points to the same object.
    pub fn note_cast(&mut self, r: Var, b: RedBox) {
        if let RedBox::Var(x) = b {
            let x = self.canon(x);
            self.same.insert(r, x);
        }
    }

    /// The entry of `loc` in `obj`.
    pub fn find(&self, obj: HeapObj, loc: Loc) -> Option<usize> {
        self.entries.iter().position(|e| e.obj == obj && e.loc == loc)
    }
}

/// One activation of a JitCode.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The code running.
    pub code: JitCodeIdx,
    /// The next instruction.
    pub pc: usize,
    /// Green registers (compile-time constants), indexed by variable.
    pub greens: Vec<Option<Const>>,
    /// Red registers, indexed by variable.
    pub reds: Vec<Option<RedBox>>,
    /// The caller's variable receiving the result.
    pub result_to: Option<Var>,
}

/// Everything the engine knows at one point of compilation: the frames of followed calls and
/// the virtual objects. Cloned at red splits.
#[derive(Clone, Debug, Default)]
pub struct JitState {
    /// Innermost frame last.
    pub frames: Vec<Frame>,
    /// Virtual objects (indexes are [`VirtualId`]s).
    pub virtuals: Vec<Virtual>,
    /// Type tags of residual variables whose class was promoted on this path.
    pub classes: std::collections::HashMap<Var, i64>,
    /// The green context: the portal's live green values at the last merge point it passed
    /// (at first, the green key of the portal call). Promotion sites are told apart by it, so
    /// what one program (one bytecode position) meets at a promotion is not taken for another.
    pub context: Vec<Option<Const>>,
    /// What is known of real objects' fields and items, and the stores delayed.
    pub heap: HeapCache,
    /// Residual calls of `@elidable` functions made on this path since the last merge point
    /// or flexswitch: (callee, arguments, result). Every later point of the path is dominated
    /// by them, so an equal call reuses the result; merge points and snapshots forget them
    /// (the result variables are not theirs).
    pub elided: Vec<(rpy_ir::ir::GraphIdx, Vec<rpy_ir::ir::Value>, rpy_ir::ir::Value)>,
    /// The guest calls inlined on this path whose portal frames are still on the stack, and
    /// the outermost portal frame's first key (see `rainbow::portal_inline`).
    pub inlined: crate::rainbow::InlineStack,
}

impl JitState {
    /// The type tag of the object `x` points to, if its class was promoted on this path
    /// (through `x` or another variable holding the object: [`HeapCache::canon`]).
    pub fn class_of(&self, x: Var) -> Option<i64> {
        self.classes.get(&x).or_else(|| self.classes.get(&self.heap.canon(x))).copied()
    }

    /// The innermost frame.
    pub fn top(&self) -> &Frame {
        self.frames.last().expect("a running JitState has a frame")
    }

    /// The innermost frame, to change.
    pub fn top_mut(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a running JitState has a frame")
    }

    /// Replaces the residual variable `x` by the constant `c` wherever the state holds it (every
    /// frame's red registers, every virtual object's fields): once a promotion has made `x`
    /// known, all its aliases are that constant (PyPy replaces the promoted box in place).
    pub fn replace_var(&mut self, x: Var, c: Const) {
        let swap = |b: &mut Option<RedBox>| {
            if *b == Some(RedBox::Var(x)) {
                *b = Some(RedBox::Const(c));
            }
        };
        self.frames.iter_mut().flat_map(|f| f.reds.iter_mut()).for_each(swap);
        self.virtuals.iter_mut().flat_map(|v| v.fields.iter_mut()).for_each(swap);
        for e in &mut self.heap.entries {
            if e.value == RedBox::Var(x) {
                e.value = RedBox::Const(c);
            }
        }
    }

    /// The box as the engine should use it now: a forced virtual is its residual variable.
    pub fn resolve(&self, b: RedBox) -> RedBox {
        match b {
            RedBox::Virtual(i) => self.virtuals[i].forced.map_or(b, RedBox::Var),
            _ => b,
        }
    }
}
