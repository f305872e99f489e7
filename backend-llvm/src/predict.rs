//! Predicting promoted values: the start of a residual graph evaluated on run-time values,
//! reading the heap of the running program (its own stores kept aside, never written), as far
//! as it only reads, stores and computes, up to the first flexswitch (`jit_hook`) it reaches.
//!
//! The JIT uses it to compile, in the same batch as a graph, the case its first switch will
//! need: without it each case of a warm-up chain costs a module of its own and a trip
//! through the JIT. Nothing depends on the prediction being right: a case is correct for
//! whatever state reaches it with its value, so a wrong guess only costs its compilation.
//! Reads are safe: pointers come from the running program's registers (live objects), null
//! and bounds are checked, and casts check the tag before anything is read through them.

use rpy_ir::ir::{Aux, Const, Exit, GraphIdx, Program, Target, Value, Var};
use rpy_ir::layout::{Layout, ARRAY_LENGTH_OFFSET};
use rpy_ir::llinterp::RtValue;
use rpy_ir::ops::Opcode;
use rpy_ir::types::Ty;
use std::collections::HashMap;

/// The flexswitch graph `g` reaches first when called with `args`, and its operands (the
/// value switched on, then the live values), following calls in tail position (into entry
/// graphs): `None` if it gets anywhere else first (another call, a store, an allocation, a
/// return...) or runs more than `steps` ops and jumps.
pub fn first_hook(
    program: &Program,
    layout: &Layout,
    prebuilt: &dyn Fn(u32) -> RtValue,
    g: GraphIdx,
    args: &[RtValue],
    steps: usize,
) -> Option<(u32, Vec<RtValue>)> {
    type Env = cranelift_entity::SecondaryMap<Var, Option<RtValue>>;
    let value = |env: &Env, v: Value| match v {
        Value::Var(x) => env[x],
        Value::Const(c) => constant(c, prebuilt),
    };
    let enter = |g: GraphIdx, args: &[RtValue]| -> Option<Env> {
        let graph = &program.graphs[g];
        let params = &graph.blocks[graph.entry].params;
        if params.len() != args.len() {
            return None;
        }
        let mut env = Env::new();
        for (p, a) in params.iter().zip(args) {
            env[*p] = Some(*a);
        }
        Some(env)
    };
    let (mut g, mut env) = (g, enter(g, args)?);
    // What the code stored, by address: kept here, never written to the program's heap.
    let mut stores: HashMap<usize, RtValue> = HashMap::new();
    let mut block = program.graphs[g].entry;
    let mut left = steps;
    'graphs: loop {
        let graph = &program.graphs[g];
        let ops = &graph.blocks[block].ops;
        for (i, &o) in ops.iter().enumerate() {
            left = left.checked_sub(1)?;
            let op = &graph.ops[o];
            let a: Vec<RtValue> = op.args.iter().map(|v| value(&env, *v)).collect::<Option<_>>()?;
            match (op.opcode, &op.aux) {
                (Opcode::JitHook, Aux::Hook(n)) => return Some((*n, a)),
                // A call in tail position (its result returned): on in the callee.
                (Opcode::Call, Aux::Graph(callee)) if i + 1 == ops.len() => {
                    let tail = match graph.blocks[block].exit {
                        Exit::Return(Some(Value::Var(r))) => op.result == Some(r),
                        Exit::Return(None) => op.result.is_none(),
                        _ => false,
                    };
                    if !tail {
                        return None;
                    }
                    (g, env) = (*callee, enter(*callee, &a)?);
                    block = program.graphs[g].entry;
                    continue 'graphs;
                }
                _ => {}
            }
            let r = eval(program, layout, &mut stores, op.opcode, &op.aux, &a)?;
            if let Some(x) = op.result {
                env[x] = Some(r);
            }
        }
        left = left.checked_sub(1)?;
        let target: &Target = match &graph.blocks[block].exit {
            Exit::Goto(t) => t,
            Exit::Branch { cond, if_true, if_false } => match value(&env, *cond)? {
                RtValue::Bool(true) => if_true,
                RtValue::Bool(false) => if_false,
                _ => return None,
            },
            Exit::Switch { value: v, cases, default } => {
                let k = match value(&env, *v)? {
                    RtValue::Int(i) => i,
                    RtValue::Char(c) => c as i64,
                    RtValue::Bool(b) => b as i64,
                    _ => return None,
                };
                cases.iter().find(|(c, _)| *c == k).map_or(default, |(_, t)| t)
            }
            Exit::Return(_) => return None,
        };
        let vals: Vec<RtValue> =
            target.args.iter().map(|v| value(&env, *v)).collect::<Option<_>>()?;
        for (p, v) in graph.blocks[target.block].params.iter().zip(vals) {
            env[*p] = Some(v);
        }
        block = target.block;
    }
}

fn constant(c: Const, prebuilt: &dyn Fn(u32) -> RtValue) -> Option<RtValue> {
    Some(match c {
        Const::Int(i) => RtValue::Int(i),
        Const::Float(b) => RtValue::Float(f64::from_bits(b)),
        Const::Bool(b) => RtValue::Bool(b),
        Const::Char(c) => RtValue::Char(c),
        Const::Null(_) => RtValue::Ref(std::ptr::null_mut()),
        Const::Ptr(a, _) => RtValue::Ref(a as usize as *mut u8),
        Const::Prebuilt(p) => prebuilt(p.as_u32()),
        Const::Func(_) => return None,
    })
}

fn scalar(v: RtValue) -> Option<Const> {
    Some(match v {
        RtValue::Int(i) => Const::Int(i),
        RtValue::Float(f) => Const::Float(f.to_bits()),
        RtValue::Bool(b) => Const::Bool(b),
        RtValue::Char(c) => Const::Char(c),
        _ => return None,
    })
}

/// A non-null object pointer.
fn object(v: RtValue) -> Option<*const u8> {
    match v {
        RtValue::Ref(p) if !p.is_null() => Some(p as *const u8),
        _ => None,
    }
}

/// Reads a value of type `ty` at `at` (bools and chars: one byte, as the lowering stores
/// them), or what the evaluation stored there.
///
/// # Safety
/// `at` points into a live object, at a slot or item of type `ty`.
unsafe fn read(stores: &HashMap<usize, RtValue>, at: *const u8, ty: Ty) -> Option<RtValue> {
    if let Some(v) = stores.get(&(at as usize)) {
        return Some(*v);
    }
    Some(match ty {
        Ty::Int => RtValue::Int((at as *const i64).read_unaligned()),
        Ty::Float => RtValue::Float((at as *const f64).read_unaligned()),
        Ty::Bool => RtValue::Bool(at.read() != 0),
        Ty::Char => RtValue::Char(at.read()),
        Ty::Ref(_) => RtValue::Ref((at as *const *mut u8).read_unaligned()),
        _ => return None,
    })
}

/// The length of a live array.
///
/// # Safety
/// `p` points to a live array.
unsafe fn array_len(p: *const u8) -> i64 {
    (p.add(ARRAY_LENGTH_OFFSET) as *const i64).read()
}

/// One op that reads memory, stores (into `stores`) or computes; `None` for anything else (or
/// a failure).
fn eval(
    program: &Program,
    layout: &Layout,
    stores: &mut HashMap<usize, RtValue>,
    op: Opcode,
    aux: &Aux,
    a: &[RtValue],
) -> Option<RtValue> {
    // SAFETY: every object starts with its tag word.
    let tag = |p: *const u8| unsafe { (p as *const u64).read() };
    // The address of item `i` of live array `p` of type `t`, if in bounds.
    let item = |p: *const u8, t: rpy_ir::types::HeapTypeIdx, i: RtValue| {
        let RtValue::Int(i) = i else { return None };
        // SAFETY: a live array.
        let len = unsafe { array_len(p) };
        // SAFETY: within bounds.
        (0..len).contains(&i).then(|| unsafe { p.add(layout.item_offset(t, i as usize)) })
    };
    match (op, aux) {
        (Opcode::GetField, Aux::Field(t, f)) => {
            let p = object(a[0])?;
            let ty = program.types.as_struct(*t)?.fields.get(*f as usize)?.ty;
            // SAFETY: a live object of a type declaring field f (the graph is typed).
            unsafe { read(stores, p.add(layout.field_offset(*t, *f)), ty) }
        }
        (Opcode::SetField, Aux::Field(t, f)) => {
            let p = object(a[0])?;
            program.types.as_struct(*t)?.fields.get(*f as usize)?;
            // SAFETY: as above (only the address is computed).
            stores.insert(unsafe { p.add(layout.field_offset(*t, *f)) } as usize, a[1]);
            Some(RtValue::Void)
        }
        (Opcode::GetArrayItem, Aux::Array(t)) => {
            let elem = program.types.as_array(*t)?.elem;
            let at = item(object(a[0])?, *t, a[1])?;
            // SAFETY: an item of the array, in bounds.
            unsafe { read(stores, at, elem) }
        }
        (Opcode::SetArrayItem, Aux::Array(t)) => {
            program.types.as_array(*t)?;
            let at = item(object(a[0])?, *t, a[1])?;
            stores.insert(at as usize, a[2]);
            Some(RtValue::Void)
        }
        (Opcode::ArrayLen, _) => {
            // SAFETY: a live array.
            Some(RtValue::Int(unsafe { array_len(object(a[0])?) }))
        }
        (Opcode::TypeOf, _) => Some(RtValue::Int(tag(object(a[0])?) as i64)),
        (Opcode::Cast, Aux::Type(t)) | (Opcode::InstanceOf, Aux::Type(t)) => {
            let (lo, hi) = layout.tag_range(*t); // inclusive
            let is = match a[0] {
                RtValue::Ref(p) if p.is_null() => op == Opcode::Cast,
                RtValue::Ref(p) => (lo..=hi).contains(&tag(p)),
                _ => return None,
            };
            match op {
                Opcode::Cast => is.then_some(a[0]),
                _ => Some(RtValue::Bool(is)),
            }
        }
        (Opcode::CastPtrToInt, _) => match a[0] {
            RtValue::Ref(p) => Some(RtValue::Int(p as usize as i64)),
            _ => None,
        },
        (Opcode::PtrIsNull | Opcode::PtrNonNull, _) => match a[0] {
            RtValue::Ref(p) => Some(RtValue::Bool(p.is_null() == (op == Opcode::PtrIsNull))),
            _ => None,
        },
        (Opcode::PtrEq | Opcode::PtrNe, _) => match (a[0], a[1]) {
            (RtValue::Ref(p), RtValue::Ref(q)) => {
                Some(RtValue::Bool((p == q) == (op == Opcode::PtrEq)))
            }
            _ => None,
        },
        _ if op.is_pure() => {
            let c: Vec<Const> = a.iter().map(|v| scalar(*v)).collect::<Option<_>>()?;
            match rpy_ir::fold::fold(program, op, aux, &c)? {
                Ok(r) => constant(r, &|_| RtValue::Void),
                Err(_) => None,
            }
        }
        _ => None,
    }
}
