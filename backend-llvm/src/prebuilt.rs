//! Prebuilt objects (string literals, module-level constants) allocated in GC memory when a
//! program is loaded, with the same contents as llinterp's — except that function pointers
//! are the compiled functions' addresses.

use rpy_ir::gc::{self, RootBuf};
use rpy_ir::ir::{Const, Prebuilt, Program};
use rpy_ir::layout::{Layout, ARRAY_ITEMS_OFFSET};
use rpy_ir::types::TypeTable;

/// Allocates every prebuilt object of `program`, roots it, then fills it in (objects may refer
/// to each other, so every address is known before any is filled). `funcs` holds the address
/// of every graph's function, by graph index.
pub fn build(program: &Program, layout: &Layout, funcs: &[usize]) -> RootBuf {
    let n = program.prebuilt.len();
    let mut roots = RootBuf::with_capacity(n);
    roots.resize(n);
    for (idx, pb) in program.prebuilt.iter() {
        let p = match pb {
            Prebuilt::Str(bytes) => alloc_array(layout, TypeTable::STR, bytes.len()),
            Prebuilt::Struct(t, _) => {
                let p = gc::rpy_alloc_object(layout.struct_size(*t), layout.tag(*t));
                assert!(!p.is_null(), "out of memory allocating prebuilt objects");
                p
            }
            Prebuilt::Array(t, items) => alloc_array(layout, *t, items.len()),
        };
        roots.set(idx.as_u32() as usize, p as u64);
    }
    let words = roots.as_slice().to_vec();
    let word = |c: Const| -> u64 {
        match c {
            Const::Int(i) => i as u64,
            Const::Float(bits) => bits,
            Const::Bool(b) => b as u64,
            Const::Char(ch) => ch as u64,
            Const::Null(_) => 0,
            Const::Prebuilt(p) => words[p.as_u32() as usize],
            Const::Func(g) => funcs[g.as_u32() as usize] as u64,
            Const::Ptr(addr, _) => addr,
        }
    };
    for (idx, pb) in program.prebuilt.iter() {
        let p = words[idx.as_u32() as usize] as usize as *mut u8;
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
                assert_eq!(def.fields.len(), fields.len(), "prebuilt {idx} of {}", def.name);
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
                    // SAFETY: i < len; items are 1 or 8 bytes.
                    unsafe { write_item(p, size, i, word(c)) };
                }
            }
        }
    }
    roots
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
