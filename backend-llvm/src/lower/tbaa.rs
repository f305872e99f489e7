//! Type-based alias analysis tags: two disjoint kinds of memory the lowering knows apart, so
//! LLVM may keep one in registers across stores to the other.
//!
//! - *runtime state*: the globals every function's entry check and failure protocol read and
//!   write (`rpy_rt.depth`, `rpy_rt.words`, `rpy_rt.max_depth`, `rpy_rt.stack_limit`,
//!   `rpy_rt.failed`);
//! - *heap*: the fields, array items, lengths and type tags of GC objects (`getfield`,
//!   `setfield`, `getarrayitem`, `setarrayitem`, `len`, class tests, allocation).
//!
//! Invariant: no GC object lives in a runtime-state global and no heap pointer points into
//! one, so an access tagged one way never aliases an access tagged the other way. Everything
//! else (the prebuilt table, free lists, merge counters, entry wrappers' argument words) is
//! left untagged, which LLVM treats as aliasing anything. Without the tags, an inlined
//! helper's entry check (depth and words stored, then restored) could not be removed across
//! the heap stores of its body, nor the limits' loads shared between helpers.

use inkwell::context::Context;
use inkwell::values::{BasicValue, BasicValueEnum, InstructionValue, MetadataValue};

/// The access tags of one LLVM context.
pub(super) struct Tbaa<'ctx> {
    kind: u32,
    runtime: MetadataValue<'ctx>,
    heap: MetadataValue<'ctx>,
}

impl<'ctx> Tbaa<'ctx> {
    pub(super) fn new(llcx: &'ctx Context) -> Tbaa<'ctx> {
        let zero = llcx.i64_type().const_zero();
        let root = llcx.metadata_node(&[llcx.metadata_string("rpy tbaa").into()]);
        let tag = |name: &str| {
            let ty =
                llcx.metadata_node(&[llcx.metadata_string(name).into(), root.into(), zero.into()]);
            llcx.metadata_node(&[ty.into(), ty.into(), zero.into()])
        };
        Tbaa {
            kind: llcx.get_kind_id("tbaa"),
            runtime: tag("rpy runtime state"),
            heap: tag("rpy heap"),
        }
    }

    /// Tags a load or store of a runtime-state global.
    pub(super) fn runtime(&self, inst: InstructionValue<'ctx>) {
        // Setting metadata fails only on a value that is not an instruction.
        let _ = inst.set_metadata(self.runtime, self.kind);
    }

    /// Tags a load or store of a GC object's memory.
    pub(super) fn heap(&self, inst: InstructionValue<'ctx>) {
        let _ = inst.set_metadata(self.heap, self.kind);
    }

    /// Tags the load that produced `v` as a runtime-state access, and gives `v` back.
    pub(super) fn runtime_load(&self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        if let Some(i) = v.as_instruction_value() {
            self.runtime(i);
        }
        v
    }

    /// Tags the load that produced `v` as a heap access, and gives `v` back.
    pub(super) fn heap_load(&self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        if let Some(i) = v.as_instruction_value() {
            self.heap(i);
        }
        v
    }
}
