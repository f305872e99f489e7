//! Virtualizables in the rainbow engine (PyPy's virtualizable frames): an interpreter's frame
//! object whose declared fields and array items ([`rpy_ir::virtualizable`]) the compiled code
//! keeps in registers, reading them once and writing them back only where something outside
//! the compiled code may look.
//!
//! Vocabulary: a *virtualizable entry* is a heap-cache entry ([`HeapEntry`]) of a
//! virtualized field of a virtualizable struct (`frame.depth`, `frame.locals`), or of an item
//! of an array that such an entry of an items field (`locals[*]`) holds. *Writing back* is
//! flushing its store (`Compiler::flush_entry`); *reading back* is forgetting it, so the next
//! access reads the frame again.
//!
//! What is virtualized: the frame's virtualized fields and its arrays' items at constant
//! indexes (the bytecode position is green, so the stack depth and local numbers are
//! constants). The engine reads them lazily: the first access in a compilation (or after a
//! read-back) reads the location — a bounds-checked read, so the entry exists only once its
//! index is known to be in bounds, and the arrays' lengths need no guard — and every later
//! access is served from the entry; a store is delayed (the entry is dirty). An access with an
//! index that is not a constant writes back the entries of every array of that type that may
//! be the one indexed — not those of another items field's array — and is emitted (a store
//! forgets them too), as the heap cache does for any object.
//!
//! Where they live: virtualizable entries reached from the live state are carried by a merge
//! point's version whether dirty or not (their objects and values are block parameters, in a
//! canonical order: objects as the state reaches them, locations in order), so a loop keeps
//! the frame in registers: it neither reads nor writes it each iteration. An iteration that
//! touches the same locations as the last (a bytecode loop does) matches the loop's version.
//!
//! When they are written back (and read back after):
//! - before a residual call, or a residual op with side effects, that may access a
//!   virtualizable (the callee reads or writes a virtualized field or item, transitively;
//!   an indirect call; an extern given the frame or one of its arrays: the effects analysis
//!   [`rpy_ir::virtualizable::VirtualizableAccess`]). A call that cannot keeps them all;
//! - at a return from the portal (leaving the compiled code), in a flexswitch's fallback to
//!   the interpreter (the snapshot carries them dirty, as it does every delayed store into a
//!   run-time object: the miss path passes them to the JIT's hook, which reads no frame, and
//!   the case compiled in another graph keeps them in registers; `promote.rs`,
//!   `Compiler::snapshot_entries`), before a flexswitch case enters an entry graph, and at a
//!   merge point past the version budget;
//! - at a merge point, when more than [`super::Budgets::max_virtualizable_entries`] would be
//!   carried (then the dirty ones are written back and only the known ones reachable carried).
//!
//! Invariants: a virtualizable entry obeys every heap-cache invariant (it exists only once its
//! access succeeded; an access that may alias it through another variable writes it back
//! first); memory holds every virtualizable location's value wherever code outside the
//! compiled code may run (but for the JIT itself, at a flexswitch's miss); a virtual object stored in the frame stays virtual until written
//! back (then it is forced).

use super::{Compiler, Step};
use crate::state::{HeapEntry, HeapObj, JitState, Loc};
use rpy_ir::ir::{Block, Graph, OpData};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

impl<'a> Compiler<'a> {
    /// Which heap entries are virtualizable entries (see the module header), by index.
    pub(super) fn virtualizable_entries(&self, st: &JitState) -> Vec<bool> {
        let types = &self.program.types;
        if types.virtualizables().next().is_none() {
            return vec![false; st.heap.entries.len()];
        }
        let arrays = self.items_fields(st);
        st.heap
            .entries
            .iter()
            .map(|e| match e.loc {
                Loc::Field(t, f) => types.virtualized_field(t, f).is_some(),
                Loc::Item(..) => arrays.contains_key(&e.obj),
            })
            .collect()
    }

    /// The arrays the heap cache knows virtualized items fields to hold, each with its field
    /// (the front end makes sure two items fields never hold one array, so arrays of two
    /// different fields are two objects).
    pub(super) fn items_fields(&self, st: &JitState) -> HashMap<HeapObj, Loc> {
        let types = &self.program.types;
        if types.virtualizables().next().is_none() {
            return HashMap::default();
        }
        st.heap
            .entries
            .iter()
            .filter(|e| match e.loc {
                Loc::Field(t, f) => types.virtualized_field(t, f) == Some(true),
                Loc::Item(..) => false,
            })
            .filter_map(|e| Some((super::heap_cache::heap_obj(st, e.value)?, e.loc)))
            .collect()
    }

    /// Before the residual op `od` of `graph` that may observe or change any object (a call,
    /// an extern, ...): writes back the dirty entries of the heap cache and forgets them —
    /// but for the virtualizable entries when the op cannot access a virtualizable (see the
    /// module header), which stay as they are.
    pub(super) fn flush_for_residual(
        &mut self,
        st: &mut JitState,
        cur: Block,
        graph: &Graph,
        od: &OpData,
    ) -> Step<()> {
        let access = &self.codes.vable_access;
        let kept: HashSet<(HeapObj, Loc)> = if access.op_may_access(self.program, graph, od) {
            HashSet::default()
        } else {
            let vable = self.virtualizable_entries(st);
            st.heap.entries.iter().zip(vable).filter(|(_, v)| *v).map(|(e, _)| key(e)).collect()
        };
        self.flush_if(st, cur, true, |e| !kept.contains(&key(e)))
    }

    /// Which virtualizable entries a version carries as dirty whether or not they are: items
    /// and plain fields (an items field's array never changes under compiled code, so its
    /// entry stays as it is). A clean entry carried as dirty costs one store where the code
    /// leaves (of the value memory holds); carrying it as it is would make a new version of
    /// a loop for each set of locations its paths happened to write.
    pub(super) fn dirtied_virtualizable(&self) -> impl Fn(&HeapEntry) -> bool + 'a {
        let types = &self.program.types;
        move |e: &HeapEntry| match e.loc {
            Loc::Field(t, f) => types.virtualized_field(t, f) == Some(false),
            Loc::Item(..) => true,
        }
    }

    /// At a merge point: the indexes of the virtualizable entries a version may carry, dirty
    /// or not (all of them, unless they are more than the budget: then none).
    pub(super) fn carried_virtualizable(&self, st: &JitState) -> HashSet<usize> {
        let vable = self.virtualizable_entries(st);
        let out: HashSet<usize> =
            vable.iter().enumerate().filter(|(_, v)| **v).map(|(i, _)| i).collect();
        if out.len() > self.budgets.max_virtualizable_entries {
            return HashSet::default();
        }
        out
    }
}

/// Whether `a` and `b` are known to be two objects: arrays of two different virtualized items
/// fields (`fields`: [`Compiler::items_fields`]), which the front end never lets be one.
pub(super) fn distinct_arrays(fields: &HashMap<HeapObj, Loc>, a: HeapObj, b: HeapObj) -> bool {
    matches!((fields.get(&a), fields.get(&b)), (Some(f), Some(g)) if f != g)
}

/// An entry's object and location (what identifies it in the heap cache).
fn key(e: &HeapEntry) -> (HeapObj, Loc) {
    (e.obj, e.loc)
}
