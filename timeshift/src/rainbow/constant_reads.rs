//! Reads of immutable data through a red box that holds a constant pointer, made now.
//!
//! A green pointer stored into a frame slot and read back (an interpreter's constant pushed on
//! its value stack: `LOAD_CONST` then `BINARY_ADD`) comes back as a red box holding the
//! constant (`RedBox::Const(Const::Ptr(..))`). The analysis coloured the cast and the field
//! read on it red, so the green rules do not fold them; but the object is a run-time object
//! the engine met while specialising, and what it reads cannot change: a `cast` of it (the
//! class check succeeds now, so it does forever) and a `getfield` of an immutable struct's
//! field. Both are read from memory now (`crate::heap::read`) and become constants. A
//! quasi-immutable field is not read here (`quasi.rs` records the dependency first); a
//! mutable field or array is never read at compile time.

use super::Compiler;
use crate::state::{JitState, RedBox};
use rpy_ir::ir::{Aux, Const, OpData};
use rpy_ir::ops::Opcode;

impl Compiler<'_> {
    /// Folds `od` when it is a `cast` of a constant run-time object, or a read of an
    /// immutable struct's field of one; false otherwise.
    pub(super) fn constant_read(&self, st: &mut JitState, od: &OpData, boxes: &[RedBox]) -> bool {
        let types = &self.program.types;
        let unchanging = match (od.opcode, &od.aux) {
            (Opcode::Cast, Aux::Type(_)) => true,
            (Opcode::GetField, Aux::Field(t, idx)) => types
                .as_struct(*t)
                .is_some_and(|s| s.immutable && !types.field_is_quasi_immutable(*t, *idx)),
            _ => false,
        };
        if !unchanging {
            return false;
        }
        let Some(RedBox::Const(c @ Const::Ptr(..))) = boxes.first().map(|b| st.resolve(*b)) else {
            return false;
        };
        let layout = self.folder.layout();
        match crate::heap::read(layout, types, od.opcode, &od.aux, &[c]) {
            Some(v) => {
                self.set_red(st, od.result, RedBox::Const(v));
                true
            }
            None => false,
        }
    }
}
