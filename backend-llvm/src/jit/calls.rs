//! Calls into compiled code: the entry call and the runtime state around it (outermost or
//! nested, from a flexswitch hook), misses handed to the JIT's hook, and the errors a call
//! ends with (the program's, or the JIT's kept aside while compiled code unwinds by its
//! failure flag).

use super::{codegen, internal, Jit};
use crate::errors;
use crate::flexswitch::{Miss, MissAction};
use crate::runtime::{self, Installed};
use crate::stack;
use rpy_ir::externs;
use rpy_ir::gc::{self, RootBuf};
use rpy_ir::ir::GraphIdx;
use rpy_ir::runtime::uncaught::HostCall;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::Ty;
use std::sync::atomic::Ordering;
use timeshift::backend::Hook;
use timeshift::{BackendError, JitError, RunError, RunResult};

impl Jit {
    /// Calls the function at `func` (of graph `g`) through `entry`, handling the runtime state
    /// for an outermost or a nested call.
    fn enter(
        &self,
        g: GraphIdx,
        func: usize,
        entry: usize,
        args: &[RtValue],
    ) -> Result<RtValue, RunError> {
        let host = HostCall::enter();
        // Only the signature: no snapshot of the program is held while the code runs (code
        // compiled meanwhile changes the program; a snapshot would make every change copy it).
        let mut io = RootBuf::with_capacity(args.len() + 1);
        io.resize(args.len() + 1);
        let ret = {
            let inner = self.inner.borrow();
            let graph = &inner.program.graphs[g];
            graph.assert_arity(args.len());
            for (i, (a, &ty)) in args.iter().zip(&graph.params).enumerate() {
                io.set(i, self.translated.word_of_value(*a, ty, i, &graph.name));
            }
            graph.ret
        };
        // SAFETY: io has a word per argument and one for the result; the buffer is scanned by
        // the collector while the code runs.
        let io_words = unsafe { std::slice::from_raw_parts_mut(io.as_mut_ptr(), args.len() + 1) };
        self.run_words(g, func, entry, io_words)?;
        let value = Ok(self.translated.value_of_word(io.get(args.len()), ret));
        let inner = self.inner.borrow();
        let (t, name) = (&self.translated, &inner.program.graphs[g].name);
        Ok(host.finish(value, &inner.program, t.layout(), t.prebuilt_words(), name)?)
    }

    /// Calls the function at `func` (of graph `g`) through its entry wrapper `entry` with
    /// `io` (a word per argument, then one for the result, which it writes), setting up the
    /// runtime state for an outermost call or saving and restoring it around a nested one;
    /// the program's error, or the JIT's, if the code failed. `io` must be where the collector
    /// sees it (a scanned buffer, or the stack).
    pub(super) fn run_words(
        &self,
        g: GraphIdx,
        func: usize,
        entry: usize,
        io: &mut [u64],
    ) -> Result<(), RunError> {
        let st = self.translated.state;
        let outer = self.active.get() == 0;
        // SAFETY: the addresses are the live session's state globals.
        let saved = unsafe {
            if outer {
                gc::register_current_thread();
                *(st.failed as *mut u8) = 0;
                *(st.depth as *mut i64) = -1;
                *(st.words as *mut i64) = 0;
                *(st.stack_limit as *mut u64) = stack::limit_for_current_thread() as u64;
                runtime::clear_pending();
                self.error.borrow_mut().take();
                self.flex.take_errors();
                None
            } else {
                Some((*(st.depth as *const i64), *(st.words as *const i64)))
            }
        };
        self.active.set(self.active.get() + 1);
        // SAFETY: `entry` is the entry wrapper of `func`'s signature (and convention); io has
        // a word per argument and one for the result.
        unsafe {
            let wrapper: unsafe extern "C" fn(usize, *mut u64, *mut u64) =
                std::mem::transmute(entry);
            wrapper(func, io.as_mut_ptr(), io.as_mut_ptr().add(io.len() - 1));
        }
        self.active.set(self.active.get() - 1);
        // SAFETY: as above.
        let failed = unsafe {
            let failed = *(st.failed as *const u8) != 0;
            if let Some((depth, words)) = saved {
                *(st.failed as *mut u8) = 0;
                *(st.depth as *mut i64) = depth;
                *(st.words as *mut i64) = words;
            }
            failed
        };
        if outer {
            externs::flush_output();
        }
        if failed {
            if let Some(e) = self.error.borrow_mut().take() {
                runtime::clear_pending();
                return Err(e);
            }
            let Some(p) = runtime::take_pending() else {
                // A miss the flexswitch runtime could not hand to the JIT (a panic in the
                // handler, an invalid case): its errors say why.
                let why: Vec<String> =
                    self.flex.take_errors().iter().map(|e| e.to_string()).collect();
                return Err(RunError::Jit(internal(if why.is_empty() {
                    "compiled code failed without saying why".into()
                } else {
                    why.join("; ")
                })));
            };
            let (layout, max_depth) = (self.translated.layout(), self.translated.max_depth);
            // The program now: code compiled during the call may be the one that failed.
            let inner = self.inner.borrow();
            return Err(RunError::Program(errors::runtime_error(
                &inner.program,
                layout,
                &inner.sites,
                p,
                g,
                max_depth,
            )));
        }
        Ok(())
    }

    /// A miss at a flexswitch: the JIT's hook compiles the case and runs the rest of the call.
    pub(super) fn on_miss(
        &self,
        miss: &Miss<'_>,
        hook: Hook<GraphIdx>,
    ) -> Result<MissAction, String> {
        let n = miss.tag as u32;
        let value_ty = self.inner.borrow().switches[&n].value_ty;
        let mut args = Vec::with_capacity(miss.words.len() + 1);
        args.push(match value_ty {
            Ty::Bool => RtValue::Bool(miss.value != 0),
            Ty::Char => match u32::try_from(miss.value).ok().and_then(char::from_u32) {
                Some(c) => RtValue::Char(c),
                None => return Err(format!("flexswitch {n}: {} is no char", miss.value)),
            },
            Ty::Ref(_) => RtValue::Ref(miss.value as usize as *mut u8),
            _ => RtValue::Int(miss.value),
        });
        for (i, &w) in miss.words.iter().enumerate() {
            args.push(self.translated.value_of_word(w, miss.sig.params[i]));
        }
        // Compile the case and continue in it from the site (no Rust frame in between), or
        // run the rest of the call here when the value has no case of its own.
        let prepared = hook.prepare(n, &args).and_then(|case| match case {
            Some(case) => {
                self.flush().map_err(|e| codegen("compiling residual code", e))?;
                Ok(self.inner.borrow().code.slots.get(&case).map(|s| s.load(Ordering::Acquire)))
            }
            None => Ok(None),
        });
        match prepared {
            Ok(Some(addr)) if addr != 0 => return Ok(MissAction::Continue(addr)),
            Ok(_) => {}
            Err(e) => {
                let message = e.to_string();
                *self.error.borrow_mut() = Some(RunError::Jit(e));
                return Err(message);
            }
        }
        let ret = miss.sig.ret;
        match hook.run(n, &args) {
            Ok(v) => Ok(MissAction::Finish(match (v, ret) {
                (RtValue::Void, _) => 0,
                (v, ty) => self.translated.word_of_value(v, ty, 0, "the hook's result"),
            })),
            Err(e) => {
                let message = e.to_string();
                *self.error.borrow_mut() = Some(e);
                Err(message)
            }
        }
    }

    /// Calls residual code `code` with the JIT's `hook` answering its flexswitch misses (and
    /// its tier-ups asking for cases inline).
    pub(super) fn call(
        &self,
        code: &GraphIdx,
        args: &[RtValue],
        hook: Hook<GraphIdx>,
    ) -> RunResult {
        self.flush().map_err(|e| JitError::from(codegen("compiling residual code", e)))?;
        let (func, entry) = {
            let inner = self.inner.borrow();
            let func = inner.code.slots.get(code).map_or(0, |s| s.load(Ordering::Acquire));
            let no_code = |why: Option<&String>| {
                let why = why.cloned();
                JitError::from(BackendError::NoCode { graph: code.to_string(), why })
            };
            if func == 0 {
                return Err(no_code(None).into());
            }
            let sig = inner.program.graph_sig(*code);
            let Some(&entry) = inner.code.tail_entries.get(&sig) else {
                // Only a stub stands for it (its batch failed before its entry wrapper).
                return Err(no_code(inner.code.no_code.get(code)).into());
            };
            (func, entry)
        };
        let handler = |miss: &Miss<'_>| self.on_miss(miss, hook);
        let _installed = self.install_hook(hook);
        self.flex.with_handler(&handler, || self.enter(*code, func, entry, args))
    }

    /// Makes `hook` the JIT's hook until the guard is dropped (the previous one is then back,
    /// on unwinding too).
    pub(super) fn install_hook<'h>(
        &'h self,
        hook: Hook<'h, GraphIdx>,
    ) -> Installed<'h, Option<Hook<'static, GraphIdx>>> {
        // SAFETY: only the lifetime is erased; the guard puts the previous hook back before
        // `hook`'s borrow ends (it borrows `self` and lives no longer than `hook`), on
        // unwinding too, and the hook is only used while installed.
        let hook: Hook<'static, GraphIdx> = unsafe { std::mem::transmute(hook) };
        Installed::new(&self.hook, Some(hook))
    }

    /// Calls one of the translated interpreter's graphs.
    pub(super) fn call_interpreter(
        &self,
        graph: GraphIdx,
        args: &[RtValue],
    ) -> Result<RtValue, RunError> {
        let t = &self.translated;
        let sig = t.program().graph_sig(graph);
        let (func, entry) = (t.funcs[graph.as_u32() as usize], t.entries[sig.as_u32() as usize]);
        self.enter(graph, func, entry, args)
    }
}
