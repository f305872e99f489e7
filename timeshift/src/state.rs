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
}

impl JitState {
    /// The innermost frame.
    pub fn top(&mut self) -> &mut Frame {
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
    }

    /// The box as the engine should use it now: a forced virtual is its residual variable.
    pub fn resolve(&self, b: RedBox) -> RedBox {
        match b {
            RedBox::Virtual(i) => self.virtuals[i].forced.map_or(b, RedBox::Var),
            _ => b,
        }
    }
}
