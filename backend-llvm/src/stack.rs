//! Where translated code runs: on a fresh thread with a large stack (deep RPy recursion is
//! deep native recursion: llinterp allows 100 000 nested calls), or on the calling thread with
//! the limit its stack allows. Either way the lowest address compiled code may reach is known,
//! so running out of native stack is a runtime error, never a crash of the host.

/// Stack size of the threads [`crate::Translated::call`] runs code on. Only the pages touched
/// are ever committed.
pub const WORKER_STACK: usize = 1 << 30;

/// Stack kept free below the limit for the Rust runtime functions compiled code calls (externs,
/// allocation and collection).
pub const STACK_MARGIN: usize = 1 << 20;

/// The current stack pointer (approximately: the address of a local).
#[inline(never)]
pub fn approximate_sp() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The lowest address of the calling thread's stack, as pthreads reports it.
pub fn current_stack_low() -> Option<usize> {
    // SAFETY: the attribute object is initialised by pthread_getattr_np and destroyed after
    // use; the out-pointers are valid.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let r = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (r == 0).then_some(addr as usize)
    }
}

/// The stack limit for code about to run on this thread: the stack's low end plus
/// [`STACK_MARGIN`]; without pthread information, assume only 256 KiB below the caller.
pub fn limit_for_current_thread() -> usize {
    match current_stack_low() {
        Some(low) => low + STACK_MARGIN,
        None => approximate_sp().saturating_sub(256 << 10),
    }
}

/// Runs `f` on a new thread with a [`WORKER_STACK`]-byte stack and returns its result
/// (re-raising its panic, if any).
pub fn run_on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("rpy-translated".into())
            .stack_size(WORKER_STACK)
            .spawn_scoped(s, f)
            .expect("cannot spawn a thread for translated code");
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
