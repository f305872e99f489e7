//! Allocation in translated code: small objects and arrays popped from the inline free lists
//! (one per size class of 16-byte granules, up to [`super::FREE_CLASSES`]; the runtime refills
//! an empty one), larger arrays from `rpy_alloc_array`.

use super::func::FnLower;
use super::R;
use inkwell::attributes::AttributeLoc;
use inkwell::values::{IntValue, PointerValue};
use inkwell::IntPredicate;
use rpy_ir::layout::{ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};

impl<'m, 'a, 'ctx> FnLower<'m, 'a, 'ctx> {
    /// An array of `len` items of `item` bytes (`len` already checked: not negative, not
    /// too large), null if out of memory: with at most [`super::FREE_CLASSES`] granules
    /// popped from a free list (its tag and length stored here), else from
    /// `rpy_alloc_array`. Small arrays are always allocated scanned (the free lists'
    /// objects are), even without GC pointers inside: a frame's locals and a call's
    /// arguments are a few words, and a call into libgc cost more than the rest of a call.
    pub(super) fn alloc_array(
        &mut self,
        t: rpy_ir::types::HeapTypeIdx,
        len: IntValue<'ctx>,
        item: usize,
    ) -> R<PointerValue<'ctx>> {
        let layout = self.m.layout;
        let llcx = self.m.llcx;
        let ptr = llcx.ptr_type(inkwell::AddressSpace::default());
        let tag = self.i64c(layout.tag(t) as i64);
        let b = &self.m.builder;
        let items = b.build_int_mul(len, self.i64c(item as i64), "")?;
        let bytes = b.build_int_add(items, self.i64c(ARRAY_ITEMS_OFFSET as i64 + 15), "")?;
        let granules = b.build_int_unsigned_div(bytes, self.i64c(16), "granules")?;
        let limit = self.i64c(super::FREE_CLASSES as i64);
        let small = b.build_int_compare(IntPredicate::ULE, granules, limit, "small")?;
        let here = b.get_insert_block().expect("positioned");
        let inline = llcx.insert_basic_block_after(here, "array_small");
        let call_bb = llcx.insert_basic_block_after(inline, "array_call");
        let done = llcx.insert_basic_block_after(call_bb, "array_done");
        b.build_conditional_branch(small, inline, call_bb)?;
        self.m.builder.position_at_end(inline);
        let p = self.alloc_small(granules)?;
        let b = &self.m.builder;
        let not_null = b.build_is_not_null(p, "")?;
        let init = llcx.insert_basic_block_after(b.get_insert_block().expect("positioned"), "");
        let inline_end = b.get_insert_block().expect("positioned");
        b.build_conditional_branch(not_null, init, done)?;
        b.position_at_end(init);
        self.m.tbaa.heap(b.build_store(p, tag)?);
        let len_at = self.offset(p, ARRAY_LENGTH_OFFSET as u64)?;
        let b = &self.m.builder;
        self.m.tbaa.heap(b.build_store(len_at, len)?);
        b.build_unconditional_branch(done)?;
        b.position_at_end(call_bb);
        let has_ptrs = llcx.bool_type().const_int(layout.has_gc_pointers(t) as u64, false);
        let item = self.i64c(item as i64);
        let call = b.build_call(
            self.m.rt.alloc_array,
            &[tag.into(), len.into(), item.into(), has_ptrs.into()],
            "array",
        )?;
        call.add_attribute(AttributeLoc::Param(3), super::zeroext(llcx));
        let called = call.try_as_basic_value().unwrap_basic().into_pointer_value();
        b.build_unconditional_branch(done)?;
        b.position_at_end(done);
        let phi = b.build_phi(ptr, "array")?;
        phi.add_incoming(&[(&p, inline_end), (&p, init), (&called, call_bb)]);
        Ok(phi.as_basic_value().into_pointer_value())
    }

    /// A zeroed object of `granules` 16-byte granules (at most [`super::FREE_CLASSES`])
    /// popped from its free list, which the runtime refills when empty (null if out of
    /// memory). Its first word (the list's link) is the caller's to overwrite: the object's
    /// tag.
    pub(super) fn alloc_small(&mut self, granules: IntValue<'ctx>) -> R<PointerValue<'ctx>> {
        let llcx = self.m.llcx;
        let (ptr, i64t) = (llcx.ptr_type(inkwell::AddressSpace::default()), llcx.i64_type());
        let free_ty = ptr.array_type(super::FREE_CLASSES as u32);
        let b = &self.m.builder;
        let here = b.get_insert_block().expect("positioned");
        let pop = llcx.insert_basic_block_after(here, "alloc_pop");
        let refill = llcx.insert_basic_block_after(pop, "alloc_refill");
        let done = llcx.insert_basic_block_after(refill, "alloc_done");
        // An empty array takes one granule, as libgc's smallest object.
        let one = i64t.const_int(1, false);
        let at_least_one = b.build_int_compare(IntPredicate::UGT, granules, one, "")?;
        let granules = b.build_select(at_least_one, granules, one, "")?.into_int_value();
        let class = b.build_int_sub(granules, one, "class")?;
        // SAFETY: the index is within the array type (the callers bound `granules`).
        let slot = unsafe {
            b.build_in_bounds_gep(
                free_ty,
                self.m.rt.free.as_pointer_value(),
                &[i64t.const_zero(), class],
                "free",
            )?
        };
        let head = b.build_load(ptr, slot, "head")?.into_pointer_value();
        let empty = b.build_is_null(head, "empty")?;
        b.build_conditional_branch(empty, refill, pop)?;
        b.position_at_end(pop);
        let next = b.build_load(ptr, head, "next")?;
        b.build_store(slot, next)?;
        b.build_unconditional_branch(done)?;
        b.position_at_end(refill);
        let size = b.build_int_mul(granules, i64t.const_int(16, false), "size")?;
        let call = b.build_call(self.m.rt.refill, &[size.into(), slot.into()], "refilled")?;
        let fresh = call.try_as_basic_value().unwrap_basic().into_pointer_value();
        b.build_unconditional_branch(done)?;
        b.position_at_end(done);
        let p = b.build_phi(ptr, "obj")?;
        p.add_incoming(&[(&head, pop), (&fresh, refill)]);
        Ok(p.as_basic_value().into_pointer_value())
    }
}
