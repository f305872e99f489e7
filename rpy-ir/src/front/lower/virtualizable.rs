//! `struct Frame virtualizable(depth, locals[*]):` — checking a virtualizable declaration
//! and recording it in the type table ([`crate::virtualizable`]), and checking, once every
//! function is lowered, that an items field (`locals[*]`) is set only on a frame allocated in
//! the same function, to an array allocated there that no other items field holds (the JIT
//! takes a frame's arrays as fixed, and two items fields as never holding one array).
//!
//! Every misuse is a located error: a parent, a child, `immutable`, an unknown or repeated
//! field, `[*]` on a field that is not a mutable array, an empty list, a store of an items
//! field into a frame the function did not allocate, or of an array not made there or held
//! by another items field.

use super::ModuleCx;
use crate::front::ast::StructDecl;
use crate::ir::{Aux, Value};
use crate::ops::Opcode;
use crate::span::Diagnostic;
use crate::types::{HeapTypeIdx, Ty};
use crate::virtualizable::{VirtualizableDef, VirtualizedField};
use std::collections::HashSet;

impl ModuleCx {
    /// Records the virtualizable declarations of the structs `decls` (declared as `ids`),
    /// once every struct's fields are set.
    pub(super) fn declare_virtualizables(
        &mut self,
        decls: &[&StructDecl],
        ids: &[Option<HeapTypeIdx>],
    ) {
        for (decl, id) in decls.iter().zip(ids) {
            let (Some(id), Some(clause)) = (*id, &decl.virtualizable) else { continue };
            if let Err(e) = self.virtualizable_def(decl, id, &clause.fields, clause.span) {
                self.errors.push(e);
            }
        }
        // A child of a virtualizable struct (its frames could not be told from the child's).
        for (decl, id) in decls.iter().zip(ids) {
            let (Some(id), Some((_, pspan))) = (*id, &decl.parent) else { continue };
            let types = &self.program.types;
            let Some(p) = types.struct_def(id).parent else { continue };
            if types.virtualizable(p).is_some() || parent_declared_virtualizable(decls, ids, p) {
                self.errors.push(Diagnostic::new(
                    *pspan,
                    format!(
                        "struct '{}' cannot inherit from the virtualizable struct '{}'",
                        decl.name,
                        types.struct_def(p).name
                    ),
                ));
            }
        }
    }

    /// The checked declaration of struct `id`, recorded in the type table.
    fn virtualizable_def(
        &mut self,
        decl: &StructDecl,
        id: HeapTypeIdx,
        names: &[(String, bool, crate::span::Span)],
        span: crate::span::Span,
    ) -> Result<(), Diagnostic> {
        let types = &self.program.types;
        let s = types.struct_def(id);
        if let Some((_, pspan)) = &decl.parent {
            let msg = format!("virtualizable struct '{}' cannot have a parent", decl.name);
            return Err(Diagnostic::new(*pspan, msg));
        }
        if decl.immutable {
            let msg = format!("virtualizable struct '{}' cannot be immutable", decl.name);
            return Err(Diagnostic::new(span, msg));
        }
        if names.is_empty() {
            return Err(Diagnostic::new(span, "virtualizable(...) names no field"));
        }
        let mut fields = Vec::new();
        let mut seen = HashSet::new();
        for (name, items, fspan) in names {
            let Some(index) = s.field_index(name) else {
                let msg = format!("'{name}' is not a field of struct '{}'", decl.name);
                return Err(Diagnostic::new(*fspan, msg));
            };
            if !seen.insert(index) {
                let msg = format!("field '{name}' is named twice in virtualizable(...)");
                return Err(Diagnostic::new(*fspan, msg));
            }
            let ty = s.fields[index as usize].ty;
            let array = match ty {
                Ty::Ref(a) => types.as_array(a),
                _ => None,
            };
            if *items && array.is_none_or(|a| a.immutable) {
                let msg = format!(
                    "'{name}[*]': field '{name}' has type {}, not a mutable array",
                    types.display(ty)
                );
                return Err(Diagnostic::new(*fspan, msg));
            }
            fields.push(VirtualizedField { index, items: *items });
        }
        self.program.types.set_virtualizable(id, VirtualizableDef { fields });
        Ok(())
    }

    /// Every store of an items field must go to a frame allocated (`malloc`) in the same
    /// function, of an array allocated (`array[T](n)`) in the same block and stored in no
    /// other items field: then two items fields never hold one array, which the JIT relies
    /// on (a frame's locals and its stack are not aliases). Elsewhere the error is at the store.
    pub(super) fn check_virtualized_array_stores(&mut self) {
        let types = &self.program.types;
        if types.virtualizables().next().is_none() {
            return;
        }
        for graph in self.program.graphs.values() {
            let made: HashSet<Value> = graph
                .ops
                .values()
                .filter(|od| od.opcode == Opcode::Malloc)
                .filter_map(|od| od.result.map(Value::Var))
                .collect();
            let mut stored = HashSet::new();
            for block in graph.blocks.values() {
                let arrays: HashSet<Value> = block
                    .ops
                    .iter()
                    .map(|op| &graph.ops[*op])
                    .filter(|od| od.opcode == Opcode::MallocArray)
                    .filter_map(|od| od.result.map(Value::Var))
                    .collect();
                for &op in &block.ops {
                    let od = &graph.ops[op];
                    let (Opcode::SetField, Aux::Field(t, f)) = (od.opcode, &od.aux) else {
                        continue;
                    };
                    if types.virtualized_field(*t, *f) != Some(true) {
                        continue;
                    }
                    let s = types.struct_def(*t);
                    let field = &s.fields[*f as usize].name;
                    let msg = if !made.contains(&od.args[0]) {
                        format!(
                            "field '{field}' of virtualizable struct '{}' holds virtualized \
                             items: it can only be set on a '{}' made in the same function",
                            s.name, s.name
                        )
                    } else if !arrays.contains(&od.args[1]) || !stored.insert(od.args[1]) {
                        format!(
                            "virtualized items field '{field}' must be set to an array made \
                             there (as in '{}({field}=array[...](n))'), which no other \
                             virtualized items field holds",
                            s.name
                        )
                    } else {
                        continue;
                    };
                    self.errors.push(Diagnostic::new(od.span, msg));
                }
            }
        }
    }
}

/// Whether struct `p` is declared virtualizable among `decls` (even if its declaration had
/// an error and was not recorded).
fn parent_declared_virtualizable(
    decls: &[&StructDecl],
    ids: &[Option<HeapTypeIdx>],
    p: HeapTypeIdx,
) -> bool {
    decls.iter().zip(ids).any(|(d, id)| *id == Some(p) && d.virtualizable.is_some())
}
