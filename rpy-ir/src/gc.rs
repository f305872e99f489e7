//! Bindings to the Boehm-Demers-Weiser conservative collector (libgc 8.2), which allocates
//! every RPy heap object in the IR interpreter and in compiled code alike.
//!
//! What the collector sees (and what it does not) decides what code may hold GC pointers:
//! - Scanned: the stacks and registers of *registered* threads, Rust statics, the insides of
//!   `GC_malloc` and `GC_malloc_uncollectable` blocks (and so of a [`RootBuf`]).
//! - Not scanned: Rust `Vec`/`Box` buffers, `GC_malloc_atomic` blocks, the stacks of threads
//!   that were never registered. A GC pointer kept only there may be freed under your feet.
//!
//! Invariants kept by this module:
//! - [`init`] runs `GC_init` exactly once, then `GC_allow_register_threads`, so any thread may
//!   register afterwards (and gives the heap a start of `INITIAL_HEAP`). The thread that ran
//!   `GC_init` is registered implicitly.
//! - [`register_current_thread`] registers a thread at most once and unregisters it when the
//!   thread exits (a thread-local guard's `Drop`), so no stale thread record (with a stack
//!   that no longer exists) is ever left to the collector. [`alloc`] registers the calling
//!   thread itself; code calling the raw `GC_*` functions must call it first.
//! - [`alloc`] returns zeroed memory, atomic or scanned as asked; it returns null only when the
//!   collector cannot find the memory.

use crate::layout::{self, ARRAY_LENGTH_OFFSET, HEADER_SIZE, STR_TAG};
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::Once;

/// The cold end of a thread's stack, as libgc describes it (x86-64: one address).
#[repr(C)]
pub struct GcStackBase {
    /// The bottom (highest address) of the thread's stack.
    pub mem_base: *mut c_void,
}

/// `GC_SUCCESS`: the call did what was asked.
pub const GC_SUCCESS: i32 = 0;
/// `GC_DUPLICATE`: the thread was already registered.
pub const GC_DUPLICATE: i32 = 1;

#[link(name = "gc")]
extern "C" {
    /// Initialises the collector; the calling thread becomes registered.
    pub fn GC_init();
    /// Allocates a scanned, collectable, zeroed block.
    pub fn GC_malloc(size: usize) -> *mut c_void;
    /// Allocates an unscanned, collectable block (not zeroed).
    pub fn GC_malloc_atomic(size: usize) -> *mut c_void;
    /// Allocates a scanned block that is never collected (free it with `GC_free`).
    pub fn GC_malloc_uncollectable(size: usize) -> *mut c_void;
    /// Frees a block explicitly.
    pub fn GC_free(ptr: *mut c_void);
    /// Registers `[low, high)` as a root range the collector scans.
    pub fn GC_add_roots(low: *mut c_void, high: *mut c_void);
    /// Runs a full collection.
    pub fn GC_gcollect();
    /// Grows the heap by at least `bytes` (nonzero on success).
    pub fn GC_expand_hp(bytes: usize) -> i32;
    /// A list of scanned, collectable blocks of `size` bytes, linked through their first
    /// word, zeroed but for it (null if out of memory).
    pub fn GC_malloc_many(size: usize) -> *mut c_void;
    /// The size of the collector's heap in bytes (free and used).
    pub fn GC_get_heap_size() -> usize;
    /// Whether any pointer into an object keeps it alive (1, libgc's default) or only one to
    /// its start or a registered displacement (0). Before `GC_init` only.
    pub fn GC_set_all_interior_pointers(value: i32);
    /// Makes pointers `offset` bytes into any object keep it alive.
    pub fn GC_register_displacement(offset: usize);
    /// Allows threads to register themselves (call once after `GC_init`).
    pub fn GC_allow_register_threads();
    /// Registers the calling thread with its stack bottom.
    pub fn GC_register_my_thread(sb: *const GcStackBase) -> i32;
    /// Finds the calling thread's stack bottom.
    pub fn GC_get_stack_base(sb: *mut GcStackBase) -> i32;
    /// Unregisters the calling thread.
    pub fn GC_unregister_my_thread() -> i32;
    /// Whether the calling thread is registered (non-zero if so).
    pub fn GC_thread_is_registered() -> i32;
    /// The start of the collector's block holding `p` (any address); null if `p` points into
    /// no block of its heap (or the collector is not initialised).
    pub fn GC_base(p: *mut c_void) -> *mut c_void;
    /// The size in bytes of the block starting at `p` (a block's start, from `GC_base`).
    pub fn GC_size(p: *const c_void) -> usize;
}

static INIT: Once = Once::new();

thread_local! {
    /// Set on the thread that ran `GC_init` (registered implicitly, unregistered on exit).
    static RAN_INIT: Cell<bool> = const { Cell::new(false) };
    /// Set once this thread is registered (fast path of [`register_current_thread`]).
    static REGISTERED: Cell<bool> = const { Cell::new(false) };
    /// Unregisters the thread when it exits.
    static GUARD: Registration = Registration::register();
}

/// A thread's registration with the collector; dropping it (at thread exit) unregisters.
struct Registration {
    unregister_on_exit: bool,
}

impl Registration {
    fn register() -> Registration {
        // SAFETY: the collector is initialised (callers run `init` first).
        unsafe {
            if GC_thread_is_registered() != 0 {
                // The thread that ran GC_init is the "main" thread for libgc; it may (and, if
                // it exits before the process, must) unregister once.
                return Registration { unregister_on_exit: RAN_INIT.with(Cell::get) };
            }
            let mut sb = GcStackBase { mem_base: std::ptr::null_mut() };
            if GC_get_stack_base(&mut sb) != GC_SUCCESS {
                panic!("libgc cannot find this thread's stack base");
            }
            let r = GC_register_my_thread(&sb);
            Registration { unregister_on_exit: r == GC_SUCCESS }
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _ = REGISTERED.try_with(|r| r.set(false));
        if self.unregister_on_exit {
            // SAFETY: this thread registered (or ran GC_init) and allocates no more.
            unsafe {
                GC_unregister_my_thread();
            }
        }
    }
}

/// The heap the collector starts with unless `GC_INITIAL_HEAP_SIZE` says otherwise. libgc
/// starts at 64 KiB and grows with the live data, so a program that allocates fast but keeps
/// little (boxed integers in a loop) collects every few hundred KiB: TLC's accumulator
/// collected 750 times at n = 10^7 in JIT mode. 4 MiB costs 4 MiB of memory and made that
/// run 35% faster and translated mode's 12% (`/usr/bin/time lang-tlc run
/// conformance/tlc/accumulator.tlc.src 10000000`, against libgc's own start: `GC_INITIAL_HEAP_SIZE=0`).
const INITIAL_HEAP: usize = 4 << 20;

/// Whether `RPY_GC_INTERIOR=0` asks libgc to recognise only pointers to an object's start
/// (and its header/length words, registered displacements) — an experiment, off by default.
/// With interior pointers on (libgc's default) every object carries one extra byte so that a
/// pointer just past its end still points into it: a 16-byte object (a boxed int or str, a
/// 1-field struct) takes a 32-byte slot, a 36-byte one 48. Off, they take 16 and 48: less
/// heap for programs of many small objects. Not the default because compiled code may keep
/// only a derived pointer (into an array's items) to an object nothing else references.
fn interior_pointers_off() -> bool {
    std::env::var_os("RPY_GC_INTERIOR").is_some_and(|v| v == "0")
}

/// Initialises the collector once per process (idempotent, thread-safe).
pub fn init() {
    INIT.call_once(|| {
        // SAFETY: first and only initialisation; allowing registration right after GC_init
        // from the (implicitly registered) initialising thread is what libgc requires.
        unsafe {
            if interior_pointers_off() {
                GC_set_all_interior_pointers(0);
            }
            GC_init();
            if interior_pointers_off() {
                for offset in (8..=layout::ARRAY_ITEMS_OFFSET).step_by(8) {
                    GC_register_displacement(offset);
                }
            }
            GC_allow_register_threads();
            if std::env::var_os("GC_INITIAL_HEAP_SIZE").is_none() {
                GC_expand_hp(INITIAL_HEAP);
            }
        }
        RAN_INIT.with(|r| r.set(true));
        // The initialising thread is registered by GC_init: give it its guard now, so it
        // unregisters when it exits even if it never calls register_current_thread.
        GUARD.with(|_| ());
        REGISTERED.with(|r| r.set(true));
    });
}

/// Registers the calling thread with the collector (idempotent per thread; initialises the
/// collector if needed) so that its stack is scanned and it may allocate.
#[inline]
pub fn register_current_thread() {
    if REGISTERED.with(Cell::get) {
        return;
    }
    register_slow();
}

#[cold]
fn register_slow() {
    init();
    GUARD.with(|_| ());
    REGISTERED.with(|r| r.set(true));
}

/// Allocates `size` zeroed bytes from the collector: scanned if `has_pointers`, atomic
/// otherwise. Null if the collector is out of memory. Registers the calling thread.
pub fn alloc(size: usize, has_pointers: bool) -> *mut u8 {
    register_current_thread();
    // SAFETY: the thread is registered.
    unsafe { alloc_registered(size, has_pointers) }
}

/// [`alloc`] without the registration check.
///
/// # Safety
/// The calling thread must be registered ([`register_current_thread`]).
#[inline]
pub unsafe fn alloc_registered(size: usize, has_pointers: bool) -> *mut u8 {
    if has_pointers {
        GC_malloc(size) as *mut u8
    } else {
        let p = GC_malloc_atomic(size) as *mut u8;
        if !p.is_null() {
            std::ptr::write_bytes(p, 0, size);
        }
        p
    }
}

/// Runs a full collection.
pub fn collect() {
    register_current_thread();
    // SAFETY: the collector is initialised and the thread registered.
    unsafe { GC_gcollect() }
}

/// The collector's heap size in bytes.
pub fn heap_size() -> usize {
    init();
    // SAFETY: the collector is initialised.
    unsafe { GC_get_heap_size() }
}

/// The size in bytes of the collector's block that starts at `p`, if `p` starts one: the
/// memory `p .. p + size` is then mapped and belongs to the collector's heap, whatever `p` was
/// (any address may be asked about). The block may be free (its object collected): callers
/// keep what they read through it alive by holding `p` where the collector scans.
pub fn block_size(p: *const u8) -> Option<usize> {
    if p.is_null() {
        return None;
    }
    // SAFETY: GC_base accepts any address and answers null for those outside the heap (and
    // before GC_init); GC_size is asked only about the start of a block GC_base found.
    unsafe {
        let base = GC_base(p as *mut c_void);
        (base as *const u8 == p).then(|| GC_size(base))
    }
}

/// Allocates a zeroed `str` of `len` chars (code points of [`layout::CHAR_SIZE`] bytes): tag
/// 1, length set. Null if `len` is negative or memory is exhausted. The C ABI entry point of
/// runtime string allocation.
pub extern "C" fn rpy_alloc_str(len: i64) -> *mut u8 {
    let Some(size) = layout::array_size_for(layout::CHAR_SIZE, len) else {
        return std::ptr::null_mut();
    };
    let p = alloc(size, false);
    if !p.is_null() {
        // SAFETY: p points to at least 16 writable, aligned bytes.
        unsafe {
            (p as *mut u64).write(STR_TAG);
            (p.add(ARRAY_LENGTH_OFFSET) as *mut i64).write(len);
        }
    }
    p
}

/// Allocates a zeroed struct-like object of `size` bytes (at least the header) with `tag` in
/// its header, scanned. Null if memory is exhausted.
pub extern "C" fn rpy_alloc_object(size: usize, tag: u64) -> *mut u8 {
    let p = alloc(size.max(HEADER_SIZE), true);
    if !p.is_null() {
        // SAFETY: p points to at least 8 writable, aligned bytes.
        unsafe { (p as *mut u64).write(tag) }
    }
    p
}

/// Allocates a zeroed array of `len` items of `item_size` bytes with `tag` and its length set,
/// scanned if `has_pointers`. Null if `len` is negative or memory is exhausted.
pub extern "C" fn rpy_alloc_array(
    tag: u64,
    len: i64,
    item_size: usize,
    has_pointers: bool,
) -> *mut u8 {
    let Some(size) = layout::array_size_for(item_size, len) else {
        return std::ptr::null_mut();
    };
    let p = alloc(size, has_pointers);
    if !p.is_null() {
        // SAFETY: p points to at least 16 writable, aligned bytes.
        unsafe {
            (p as *mut u64).write(tag);
            (p.add(ARRAY_LENGTH_OFFSET) as *mut i64).write(len);
        }
    }
    p
}

/// A growable array of words that the collector scans: a Rust `Vec` the GC can see, for GC
/// pointers held outside the GC heap (the interpreter's registers, pinned objects, root tables
/// of compiled code). The buffer is an uncollectable libgc block, freed on drop.
pub struct RootBuf {
    ptr: *mut u64,
    len: usize,
    cap: usize,
}

impl RootBuf {
    /// An empty buffer with room for `cap` words (at least 1).
    pub fn with_capacity(cap: usize) -> RootBuf {
        let cap = cap.max(1);
        RootBuf { ptr: Self::alloc_block(cap), len: 0, cap }
    }

    fn alloc_block(cap: usize) -> *mut u64 {
        register_current_thread();
        let bytes = cap.checked_mul(8).expect("root buffer too large");
        // SAFETY: the thread is registered; the block is zeroed before use.
        let p = unsafe { GC_malloc_uncollectable(bytes) as *mut u64 };
        assert!(!p.is_null(), "out of memory allocating a {bytes}-byte root buffer");
        // SAFETY: p points to `bytes` writable bytes.
        unsafe { std::ptr::write_bytes(p, 0, cap) };
        p
    }

    /// Number of words in use.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no word is in use.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of words the buffer holds without growing.
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Appends a word.
    pub fn push(&mut self, w: u64) {
        if self.len == self.cap {
            self.reserve_total(self.cap * 2);
        }
        // SAFETY: len < cap.
        unsafe { self.ptr.add(self.len).write(w) };
        self.len += 1;
    }

    /// The word at `i`.
    pub fn get(&self, i: usize) -> u64 {
        self.as_slice()[i]
    }

    /// Sets the word at `i`.
    pub fn set(&mut self, i: usize, w: u64) {
        self.as_mut_slice()[i] = w;
    }

    /// The words in use.
    pub fn as_slice(&self) -> &[u64] {
        // SAFETY: ptr holds cap >= len initialised words.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    /// The words in use, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [u64] {
        // SAFETY: ptr holds cap >= len initialised words.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    /// Sets the number of words in use, zeroing words beyond the old length (grows if needed).
    pub fn resize(&mut self, len: usize) {
        if len > self.cap {
            self.reserve_total(len.max(self.cap * 2));
        }
        if len < self.len {
            // Forget dropped pointers so the collector does not keep their objects alive.
            // SAFETY: len..self.len is within the buffer.
            unsafe { std::ptr::write_bytes(self.ptr.add(len), 0, self.len - len) };
        }
        self.len = len;
    }

    /// Grows the buffer so it holds at least `total` words. The words move: raw pointers
    /// obtained from [`RootBuf::as_mut_ptr`] before the call are invalid after it.
    pub fn reserve_total(&mut self, total: usize) {
        if total <= self.cap {
            return;
        }
        self.move_to_block(total, self.cap);
    }

    /// Replaces the block with a fresh one of `cap` words, keeping the first `len` words
    /// (used to give memory back after a deep recursion).
    pub fn shrink_to(&mut self, cap: usize) {
        let cap = cap.max(self.len).max(1);
        if cap >= self.cap {
            return;
        }
        self.move_to_block(cap, self.len);
    }

    /// Moves the words to a fresh block of `cap` words, copying the first `keep`
    /// (`keep <= cap`, `keep <= self.cap`).
    fn move_to_block(&mut self, cap: usize, keep: usize) {
        debug_assert!(keep <= cap && keep <= self.cap);
        let new = Self::alloc_block(cap);
        // SAFETY: both blocks hold at least `keep` words; the old one is ours to free. Both
        // stay scanned while the copy runs, so no pointer is ever invisible.
        unsafe {
            std::ptr::copy_nonoverlapping(self.ptr, new, keep);
            let old = std::mem::replace(&mut self.ptr, new);
            GC_free(old as *mut c_void);
        }
        self.cap = cap;
    }

    /// The address of the first word (valid until the buffer grows or shrinks).
    pub fn as_mut_ptr(&mut self) -> *mut u64 {
        self.ptr
    }
}

impl Drop for RootBuf {
    fn drop(&mut self) {
        // SAFETY: the block came from GC_malloc_uncollectable and is not used any more.
        unsafe { GC_free(self.ptr as *mut c_void) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a linked list of `n` scanned nodes `[next, value]`, reachable only from `roots`.
    fn make_list(n: u64, salt: u64) -> *mut u64 {
        let mut head: *mut u64 = std::ptr::null_mut();
        for i in 0..n {
            let node = alloc(16, true) as *mut u64;
            assert!(!node.is_null());
            // SAFETY: 16 writable bytes.
            unsafe {
                node.write(head as u64);
                node.add(1).write(i ^ salt);
            }
            head = node;
        }
        head
    }

    fn check_list(mut p: *const u64, n: u64, salt: u64) {
        let mut i = n;
        while !p.is_null() {
            i -= 1;
            // SAFETY: a live node of the list.
            unsafe {
                assert_eq!(*p.add(1), i ^ salt);
                p = *p as *const u64;
            }
        }
        assert_eq!(i, 0);
    }

    fn churn() {
        for _ in 0..100_000 {
            let p = alloc(32, true) as *mut u64;
            // SAFETY: 32 writable bytes.
            unsafe { p.write(0xdead_beef) };
        }
        collect();
    }

    #[test]
    fn alloc_zeroes_and_survives_collection_through_roots() {
        let mut roots = RootBuf::with_capacity(1);
        for k in 0..8 {
            let list = make_list(500, k);
            roots.push(list as u64);
        }
        churn();
        for k in 0..8 {
            check_list(roots.get(k as usize) as *const u64, 500, k);
        }
        let a = alloc(64, false);
        // SAFETY: 64 readable bytes.
        assert!(unsafe { std::slice::from_raw_parts(a, 64) }.iter().all(|&b| b == 0));
        roots.resize(2);
        assert_eq!(roots.len(), 2);
        roots.shrink_to(2);
        assert_eq!(roots.capacity(), 2);
        check_list(roots.get(1) as *const u64, 500, 1);
    }

    #[test]
    fn threads_register_and_unregister() {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    register_current_thread();
                    register_current_thread();
                    let list = make_list(1000, t);
                    churn();
                    check_list(list, 1000, t);
                    // SAFETY: read-only query.
                    assert_ne!(unsafe { GC_thread_is_registered() }, 0);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        churn();
    }

    #[test]
    fn runtime_helpers_set_headers() {
        let s = rpy_alloc_str(5);
        // SAFETY: a fresh 36-byte str.
        unsafe {
            assert_eq!(*(s as *const u64), STR_TAG);
            assert_eq!(*(s.add(8) as *const i64), 5);
            assert_eq!(*(s.add(16 + 4 * 4) as *const u32), 0);
        }
        assert!(rpy_alloc_str(-1).is_null());
        let o = rpy_alloc_object(24, 7);
        // SAFETY: a fresh 24-byte object.
        unsafe { assert_eq!(*(o as *const u64), 7) };
        let a = rpy_alloc_array(9, 3, 8, true);
        // SAFETY: a fresh 40-byte array.
        unsafe {
            assert_eq!(*(a as *const u64), 9);
            assert_eq!(*(a.add(8) as *const i64), 3);
        }
        assert!(heap_size() > 0);
    }
}
