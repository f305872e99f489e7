//! An exception that leaves the host's call: the one check every execution mode makes after
//! a host calls an RPy graph.
//!
//! RPy exceptions are lowered by the front end (`front/lower/exceptions.rs`): a raised
//! exception that nothing catches is left in the field of the program's exception-state object
//! ([`crate::ir::Program::exc_state`]) and the outermost graph returns a dummy value. The host
//! turns that into a [`RuntimeErrorKind::Uncaught`] error reading `Class: message` (or just
//! `Class` for an empty message), and clears the state so the next call starts with none
//! pending (the front end's invariant).
//!
//! Only the outermost host call checks: a mode may run graphs inside another run (the JIT's
//! hooks run interpreter graphs and compiled code while residual code waits), and an exception
//! pending when such an inner run returns belongs to the code that called it. [`HostCall`]
//! counts the nesting per thread (all of one run's calls happen on its thread, or on a helper
//! thread while it waits: see [`HostCall::enter`]).

use super::error::{RuntimeError, RuntimeErrorKind};
use super::heap::{str_text, Heap, Object};
use super::RtValue;
use crate::ir::{Prebuilt, Program};
use crate::layout::Layout;
use crate::span::Span;
use crate::types::Ty;
use std::cell::Cell;

thread_local! {
    /// Host calls in progress on this thread.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// A host call in progress (a guard: dropping it ends the call).
#[derive(Debug)]
pub struct HostCall {
    outermost: bool,
}

impl HostCall {
    /// Starts a call; it is the outermost one unless another is in progress on this thread.
    /// A mode that runs the code on another thread enters here, on the caller's thread, and
    /// checks there after the run; calls nested inside the run on the helper thread are then
    /// outermost there, which only matters if they return with an exception pending, and
    /// that happens only for an exception propagating out of the whole run (nested runs
    /// are continuations of it), so their check gives the same error.
    pub fn enter() -> HostCall {
        let outermost = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get() == 1
        });
        HostCall { outermost }
    }

    /// `result` of the call, or the uncaught exception if this is the outermost call and one
    /// is pending (read through `prebuilt`, the run's prebuilt object addresses by index).
    pub fn finish(
        &self,
        result: Result<RtValue, RuntimeError>,
        program: &Program,
        layout: &Layout,
        prebuilt: &[u64],
        graph: &str,
    ) -> Result<RtValue, RuntimeError> {
        let value = result?;
        if !self.outermost {
            return Ok(value);
        }
        match take_uncaught(program, layout, prebuilt) {
            Some(message) => Err(RuntimeError {
                kind: RuntimeErrorKind::Uncaught,
                span: Span::UNKNOWN,
                message,
                graph: graph.to_string(),
            }),
            None => Ok(value),
        }
    }
}

impl Drop for HostCall {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get() - 1));
    }
}

/// The pending exception as `Class: message`, clearing it; `None` if none is pending (or the
/// program has no exceptions).
pub fn take_uncaught(program: &Program, layout: &Layout, prebuilt: &[u64]) -> Option<String> {
    let p = program.exc_state?;
    let Prebuilt::Struct(state_ty, _) = &program.prebuilt[p] else { return None };
    let heap = Heap::new(layout, &program.types);
    let state = RtValue::Ref(*prebuilt.get(p.as_u32() as usize)? as usize as *mut u8);
    let exc = heap.read_field(state, *state_ty, 0).ok()?;
    let obj = Object::of(exc)?;
    let Ty::Ref(root) = program.types.struct_def(*state_ty).fields[0].ty else { return None };
    let class = obj
        .heap_type(layout)
        .map_or_else(|| "?".to_string(), |t| program.types.display(Ty::Ref(t)).to_string());
    let message = heap.read_field(exc, root, 0).ok().and_then(str_text).unwrap_or_default();
    let null = RtValue::Ref(std::ptr::null_mut());
    heap.write_field(state, *state_ty, 0, null).expect("the state's field holds an exception");
    Some(if message.is_empty() { class } else { format!("{class}: {message}") })
}
