//! Prebuilt objects (string literals, module-level constants) allocated in GC memory when a
//! program is loaded, with the same contents as llinterp's — except that function pointers
//! are the compiled functions' addresses.

use rpy_ir::gc::{self, RootBuf};
use rpy_ir::ir::Program;
use rpy_ir::layout::{Layout, ARRAY_ITEMS_OFFSET};

/// Allocates every prebuilt object of `program`, roots it, then fills it in (objects may refer
/// to each other, so every address is known before any is filled). `funcs` holds the address
/// of every graph's function, by graph index.
pub fn build(program: &Program, layout: &Layout, funcs: &[usize]) -> RootBuf {
    rpy_ir::llinterp::build_prebuilt(program, layout, &|g| funcs[g.as_u32() as usize] as u64)
}

/// A zeroed array of type `t` with `len` items (aborts if out of memory).
pub fn alloc_array(layout: &Layout, t: rpy_ir::types::HeapTypeIdx, len: usize) -> *mut u8 {
    let p = gc::rpy_alloc_array(
        layout.tag(t),
        len as i64,
        layout.item_size(t),
        layout.has_gc_pointers(t),
    );
    assert!(!p.is_null(), "out of memory allocating an array of {len} items");
    p
}

/// Writes item `i` (of `size` bytes: 1 or 8) of the array at `p`.
///
/// # Safety
/// `p` is a live array with more than `i` items of that size.
pub unsafe fn write_item(p: *mut u8, size: usize, i: usize, w: u64) {
    let at = p.add(ARRAY_ITEMS_OFFSET + size * i);
    if size == 1 {
        *at = w as u8;
    } else {
        *(at as *mut u64) = w;
    }
}
