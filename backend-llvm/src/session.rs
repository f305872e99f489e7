//! An ORC LLJIT session through the llvm-sys C API (inkwell does not wrap ORC v2).
//!
//! Invariants:
//! - A [`Session`] owns one LLJIT and its main JITDylib; dropping the session frees all the
//!   code and data it loaded, so nothing may still run in it or point into it.
//! - Code comes in as relocatable object files ([`Session::add_object`]): modules are compiled
//!   to objects by [`crate::target`] first, which is also what the object cache stores.
//! - Symbols resolve, in order: definitions of loaded objects, absolute symbols defined with
//!   [`Session::define_absolute`] (Rust runtime functions, externs), then the process's
//!   dynamic symbol table (libc's `memset`/`memcpy`, which LLVM may emit, and libgc).
//! - Code added under a [`Tracker`] ([`Session::add_object_tracked`]) can be freed before the
//!   session is; the tracker keeps the session alive, so it can never outlive it.

use crate::target;
use llvm_sys::error::{LLVMDisposeErrorMessage, LLVMErrorRef, LLVMGetErrorMessage};
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::ffi::{CStr, CString};
use std::ptr;
use std::rc::Rc;

/// An error reported by ORC (linking, missing symbols, duplicate definitions...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ORC: {0}")]
pub struct SessionError(pub String);

/// Turns an `LLVMErrorRef` into a result, consuming the error.
fn check(err: LLVMErrorRef) -> Result<(), SessionError> {
    if err.is_null() {
        return Ok(());
    }
    // SAFETY: a non-null error owned by us; the message is freed after copying.
    unsafe {
        let msg = LLVMGetErrorMessage(err);
        let text = CStr::from_ptr(msg).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(msg);
        Err(SessionError(text))
    }
}

/// ORC's error reporter: errors it reports also fail the lookup that caused them, and that
/// failure is returned to the caller, so here they are only consumed.
extern "C" fn ignore_error(_ctx: *mut libc::c_void, err: LLVMErrorRef) {
    let _ = check(err);
}

fn c_string(s: &str) -> CString {
    CString::new(s).expect("symbol names have no NUL byte")
}

/// One LLJIT instance with its main JITDylib.
pub struct Session {
    jit: LLVMOrcLLJITRef,
}

// The LLJIT is only used through `&self`/`&mut self` of its owner; ORC's own state is
// internally synchronised, so moving the session between threads is sound.
unsafe impl Send for Session {}

impl Session {
    /// A new LLJIT for the host (its target machine builder made from a host target machine:
    /// host CPU and features, PIC, small code model) that also resolves process symbols.
    pub fn new() -> Result<Session, SessionError> {
        target::init_llvm();
        let tm = target::host_machine(target::OptLevel::O2);
        // SAFETY: the C API contract: the JTMB takes the target machine, the builder takes the
        // JTMB, LLVMOrcCreateLLJIT takes the builder (on success and on failure).
        unsafe {
            let jtmb = LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(tm.as_mut_ptr());
            std::mem::forget(tm);
            let builder = LLVMOrcCreateLLJITBuilder();
            LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, jtmb);
            let mut jit = ptr::null_mut();
            check(LLVMOrcCreateLLJIT(&mut jit, builder))?;
            let session = Session { jit };
            // Errors reach the caller as values; ORC's default reporter would also print them.
            LLVMOrcExecutionSessionSetErrorReporter(
                LLVMOrcLLJITGetExecutionSession(jit),
                ignore_error,
                ptr::null_mut(),
            );
            let mut generator = ptr::null_mut();
            check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                &mut generator,
                LLVMOrcLLJITGetGlobalPrefix(jit),
                None,
                ptr::null_mut(),
            ))?;
            LLVMOrcJITDylibAddGenerator(session.main_dylib(), generator);
            Ok(session)
        }
    }

    fn main_dylib(&self) -> LLVMOrcJITDylibRef {
        // SAFETY: self.jit is a live LLJIT.
        unsafe { LLVMOrcLLJITGetMainJITDylib(self.jit) }
    }

    /// Defines `name -> address` absolute symbols (exported, callable) in the main JITDylib.
    pub fn define_absolute(&self, symbols: &[(String, usize)]) -> Result<(), SessionError> {
        if symbols.is_empty() {
            return Ok(());
        }
        let flags = LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8
            | LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8;
        let mut pairs: Vec<LLVMOrcCSymbolMapPair> = symbols
            .iter()
            .map(|(name, addr)| {
                let name = c_string(name);
                LLVMOrcCSymbolMapPair {
                    // SAFETY: a live LLJIT; the pool entry's reference passes to the map.
                    Name: unsafe { LLVMOrcLLJITMangleAndIntern(self.jit, name.as_ptr()) },
                    Sym: LLVMJITEvaluatedSymbol {
                        Address: *addr as u64,
                        Flags: LLVMJITSymbolFlags { GenericFlags: flags, TargetFlags: 0 },
                    },
                }
            })
            .collect();
        // SAFETY: the materialization unit takes the names' references; JITDylibDefine takes
        // the unit (and disposes it on failure).
        unsafe {
            let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
            check(LLVMOrcJITDylibDefine(self.main_dylib(), mu))
        }
    }

    /// Adds a relocatable object file (copied) to the main JITDylib. It is linked when one of
    /// its symbols is first looked up.
    pub fn add_object(&self, object: &[u8], name: &str) -> Result<(), SessionError> {
        let name = c_string(name);
        // SAFETY: the buffer copies `object`; AddObjectFile takes the buffer.
        unsafe {
            let buf = llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy(
                object.as_ptr() as *const libc::c_char,
                object.len(),
                name.as_ptr(),
            );
            check(LLVMOrcLLJITAddObjectFile(self.jit, self.main_dylib(), buf))
        }
    }

    /// Adds a relocatable object file (copied) under a new resource tracker, so that its code
    /// and data can be freed on their own ([`Tracker::remove`]).
    pub fn add_object_tracked(
        self: &Rc<Session>,
        object: &[u8],
        name: &str,
    ) -> Result<Tracker, SessionError> {
        let cname = c_string(name);
        // SAFETY: the tracker belongs to our main JITDylib; the buffer copies `object` and
        // AddObjectFileWithRT takes it.
        unsafe {
            let rt = LLVMOrcJITDylibCreateResourceTracker(self.main_dylib());
            let tracker = Tracker { rt, session: Rc::clone(self) };
            let buf = llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy(
                object.as_ptr() as *const libc::c_char,
                object.len(),
                cname.as_ptr(),
            );
            check(LLVMOrcLLJITAddObjectFileWithRT(self.jit, rt, buf))?;
            Ok(tracker)
        }
    }

    /// The address of symbol `name`, linking what it needs first.
    pub fn lookup(&self, name: &str) -> Result<usize, SessionError> {
        let cname = c_string(name);
        let mut addr = 0;
        // SAFETY: a live LLJIT; `addr` receives the address.
        check(unsafe { LLVMOrcLLJITLookup(self.jit, &mut addr, cname.as_ptr()) })?;
        if addr == 0 {
            return Err(SessionError(format!("symbol `{name}` resolved to address 0")));
        }
        Ok(addr as usize)
    }
}

/// The code and data of objects added with [`Session::add_object_tracked`]. Dropping the
/// tracker keeps them (until the session is dropped); [`Tracker::remove`] frees them.
pub struct Tracker {
    rt: LLVMOrcResourceTrackerRef,
    // Dropped after `rt` is released: ORC's tracker refers to the session's JITDylib.
    session: Rc<Session>,
}

impl Tracker {
    /// Frees the tracked code and data and removes their symbols.
    ///
    /// # Safety
    /// No frame may still run in the code, and nothing may call it or read its data again.
    pub unsafe fn remove(self) -> Result<(), SessionError> {
        check(LLVMOrcResourceTrackerRemove(self.rt))
    }

    /// The session holding the code.
    pub fn session(&self) -> &Rc<Session> {
        &self.session
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        // SAFETY: our reference to a tracker of a live session (self.session keeps it alive).
        unsafe { LLVMOrcReleaseResourceTracker(self.rt) }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // SAFETY: the LLJIT is ours; no code of it runs any more (see the invariants).
        let err = unsafe { LLVMOrcDisposeLLJIT(self.jit) };
        if let Err(e) = check(err) {
            eprintln!("warning: disposing an LLJIT failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{configure_module, emit_object, host_machine, optimise, OptLevel};
    use inkwell::context::Context;

    extern "C" fn triple(x: i64) -> i64 {
        3 * x
    }

    /// Builds `i64 twice_triple_plus(i64 x) = 2 * triple(x) + strlen("abc")`, where `triple` is a
    /// Rust function (absolute symbol) and `strlen` comes from the process (libc).
    fn object(opt: OptLevel) -> Vec<u8> {
        let ctx = Context::create();
        let module = ctx.create_module("t");
        let tm = host_machine(opt);
        configure_module(&module, &tm);
        let i64t = ctx.i64_type();
        let ptr = ctx.ptr_type(Default::default());
        let triple = module.add_function("rust.triple", i64t.fn_type(&[i64t.into()], false), None);
        let strlen = module.add_function("strlen", i64t.fn_type(&[ptr.into()], false), None);
        let f = module.add_function("twice_triple_plus", i64t.fn_type(&[i64t.into()], false), None);
        let b = ctx.create_builder();
        b.position_at_end(ctx.append_basic_block(f, "entry"));
        let x = f.get_nth_param(0).unwrap().into_int_value();
        let t = b.build_call(triple, &[x.into()], "t").unwrap();
        let t = t.try_as_basic_value().unwrap_basic().into_int_value();
        let s = b.build_global_string_ptr("abc", "s").unwrap().as_pointer_value();
        let n = b.build_call(strlen, &[s.into()], "n").unwrap();
        let n = n.try_as_basic_value().unwrap_basic().into_int_value();
        let r = b.build_int_add(b.build_int_add(t, t, "").unwrap(), n, "").unwrap();
        b.build_return(Some(&r)).unwrap();
        module.verify().unwrap();
        optimise(&module, &tm, opt).unwrap();
        emit_object(&module, &tm).unwrap()
    }

    #[test]
    fn links_absolute_and_process_symbols_at_both_levels() {
        for opt in [OptLevel::O0, OptLevel::O2] {
            let s = Session::new().unwrap();
            s.define_absolute(&[("rust.triple".into(), triple as *const () as usize)]).unwrap();
            s.add_object(&object(opt), "t.o").unwrap();
            let f: extern "C" fn(i64) -> i64 =
                // SAFETY: the symbol is the function built above, with this signature.
                unsafe { std::mem::transmute(s.lookup("twice_triple_plus").unwrap()) };
            assert_eq!(f(7), 45);
        }
    }

    #[test]
    fn missing_symbols_and_duplicates_are_errors() {
        let s = Session::new().unwrap();
        assert!(s.lookup("no_such_symbol_anywhere").is_err());
        s.define_absolute(&[("dup".into(), 16)]).unwrap();
        assert!(s.define_absolute(&[("dup".into(), 32)]).is_err());
        assert_eq!(s.lookup("dup").unwrap(), 16);
        // An object needing a symbol nobody defines fails when it is linked.
        let s = Session::new().unwrap();
        s.add_object(&object(OptLevel::O0), "t.o").unwrap();
        assert!(s.lookup("twice_triple_plus").is_err());
    }

    #[test]
    fn sessions_are_independent_and_freed() {
        let obj = object(OptLevel::O0);
        for _ in 0..20 {
            let s = Session::new().unwrap();
            s.define_absolute(&[("rust.triple".into(), triple as *const () as usize)]).unwrap();
            s.add_object(&obj, "t.o").unwrap();
            let f: extern "C" fn(i64) -> i64 =
                // SAFETY: as above.
                unsafe { std::mem::transmute(s.lookup("twice_triple_plus").unwrap()) };
            assert_eq!(f(1), 9);
        }
    }
}
