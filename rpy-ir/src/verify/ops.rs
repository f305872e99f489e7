//! Op checks: operand and result types from the op table and the op's aux data.

use super::{Ctx, Verifier};
use crate::externs;
use crate::ir::{Aux, Const, OpIdx, Value};
use crate::ops::{Opcode, TyClass};
use crate::text::AuxKind;
use crate::types::Ty;

/// A type class as named in messages.
fn class_name(c: TyClass) -> &'static str {
    match c {
        TyClass::I => "int",
        TyClass::F => "float",
        TyClass::B => "bool",
        TyClass::C => "char",
        TyClass::R => "a GC pointer",
        TyClass::P => "a pointer",
        TyClass::Any => "any value",
        TyClass::V => "void",
        TyClass::Dyn => "(aux-dependent)",
    }
}

impl Verifier<'_> {
    pub(super) fn check_op(&mut self, op_idx: OpIdx) {
        let g = self.graph;
        let op = &g.ops[op_idx];
        let ctx = Ctx::Op(op_idx);
        let name = op.opcode.info().name;
        let expected = AuxKind::expected(op.opcode);
        if AuxKind::of(&op.aux) != expected {
            let message = format!(
                "`{name}` needs {} aux data, found {}",
                expected.keyword(),
                AuxKind::of(&op.aux).keyword()
            );
            return self.err(op_idx, ctx, message);
        }
        let tys: Vec<Option<Ty>> = op.args.iter().map(|a| self.value_ty(*a, ctx, op_idx)).collect();
        let view = self.printer.view();
        // Each arm gives the expected operand types (None: checked by the arm) and result type.
        let (operands, result): (Vec<Option<Ty>>, Option<Ty>) = match (op.opcode, &op.aux) {
            (Opcode::Malloc, Aux::Type(t)) => match view.struct_def(*t) {
                Some(_) => (vec![], Some(Ty::Ref(*t))),
                None => {
                    return self.err(
                        op_idx,
                        ctx,
                        format!("malloc of non-struct type {}", self.ty_name(Ty::Ref(*t))),
                    )
                }
            },
            (Opcode::MallocArray, Aux::Type(t)) => match view.array_def(*t) {
                Some(_) => (vec![Some(Ty::Int)], Some(Ty::Ref(*t))),
                None => {
                    let message =
                        format!("malloc_array of non-array type {}", self.ty_name(Ty::Ref(*t)));
                    return self.err(op_idx, ctx, message);
                }
            },
            (Opcode::GetField | Opcode::SetField, Aux::Field(s, i)) => {
                let Some(def) = view.struct_def(*s) else {
                    return self.err(
                        op_idx,
                        ctx,
                        format!("{name} on non-struct type {}", self.ty_name(Ty::Ref(*s))),
                    );
                };
                let Some(field) = def.fields.get(*i as usize) else {
                    let message = format!(
                        "field index {i} out of range for {} ({} fields)",
                        def.name,
                        def.fields.len()
                    );
                    return self.err(op_idx, ctx, message);
                };
                if op.opcode == Opcode::GetField {
                    (vec![Some(Ty::Ref(*s))], Some(field.ty))
                } else {
                    (vec![Some(Ty::Ref(*s)), Some(field.ty)], Some(Ty::Void))
                }
            }
            (Opcode::GetArrayItem | Opcode::SetArrayItem, Aux::Array(a)) => {
                let Some(def) = view.array_def(*a) else {
                    return self.err(
                        op_idx,
                        ctx,
                        format!("{name} on non-array type {}", self.ty_name(Ty::Ref(*a))),
                    );
                };
                if op.opcode == Opcode::GetArrayItem {
                    (vec![Some(Ty::Ref(*a)), Some(Ty::Int)], Some(def.elem))
                } else {
                    (vec![Some(Ty::Ref(*a)), Some(Ty::Int), Some(def.elem)], Some(Ty::Void))
                }
            }
            (Opcode::InstanceOf | Opcode::Cast, Aux::Type(t)) if view.heap(*t).is_none() => {
                return self.err(op_idx, ctx, format!("type {t} does not exist"));
            }
            (Opcode::Cast, Aux::Type(t)) => (vec![None], Some(Ty::Ref(*t))),
            (Opcode::Call, Aux::Graph(callee)) => match view.graph(*callee) {
                Some(c) => (c.params.iter().map(|t| Some(*t)).collect(), Some(c.ret)),
                None => return self.err(op_idx, ctx, format!("callee {callee} does not exist")),
            },
            (Opcode::CallIndirect, Aux::Sig(s)) => match view.sig(*s) {
                Some(sig) => {
                    let params = std::iter::once(Ty::Func(*s)).chain(sig.params.iter().copied());
                    (params.map(Some).collect(), Some(sig.ret))
                }
                None => return self.err(op_idx, ctx, format!("signature {s} does not exist")),
            },
            (Opcode::CallExtern, Aux::Extern(e)) => match externs::lookup(e) {
                Some(def) => {
                    // An array type the program lacks matches no operand (void never does).
                    let ty = |t: externs::ExternTy| {
                        Some(t.ty_in(&view.program.types).unwrap_or(Ty::Void))
                    };
                    (def.params.iter().map(|&p| ty(p)).collect(), ty(def.ret))
                }
                None => return self.err(op_idx, ctx, format!("unknown extern `{e}`")),
            },
            (Opcode::JitHook, Aux::Hook(_)) => {
                // Operands of any types; the result, if any, of whatever non-void type the
                // op names (the JIT returns it).
                let result = match op.result {
                    None => Some(Ty::Void),
                    Some(r) => g.vars.get(r).map(|d| d.ty),
                };
                if let (Some(r), Some(Ty::Void)) = (op.result, result) {
                    return self.err(op_idx, ctx, format!("result {r} of `{name}` has type void"));
                }
                (vec![None; op.args.len()], result)
            }
            (Opcode::JitMerge, Aux::Hook(greens)) => {
                // Operands of any types: the green key first, then the red values.
                if *greens as usize > op.args.len() {
                    return self.err(
                        op_idx,
                        ctx,
                        format!("{greens} greens of {} operands", op.args.len()),
                    );
                }
                (vec![None; op.args.len()], Some(Ty::Void))
            }
            (Opcode::Hint, Aux::Hint(f)) if f.global_merge_point => (vec![], Some(Ty::Void)),
            (Opcode::Hint, _) => (vec![None], tys.first().copied().flatten()),
            _ => {
                let info = op.opcode.info();
                let result = match info.result {
                    TyClass::I => Some(Ty::Int),
                    TyClass::F => Some(Ty::Float),
                    TyClass::B => Some(Ty::Bool),
                    TyClass::C => Some(Ty::Char),
                    TyClass::V => Some(Ty::Void),
                    _ => tys.first().copied().flatten(),
                };
                (info.operands.iter().map(|_| None).collect(), result)
            }
        };
        if operands.len() != op.args.len() {
            let message =
                format!("`{name}` takes {} operand(s), got {}", operands.len(), op.args.len());
            return self.err(op_idx, ctx, message);
        }
        let classes = op.opcode.info().operands;
        for (i, (want, have)) in operands.iter().zip(&tys).enumerate() {
            let Some(have) = *have else { continue };
            let (ok, want_name) = match want {
                Some(w) => (self.printer.view().assignable(have, *w), self.ty_name(*w)),
                None => {
                    let class = match classes.get(i) {
                        Some(TyClass::Dyn) | None => TyClass::Any,
                        Some(c) => *c,
                    };
                    (class_ok(class, have), class_name(class).to_string())
                }
            };
            if !ok {
                let message = match op.opcode {
                    Opcode::Call => format!(
                        "argument {} of call must be {want_name}, found {}",
                        i + 1,
                        self.ty_name(have)
                    ),
                    _ => format!(
                        "operand {} of `{name}` must be {want_name}, found {}",
                        i + 1,
                        self.ty_name(have)
                    ),
                };
                self.err(op_idx, ctx, message);
            }
        }
        if op.opcode == Opcode::ArrayLen
            && matches!(tys[0], Some(Ty::Ref(t)) if self.printer.view().array_def(t).is_none())
        {
            self.err(op_idx, ctx, "arraylen of a non-array");
        }
        if classes == [TyClass::P, TyClass::P] {
            self.check_pointer_pair(op_idx, [op.args[0], op.args[1]], [tys[0], tys[1]]);
        }
        if let Some(result) = result {
            self.check_result(op_idx, result);
        }
    }

    /// Both operands of `ptr_eq`/`ptr_ne` must be comparable pointers.
    fn check_pointer_pair(&mut self, op_idx: OpIdx, args: [Value; 2], tys: [Option<Ty>; 2]) {
        let [Some(a), Some(b)] = tys else { return };
        let view = self.printer.view();
        let is_null = |v: Value| matches!(v, Value::Const(Const::Null(_)));
        let ok = match (a, b) {
            (Ty::Ref(x), Ty::Ref(y)) => {
                view.is_subtype(x, y)
                    || view.is_subtype(y, x)
                    || is_null(args[0])
                    || is_null(args[1])
            }
            (Ty::Func(x), Ty::Func(y)) => x == y,
            _ => return,
        };
        if !ok {
            let message = format!(
                "pointers of unrelated types {} and {} are compared",
                self.ty_name(a),
                self.ty_name(b)
            );
            self.err(op_idx, Ctx::Op(op_idx), message);
        }
    }

    /// The op has a result exactly when `expected` is not void, of exactly that type.
    fn check_result(&mut self, op_idx: OpIdx, expected: Ty) {
        let op = &self.graph.ops[op_idx];
        let ctx = Ctx::Op(op_idx);
        match (op.result, expected) {
            (None, Ty::Void) => {}
            (Some(r), Ty::Void) => {
                self.err(op_idx, ctx, format!("`{}` produces no value but defines {r}", op.opcode))
            }
            (None, t) => {
                let message =
                    format!("`{}` produces {} but has no result", op.opcode, self.ty_name(t));
                self.err(op_idx, ctx, message);
            }
            (Some(r), t) => match self.graph.vars.get(r) {
                Some(d) if d.ty != t => {
                    let message = format!(
                        "result {r} has type {}, expected {}",
                        self.ty_name(d.ty),
                        self.ty_name(t)
                    );
                    self.err(op_idx, ctx, message);
                }
                _ => {}
            },
        }
    }
}

fn class_ok(class: TyClass, ty: Ty) -> bool {
    match class {
        TyClass::I => ty == Ty::Int,
        TyClass::F => ty == Ty::Float,
        TyClass::B => ty == Ty::Bool,
        TyClass::C => ty == Ty::Char,
        TyClass::R => ty.is_ref(),
        TyClass::P => matches!(ty, Ty::Ref(_) | Ty::Func(_)),
        TyClass::Any => ty != Ty::Void,
        TyClass::V | TyClass::Dyn => false,
    }
}
