//! `jit_hook` ops: typed operands, the hook's result and errors, nested interpreters.

use super::gc::node_program;
use super::support::*;
use crate::ir::{Aux, Const, Value};
use crate::llinterp::*;
use crate::ops::Opcode;
use crate::runtime::RuntimeErrorKind;
use crate::span::Span;
use std::cell::{Cell, RefCell};

/// `hooked(a: int, x: float, o: IntObj) -> int`:
/// `r = jit_hook #7(a, x, o, null Obj, @hooked, true, 'c')`, `jit_hook #8(r)`,
/// `o2: IntObj = jit_hook #9(o)`, returns `r + o2.value`.
fn hooked_graph(p: &mut Program, obj: HeapTypeIdx, int_obj: HeapTypeIdx) -> GraphIdx {
    let me = GraphIdx::new(p.graphs.len());
    let params = vec![Ty::Int, Ty::Float, Ty::Ref(int_obj)];
    let (mut g, e) = graph("hooked", params, Ty::Int);
    let (a, x, o) = (param(&g, 0), param(&g, 1), param(&g, 2));
    let consts = [Const::Null(obj), Const::Func(me), Const::Bool(true), Const::Char('c')];
    let args: Vec<Value> = [a, x, o].into_iter().chain(consts.map(Value::Const)).collect();
    let r = op(&mut g, e, Opcode::JitHook, &args, Aux::Hook(7), Ty::Int, 1);
    op0(&mut g, e, Opcode::JitHook, &[v(r)], Aux::Hook(8), 2);
    let o2 = op(&mut g, e, Opcode::JitHook, &[o], Aux::Hook(9), Ty::Ref(int_obj), 3);
    let val = op(&mut g, e, Opcode::GetField, &[v(o2)], Aux::Field(int_obj, 1), Ty::Int, 4);
    let sum = op(&mut g, e, Opcode::IntAdd, &[v(r), v(val)], Aux::None, Ty::Int, 5);
    ret(&mut g, e, Some(v(sum)));
    p.add_graph(g)
}

#[test]
fn jit_hook_gets_typed_operands_and_gives_the_result() {
    let mut p = Program::default();
    let (obj, int_obj, _) = class_types(&mut p);
    let gi = hooked_graph(&mut p, obj, int_obj);
    assert_eq!(crate::verify::verify_program(&p), Ok(()));
    // What the hook saw: site numbers and operands.
    let log = RefCell::new(Vec::new());
    let hook = |id, args: &[RtValue]| -> Result<RtValue, RuntimeError> {
        log.borrow_mut().push((id, args.to_vec()));
        Ok(match id {
            7 => RtValue::Int(40),
            9 => args[0],
            _ => RtValue::Void,
        })
    };
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hook);
    let o = interp.alloc_struct(int_obj, &[RtValue::Int(0), RtValue::Int(2)]);
    assert_eq!(interp.call(gi, &[RtValue::Int(5), RtValue::Float(2.5), o]), Ok(RtValue::Int(42)));
    assert_eq!(interp.ops_executed(), 5);
    let null = RtValue::Ref(std::ptr::null_mut());
    let operands = vec![
        RtValue::Int(5),
        RtValue::Float(2.5),
        o,
        null,
        RtValue::Func(gi),
        RtValue::Bool(true),
        RtValue::Char('c'),
    ];
    assert_eq!(*log.borrow(), [(7, operands), (8, vec![RtValue::Int(40)]), (9, vec![o])]);
}

#[test]
fn jit_hook_errors_stop_the_run() {
    let mut p = Program::default();
    let (obj, int_obj, _) = class_types(&mut p);
    let gi = hooked_graph(&mut p, obj, int_obj);
    let failure = RuntimeError {
        kind: RuntimeErrorKind::OutOfMemory,
        span: Span::new(0, 9, 9),
        message: "the JIT gave up".into(),
        graph: "jit".into(),
    };
    let calls = Cell::new(0);
    let failing = |id, args: &[RtValue]| -> Result<RtValue, RuntimeError> {
        calls.set(calls.get() + 1);
        match id {
            7 => Ok(RtValue::Int(1)),
            8 => Err(failure.clone()),
            _ => Ok(args[0]),
        }
    };
    let working = |id, args: &[RtValue]| -> Result<RtValue, RuntimeError> {
        Ok(if id == 7 { RtValue::Int(1) } else { args[0] })
    };
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&failing);
    let o = interp.alloc_struct(int_obj, &[RtValue::Int(0), RtValue::Int(2)]);
    let args = [RtValue::Int(5), RtValue::Float(2.5), o];
    assert_eq!(interp.call(gi, &args), Err(failure.clone()));
    assert_eq!(calls.get(), 2, "the op after the failing hook did not run");
    assert_eq!(interp.ops_executed(), 0, "the failing block is not counted");
    // The interpreter is usable again, with another hook.
    interp.set_jit_hook(&working);
    assert_eq!(interp.call(gi, &args), Ok(RtValue::Int(3)));
}

#[test]
fn jit_hook_without_a_jit_is_an_error() {
    let err = eval(Opcode::JitHook, Aux::Hook(3), &[Ty::Int], Ty::Int, &[RtValue::Int(1)]);
    let err = err.unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::JitHookMissing);
    assert_eq!(err.message, "jit_hook #3 reached with no JIT installed");
    assert_eq!(err.span, sp(1));
}

#[test]
#[should_panic(expected = "jit_hook #3 returned Float(1.0) for a result of type int")]
fn jit_hook_answers_of_the_wrong_type_panic() {
    let mut p = Program::default();
    let (mut g, e) = graph("f", vec![], Ty::Int);
    let r = op(&mut g, e, Opcode::JitHook, &[], Aux::Hook(3), Ty::Int, 1);
    ret(&mut g, e, Some(v(r)));
    let gi = p.add_graph(g);
    let hook = |_, _: &[RtValue]| Ok(RtValue::Float(1.0));
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hook);
    let _ = interp.call(gi, &[]);
}

/// `nest(n)`: `o = malloc Node(value n)`, `r = jit_hook #1(n, o)`, returns `r + o.value`.
fn nest_graph(p: &mut Program, node: HeapTypeIdx) -> GraphIdx {
    let (mut g, e) = graph("nest", vec![Ty::Int], Ty::Int);
    let n = param(&g, 0);
    let o = op(&mut g, e, Opcode::Malloc, &[], Aux::Type(node), Ty::Ref(node), 1);
    op0(&mut g, e, Opcode::SetField, &[v(o), n], Aux::Field(node, 1), 2);
    let r = op(&mut g, e, Opcode::JitHook, &[n, v(o)], Aux::Hook(1), Ty::Int, 3);
    let val = op(&mut g, e, Opcode::GetField, &[v(o)], Aux::Field(node, 1), Ty::Int, 4);
    let sum = op(&mut g, e, Opcode::IntAdd, &[v(r), v(val)], Aux::None, Ty::Int, 5);
    ret(&mut g, e, Some(v(sum)));
    p.add_graph(g)
}

/// A JIT for `nest`, owning its own copy of the program.
struct NestJit {
    program: Program,
    node: HeapTypeIdx,
    churn: GraphIdx,
    nest: GraphIdx,
    /// Deepest nesting of interpreters seen.
    depth: Cell<usize>,
}

impl NestJit {
    /// `#1(n, o)`: checks the node, and unless `n` is 0 allocates garbage (so collections run
    /// while every interpreter outside waits) and runs `nest(n - 1)` in a new interpreter
    /// calling back into this JIT.
    fn miss(&self, id: u32, args: &[RtValue], depth: usize) -> Result<RtValue, RuntimeError> {
        assert_eq!(id, 1);
        self.depth.set(self.depth.get().max(depth));
        let n = args[0].as_int().unwrap();
        let mut inner = Interp::new(&self.program);
        assert_eq!(inner.read_field(args[1], self.node, 1), RtValue::Int(n));
        if n == 0 {
            return Ok(RtValue::Int(0));
        }
        inner.call(self.churn, &[RtValue::Int(200_000), RtValue::Bool(false)])?;
        gc::collect();
        // The node lives only in the waiting interpreter's registers.
        assert_eq!(inner.read_field(args[1], self.node, 1), RtValue::Int(n));
        let hook = |id, args: &[RtValue]| self.miss(id, args, depth + 1);
        inner.set_jit_hook(&hook);
        inner.call(self.nest, &[RtValue::Int(n - 1)])
    }
}

#[test]
fn jit_hooks_run_other_interpreters() {
    let _g = heavy();
    let (mut p, node, churn) = node_program();
    let nest = nest_graph(&mut p, node);
    let jit = NestJit { program: p.clone(), node, churn, nest, depth: Cell::new(0) };
    let hook = |id, args: &[RtValue]| jit.miss(id, args, 1);
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hook);
    let n = 6;
    assert_eq!(interp.call(nest, &[RtValue::Int(n)]), Ok(RtValue::Int(n * (n + 1) / 2)));
    assert_eq!(jit.depth.get(), 7);
    assert_eq!(interp.ops_executed(), 5, "the inner interpreters count their own ops");
    // A failure deep inside (an inner interpreter without a hook) is the outer run's error.
    let hookless = |_, args: &[RtValue]| Interp::new(&jit.program).call(nest, &[args[0]]);
    let mut interp = Interp::new(&p);
    interp.set_jit_hook(&hookless);
    let err = interp.call(nest, &[RtValue::Int(2)]).unwrap_err();
    assert_eq!(err.kind, RuntimeErrorKind::JitHookMissing);
    assert_eq!(err.message, "jit_hook #1 reached with no JIT installed");
}
