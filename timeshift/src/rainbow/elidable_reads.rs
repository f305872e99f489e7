//! What an elidable function's compile-time run may read of the locations whose stores the
//! heap cache has delayed (`elidable.rs`): the run reads memory as it is now, so a delayed
//! store it may read (the residual code writes a value the memory does not hold yet) makes
//! the run wrong, and the call is not run now.
//!
//! Vocabulary: a function's *read set* is every heap location kind its graph, and every
//! graph it calls, reads or writes: fields by declaring struct, array items by array type;
//! *everything* once it calls through a pointer or a non-pure extern (which may read any
//! memory it is given).
//!
//! Invariants: a dirty entry conflicts with a run when its location kind is in the read set;
//! the entries of a virtualizable frame (its virtualized fields and its items arrays' items)
//! conflict only when the function touches a virtualized field itself, since an items array
//! is reached only through its frame (`rpy_ir::virtualizable`: the JIT keeps it in
//! registers on that ground) — a global lookup reading an `array[W_Object]` cache does not
//! read the frame's stack of the same type.
//!
//! Only a dirty entry of a *constant* object (one the run reads as it is now) conflicts: a
//! store into a run-time object (a frame's slots, an object residual code read or made) is
//! not in memory at compile time whether it is delayed or emitted — the run never sees
//! residual code's effects — and an elidable function's result depends on its arguments
//! alone. (So a case graph that no longer knows its frame's stack is the frame's, as a
//! separately compiled case does not, still folds a class lookup.)

use super::Compiler;
use crate::state::{HeapEntry, HeapObj, JitState, Loc};
use rpy_ir::ir::{Aux, GraphIdx};
use rpy_ir::ops::Opcode;
use rpy_ir::types::HeapTypeIdx;
use rustc_hash::FxHashSet as HashSet;

/// The locations a function may read or write (see the module header).
#[derive(Default)]
struct ReadSet {
    everything: bool,
    /// Touches a virtualized field of a virtualizable struct.
    frames: bool,
    fields: HashSet<HeapTypeIdx>,
    arrays: HashSet<HeapTypeIdx>,
}

impl<'a> Compiler<'a> {
    /// Whether a compile-time run of `callee` may read a store the heap cache delayed.
    pub(super) fn run_may_read_delayed(&self, st: &JitState, callee: GraphIdx) -> bool {
        let constant_dirty = |e: &HeapEntry| e.dirty && matches!(e.obj, HeapObj::Const(_));
        if !st.heap.entries.iter().any(constant_dirty) {
            return false;
        }
        let reads = self.read_set(callee);
        if reads.everything {
            return true;
        }
        let vable = self.virtualizable_entries(st);
        st.heap.entries.iter().zip(vable).any(|(e, v)| {
            constant_dirty(e)
                && (!v || reads.frames)
                && match e.loc {
                    Loc::Field(t, _) => reads.fields.contains(&t),
                    Loc::Item(t, _) => reads.arrays.contains(&t),
                }
        })
    }

    fn read_set(&self, callee: GraphIdx) -> ReadSet {
        let program = self.program;
        let types = &program.types;
        let mut out = ReadSet::default();
        let mut seen: HashSet<GraphIdx> = [callee].into_iter().collect();
        let mut work = vec![callee];
        while let Some(g) = work.pop() {
            let graph = &program.graphs[g];
            for block in graph.blocks.values() {
                for &op in &block.ops {
                    let od = &graph.ops[op];
                    match (od.opcode, &od.aux) {
                        (Opcode::GetField | Opcode::SetField, Aux::Field(t, f)) => {
                            out.fields.insert(types.declaring_struct(*t, *f));
                            out.frames |= types.virtualized_field(*t, *f).is_some();
                        }
                        (Opcode::GetArrayItem | Opcode::SetArrayItem, Aux::Array(a)) => {
                            out.arrays.insert(*a);
                        }
                        (Opcode::Call, Aux::Graph(c)) if seen.insert(*c) => work.push(*c),
                        (Opcode::CallExtern, Aux::Extern(name)) => {
                            out.everything |=
                                !rpy_ir::externs::lookup(name).is_some_and(|e| e.pure);
                        }
                        (Opcode::CallIndirect | Opcode::CallExtern | Opcode::JitHook, _) => {
                            out.everything = true
                        }
                        _ => {}
                    }
                }
            }
            if out.everything {
                break;
            }
        }
        out
    }
}
