//! Predicting promoted values: the start of a residual graph evaluated on run-time values,
//! reading the heap of the running program (its own stores kept aside, never written), as far
//! as it only reads, stores and computes, up to the first flexswitch (`jit_hook`) it reaches.
//!
//! The JIT uses it to compile, in the same batch as a graph, the case its first switch will
//! need: without it each case of a warm-up chain costs a module of its own and a trip
//! through the JIT. Nothing depends on the prediction being right: a case is correct for
//! whatever state reaches it with its value, so a wrong guess only costs its compilation.
//!
//! Only the walk is here, not the semantics of any op: pure ops are rpy-ir's constant folding
//! ([`rpy_ir::fold`]) and reads of objects rpy-ir's checked heap access
//! ([`rpy_ir::runtime::heap`]), which refuses any pointer that is not an object of the
//! collector's heap of the type the op reads, and any index out of bounds.

use rpy_ir::fold;
use rpy_ir::ir::{Aux, Const, Exit, Graph, GraphIdx, OpData, Program, Target, Value, Var};
use rpy_ir::layout::Layout;
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::heap::{Heap, Object, Slot};
use rpy_ir::runtime::RtValue;
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
    let heap = Heap::new(layout, &program.types);
    let mut eval = Eval { program, heap, stores: HashMap::new() };
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
            let r = eval.op(graph, op, &a)?;
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
                    RtValue::Char(c) => i64::from(u32::from(c)),
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

/// The run-time value of a constant; `None` for a function pointer (compiled code holds
/// addresses, which the prediction does not know).
fn constant(c: Const, prebuilt: &dyn Fn(u32) -> RtValue) -> Option<RtValue> {
    match c {
        Const::Func(_) => None,
        c => Some(RtValue::from_const(c, |p| prebuilt(p.as_u32()))),
    }
}

/// What the evaluation needs besides an op's operands.
struct Eval<'a> {
    program: &'a Program,
    heap: Heap<'a>,
    /// What the code stored, by address: kept here, never written to the program's heap.
    stores: HashMap<usize, RtValue>,
}

impl Eval<'_> {
    /// One op of `graph` that reads memory, stores (into `stores`) or computes; `None` for
    /// anything else (or a failure).
    fn op(&mut self, graph: &Graph, op: &OpData, a: &[RtValue]) -> Option<RtValue> {
        match (op.opcode, &op.aux) {
            (Opcode::GetField | Opcode::GetArrayItem, _) => {
                let slot = self.slot(op, a)?;
                self.stores.get(&slot.address()).copied().or_else(|| slot.read())
            }
            (Opcode::SetField, _) => {
                let slot = self.slot(op, a)?;
                self.stores.insert(slot.address(), a[1]);
                Some(RtValue::Void)
            }
            (Opcode::SetArrayItem, _) => {
                let slot = self.slot(op, a)?;
                self.stores.insert(slot.address(), a[2]);
                Some(RtValue::Void)
            }
            _ => self.heap.read_op(op.opcode, &op.aux, a).or_else(|| self.fold(graph, op, a)),
        }
    }

    /// The field or item an access op reaches, if it exists.
    fn slot(&self, op: &OpData, a: &[RtValue]) -> Option<Slot> {
        let obj = Object::of(*a.first()?)?;
        match (op.opcode, &op.aux) {
            (Opcode::GetField | Opcode::SetField, Aux::Field(t, f)) => self.heap.field(obj, *t, *f),
            (Opcode::GetArrayItem | Opcode::SetArrayItem, Aux::Array(t)) => {
                let RtValue::Int(i) = *a.get(1)? else { return None };
                self.heap.item(obj, *t, i).ok()
            }
            _ => None,
        }
    }

    /// A pure op, folded on the constants denoting its operands.
    fn fold(&self, graph: &Graph, op: &OpData, a: &[RtValue]) -> Option<RtValue> {
        if !op.opcode.is_pure() {
            return None;
        }
        let consts: Vec<Const> = op
            .args
            .iter()
            .zip(a)
            .map(|(v, x)| x.to_const(graph.value_ty(*v, self.program)))
            .collect::<Option<_>>()?;
        match fold::fold(self.program, op.opcode, &op.aux, &consts)? {
            Ok(r) => constant(r, &|_| RtValue::Void),
            Err(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rpy_ir::llinterp::Interp;
    use rpy_ir::text::parse_program;

    /// Pops the top of a frame's stack, then switches on it with the new depth and the frame.
    const POP: &str = "type array[int]
struct Frame { stack: array[int], sp: int }

graph pop(Frame) -> int {
block0(v0: Frame):
    v1 = getfield Frame.sp v0
    v2 = getfield Frame.stack v0
    v3 = int_sub v1, 1
    v4 = getarrayitem array[int] v2, v3
    setfield Frame.sp v0, v3
    v5 = getfield Frame.sp v0
    v6: int = jit_hook #2(v4, v5, v0)
    return v6
}
";

    #[test]
    fn predicts_through_reads_and_stores_without_writing() {
        let program = parse_program(POP).unwrap();
        let frame = program.types.struct_by_name("Frame").unwrap();
        let stack = program.types.struct_def(frame).fields[0].ty;
        let rpy_ir::types::Ty::Ref(ints) = stack else { panic!("{stack:?}") };
        let mut interp = Interp::new(&program);
        let items = interp.alloc_array(ints, &[RtValue::Int(10), RtValue::Int(20)]);
        let f = interp.alloc_struct(frame, &[items, RtValue::Int(2)]);
        let empty = interp.alloc_struct(frame, &[items, RtValue::Int(0)]);
        let g = program.graph_by_name("pop").unwrap();
        let predict = |arg, steps| {
            first_hook(&program, interp.layout(), &|_| RtValue::Void, g, &[arg], steps)
        };
        let expected = (2, vec![RtValue::Int(20), RtValue::Int(1), f]);
        assert_eq!(predict(f, 100), Some(expected));
        assert_eq!(interp.read_field(f, frame, 1), RtValue::Int(2), "the store was kept aside");
        assert_eq!(predict(f, 3), None, "out of steps");
        assert_eq!(predict(empty, 100), None, "index -1 is out of bounds");
        // Not an object: refused by the checked heap, not read.
        assert_eq!(predict(RtValue::Ref(std::ptr::dangling_mut::<u64>() as *mut u8), 100), None);
        assert_eq!(predict(RtValue::Ref(std::ptr::null_mut()), 100), None);
    }
}
