//! Virtualizable structs: an interpreter's frame whose fields and array items the JIT keeps
//! in registers (PyPy's virtualizables), as the type table records them, and the effects
//! analysis saying which graphs may touch them.
//!
//! Vocabulary: a *virtualizable* struct names some of its fields as *virtualized*; a
//! virtualized field is either a plain field (`depth`: its value is kept by the JIT) or an
//! *items* field (`locals[*]`: an array field whose items are kept; the array pointer itself
//! is fixed once the frame is made). A graph *accesses* virtualizables when it (or anything it
//! calls, transitively) reads or writes a virtualized field of a virtualizable struct or an
//! item of an array whose type is that of an items field, calls through a function pointer,
//! or passes such an object to an extern.
//!
//! Invariants (checked by the verifier, [`check_def`]): a virtualizable struct has no parent
//! and no child, is mutable, and names each of its virtualized fields once; an items field
//! has a mutable array type. The RPy front end checks too (with located errors) that an items
//! field is set only on a frame allocated in the same function, to an array allocated there
//! that no other items field holds: so the JIT may take a frame's arrays as fixed for the
//! frame's life, and the arrays of two different items fields as distinct objects.
//!
//! RPy syntax: `struct Frame virtualizable(depth, locals[*], stack[*]):`.

use crate::ir::{Aux, GraphIdx, Program, Value};
use crate::ops::Opcode;
use crate::types::{HeapType, HeapTypeIdx, Ty, TypeTable};
use cranelift_entity::SecondaryMap;
use std::collections::BTreeSet;

/// One virtualized field of a virtualizable struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VirtualizedField {
    /// The field's index in the struct.
    pub index: u32,
    /// Whether the field is an array whose items are virtualized (`name[*]`); else the
    /// field's own value is.
    pub items: bool,
}

/// What a virtualizable struct virtualizes, in declaration order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VirtualizableDef {
    /// The virtualized fields.
    pub fields: Vec<VirtualizedField>,
}

impl TypeTable {
    /// Marks struct `t` virtualizable with these virtualized fields (checked by the verifier:
    /// [`check_def`]).
    pub fn set_virtualizable(&mut self, t: HeapTypeIdx, def: VirtualizableDef) {
        self.virtualizables.insert(t, def);
    }

    /// What struct `t` virtualizes, if it is virtualizable.
    pub fn virtualizable(&self, t: HeapTypeIdx) -> Option<&VirtualizableDef> {
        self.virtualizables.get(&t)
    }

    /// Every virtualizable struct, in type order.
    pub fn virtualizables(&self) -> impl Iterator<Item = (HeapTypeIdx, &VirtualizableDef)> {
        self.virtualizables.iter().map(|(t, d)| (*t, d))
    }

    /// Whether field `f` of struct `t` is virtualized, and how (`Some(true)`: its items).
    pub fn virtualized_field(&self, t: HeapTypeIdx, f: u32) -> Option<bool> {
        let def = self.virtualizables.get(&t)?;
        def.fields.iter().find(|v| v.index == f).map(|v| v.items)
    }

    /// The array types of every items field of every virtualizable struct.
    pub fn virtualized_array_types(&self) -> BTreeSet<HeapTypeIdx> {
        let mut out = BTreeSet::new();
        for (t, def) in &self.virtualizables {
            for v in def.fields.iter().filter(|v| v.items) {
                if let Some(Ty::Ref(a)) = self.as_struct(*t).map(|s| s.fields[v.index as usize].ty)
                {
                    out.insert(a);
                }
            }
        }
        out
    }
}

/// Checks a virtualizable declaration against the type table: the reason it is wrong.
pub fn check_def(types: &TypeTable, t: HeapTypeIdx, def: &VirtualizableDef) -> Result<(), String> {
    let Some(s) = types.as_struct(t) else { return Err("not a struct".into()) };
    if s.parent.is_some() {
        return Err("a virtualizable struct cannot have a parent".into());
    }
    if s.immutable {
        return Err("a virtualizable struct cannot be immutable".into());
    }
    let child = types.heap_types().find_map(|(_, h)| match h {
        HeapType::Struct(cs) if cs.parent == Some(t) => Some(cs.name.clone()),
        _ => None,
    });
    if let Some(child) = child {
        return Err(format!("struct `{child}` inherits from it"));
    }
    if def.fields.is_empty() {
        return Err("it virtualizes no field".into());
    }
    for (i, v) in def.fields.iter().enumerate() {
        let Some(f) = s.fields.get(v.index as usize) else {
            return Err(format!("field number {} does not exist", v.index));
        };
        if def.fields[..i].iter().any(|w| w.index == v.index) {
            return Err(format!("field `{}` is named twice", f.name));
        }
        if v.items {
            match f.ty {
                Ty::Ref(a) if types.as_array(a).is_some_and(|a| !a.immutable) => {}
                _ => return Err(format!("field `{}` is not a mutable array", f.name)),
            }
        }
    }
    Ok(())
}

/// Which graphs may access virtualizables (see the module header), computed once per program
/// to a fixed point over the call graph.
#[derive(Clone, Debug, Default)]
pub struct VirtualizableAccess {
    may_access: SecondaryMap<GraphIdx, bool>,
}

impl VirtualizableAccess {
    /// The analysis of `program` (nothing accesses anything when it has no virtualizable).
    pub fn compute(program: &Program) -> VirtualizableAccess {
        let types = &program.types;
        let mut may_access = SecondaryMap::new();
        if types.virtualizables.is_empty() {
            return VirtualizableAccess { may_access };
        }
        let arrays = types.virtualized_array_types();
        let vable_ty = |ty: Ty| match ty {
            Ty::Ref(t) => types.virtualizable(t).is_some() || arrays.contains(&t),
            _ => false,
        };
        // Direct accesses, and the call graph's reverse edges.
        let mut callers: SecondaryMap<GraphIdx, Vec<GraphIdx>> = SecondaryMap::new();
        let mut work = Vec::new();
        for (g, graph) in program.graphs.iter() {
            let mut direct = false;
            for block in graph.blocks.values() {
                for &op in &block.ops {
                    let od = &graph.ops[op];
                    direct |= match (od.opcode, &od.aux) {
                        (Opcode::GetField | Opcode::SetField, Aux::Field(t, f)) => {
                            types.virtualized_field(*t, *f).is_some()
                        }
                        (Opcode::GetArrayItem | Opcode::SetArrayItem, Aux::Array(a)) => {
                            arrays.contains(a)
                        }
                        (Opcode::CallIndirect, _) => true,
                        (Opcode::CallExtern, _) => {
                            od.args.iter().any(|a| vable_ty(graph.value_ty(*a, program)))
                        }
                        (Opcode::Call, Aux::Graph(callee)) => {
                            callers[*callee].push(g);
                            false
                        }
                        _ => false,
                    };
                }
            }
            if direct {
                may_access[g] = true;
                work.push(g);
            }
        }
        while let Some(g) = work.pop() {
            for &c in &callers[g].clone() {
                if !may_access[c] {
                    may_access[c] = true;
                    work.push(c);
                }
            }
        }
        VirtualizableAccess { may_access }
    }

    /// Whether graph `g` (or anything it calls) may read or write a virtualized field or item.
    pub fn may_access(&self, g: GraphIdx) -> bool {
        self.may_access[g]
    }

    /// Whether an op may access virtualizables when it runs as a residual op (a call of a
    /// graph that may, an indirect call, an extern given a virtualizable or its array).
    pub fn op_may_access(
        &self,
        program: &Program,
        graph: &crate::ir::Graph,
        op: &crate::ir::OpData,
    ) -> bool {
        if program.types.virtualizables.is_empty() {
            return false;
        }
        match (op.opcode, &op.aux) {
            (Opcode::Call, Aux::Graph(g)) => self.may_access(*g),
            (Opcode::CallExtern, _) => {
                let arrays = program.types.virtualized_array_types();
                op.args.iter().any(|a: &Value| match graph.value_ty(*a, program) {
                    Ty::Ref(t) => program.types.virtualizable(t).is_some() || arrays.contains(&t),
                    _ => false,
                })
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests;
