//! Prebuilt objects (string literals, module-level constants) allocated in GC memory when a
//! program is loaded, with the same contents as llinterp's — except that function pointers
//! are the compiled functions' addresses.

use rpy_ir::gc::RootBuf;
use rpy_ir::ir::Program;
use rpy_ir::layout::Layout;
use rpy_ir::runtime::heap;

/// Allocates every prebuilt object of `program`, roots it, then fills it in (objects may refer
/// to each other, so every address is known before any is filled). `funcs` holds the address
/// of every graph's function, by graph index.
pub fn build(program: &Program, layout: &Layout, funcs: &[usize]) -> RootBuf {
    heap::build_prebuilt(program, layout, &|g| funcs[g.as_u32() as usize] as u64)
}
