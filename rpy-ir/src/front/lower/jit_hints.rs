//! What an RPy program tells the JIT outside `hint(...)` calls: function decorators and
//! quasi-immutable fields.
//!
//! - `@elidable` and `@dont_look_inside` on a `def` set the graph's [`FuncFlags`] (printed in
//!   the IR text after the graph's signature). An elidable function must return a value; a
//!   function is not both. Unknown and repeated decorators are errors at the decorator.
//!   `@always_inline` and `@dont_inline` (RPython's names) are for the translator, not the
//!   JIT: LLVM inlines the function everywhere, or never (and takes its calls as rare); a
//!   function is not both. The container prelude uses them on its fast and slow paths.
//!   `@in_bounds` ([`FuncFlags::in_bounds`]: no null or bounds tests on the function's array
//!   accesses in translated code) is the prelude's alone: elsewhere it is an error, as is an
//!   assignment to a container's fields (`l.length = 5` would break the invariant it
//!   relies on, `front/lower/containers.rs`). So is `@unroll_safe`
//!   ([`FuncFlags::unroll_safe`]: the JIT unrolls the function's loops while their counters
//!   are constants, as `dict_find`'s probe loop over a frozen dict).
//! - `name: type quasi` in a struct marks the field quasi-immutable
//!   ([`crate::types::TypeTable::set_quasi_immutable`]): it may change, rarely. Every store to
//!   it (not the initial stores of a struct construction: a new object has no compiled code
//!   relying on it) is followed by the write hook, the extern `jit_quasi_invalidate(address,
//!   field)`, which discards the compiled code that read the field as a constant
//!   ([`crate::runtime::quasi`]). A field of an immutable struct cannot be quasi-immutable
//!   (it never changes at all).

use super::func::FnCx;
use super::{Global, ModuleCx};
use crate::front::ast::{FuncDecl, Item, Module};
use crate::ir::{Aux, Const, FuncFlags, Value};
use crate::ops::Opcode;
use crate::span::{Diagnostic, Span};
use crate::types::{HeapTypeIdx, Ty};

use crate::runtime::quasi::WRITE_HOOK as QUASI_WRITE_HOOK;

impl ModuleCx {
    /// The flags of a function's decorators, each misuse a located error.
    pub(super) fn func_flags(&mut self, f: &FuncDecl) -> FuncFlags {
        self.func_flags_in(f, false)
    }

    /// The flags of a function's decorators; `@in_bounds` (which lets the translator drop
    /// array checks) only in the container prelude (`prelude`).
    pub(super) fn func_flags_in(&mut self, f: &FuncDecl, prelude: bool) -> FuncFlags {
        let mut flags = FuncFlags::default();
        for (name, span) in &f.decorators {
            if name == "in_bounds" && !prelude {
                let msg = "'@in_bounds' is reserved to the container prelude (it removes \
                           the array checks the function's own tests are trusted to make)";
                self.errors.push(Diagnostic::new(*span, msg));
            } else if name == "unroll_safe" && !prelude {
                let msg = "'@unroll_safe' is reserved to the container prelude (it makes the \
                           JIT unroll the function's loops, trusted to end after a few \
                           iterations)";
                self.errors.push(Diagnostic::new(*span, msg));
            } else if flags.names().contains(&name.as_str()) {
                let msg = format!("duplicate decorator '@{name}'");
                self.errors.push(Diagnostic::new(*span, msg));
            } else if !flags.set(name) {
                let msg = format!(
                    "unknown decorator '@{name}' (expected @elidable, \
                     @dont_look_inside, @always_inline or @dont_inline)"
                );
                self.errors.push(Diagnostic::new(*span, msg));
            }
        }
        let at = |n: &str| f.decorators.iter().find(|(d, _)| d == n).map(|d| d.1);
        if flags.elidable && flags.dont_look_inside {
            let span = at("dont_look_inside").unwrap_or(f.span);
            let msg = "a function cannot be both @elidable and @dont_look_inside";
            self.errors.push(Diagnostic::new(span, msg));
        }
        if flags.always_inline && flags.dont_inline {
            let span = at("dont_inline").unwrap_or(f.span);
            let msg = "a function cannot be both @always_inline and @dont_inline";
            self.errors.push(Diagnostic::new(span, msg));
        }
        if flags.elidable && f.ret.is_none() {
            let span = at("elidable").unwrap_or(f.span);
            let msg = format!(
                "@elidable function '{}' must return a value (an elidable call \
                 is worth only its result)",
                f.name
            );
            self.errors.push(Diagnostic::new(span, msg));
        }
        flags
    }

    /// Sets each function's and method's flags from its decorators and marks the
    /// quasi-immutable fields; misuse is reported at the decorator or the marker.
    pub(super) fn jit_annotations(&mut self, module: &Module) {
        for item in &module.items {
            match item {
                Item::Func(f) => {
                    let flags = self.func_flags(f);
                    if let Some(&Global::Func(g)) = self.globals.get(&f.name) {
                        self.program.graphs[g].flags = flags;
                    }
                }
                Item::Struct(s) => {
                    for m in &s.methods {
                        let flags = self.func_flags(m);
                        if let Some(g) = self.method_graph(&s.name, m) {
                            self.program.graphs[g].flags = flags;
                        }
                    }
                    let Some(&Global::Struct(id)) = self.globals.get(&s.name) else { continue };
                    for (field, span) in &s.quasi {
                        if s.immutable {
                            let msg = format!(
                                "field '{field}' of immutable struct '{}' cannot be \
                                 quasi-immutable: it never changes",
                                s.name
                            );
                            self.errors.push(Diagnostic::new(*span, msg));
                            continue;
                        }
                        let def = self.program.types.struct_def(id);
                        let own = def.fields.get(def.own_start..).unwrap_or(&[]);
                        if let Some(i) = own.iter().position(|f| &f.name == field) {
                            let idx = (def.own_start + i) as u32;
                            self.program.types.set_quasi_immutable(id, idx);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

impl FnCx<'_> {
    /// After a store to field `idx` of struct `st` through `p`: the write hook, if the field
    /// is quasi-immutable.
    pub(super) fn quasi_write_hook(&mut self, p: Value, st: HeapTypeIdx, idx: u32, span: Span) {
        if !self.cx.program.types.field_is_quasi_immutable(st, idx) {
            return;
        }
        let addr = self.emit(Opcode::CastPtrToInt, vec![p], Aux::None, Ty::Int, span);
        let addr = Value::Var(addr.expect("a cast has a result"));
        let field = Value::Const(Const::Int(idx as i64));
        let aux = Aux::Extern(QUASI_WRITE_HOOK.to_string());
        self.emit(Opcode::CallExtern, vec![addr, field], aux, Ty::Void, span);
    }
}
