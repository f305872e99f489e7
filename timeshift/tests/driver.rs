//! The JIT driver on the IR-interpreter backend: the cache per green key, fallback when a
//! compilation gives up, and promotion — flexswitches whose cases are compiled as values
//! arrive, and are not compiled again.

use rpy_ir::ir::Program;
use rpy_ir::llinterp::{Interp, RtValue};
use timeshift::{Backend, JitDriver, LlinterpBackend};

fn program(src: &str) -> Program {
    rpy_ir::front::compile("test.rpy", src).unwrap_or_else(|d| panic!("{d}"))
}

fn ints(xs: &[i64]) -> Vec<RtValue> {
    xs.iter().map(|x| RtValue::Int(*x)).collect()
}

/// Calls through the driver and checks the result against the IR interpreter.
fn check(d: &JitDriver<LlinterpBackend>, p: &Program, portal: &str, args: &[i64]) -> RtValue {
    let want = Interp::new(p).call(p.graph_by_name(portal).unwrap(), &ints(args));
    let got = d.call(&ints(args));
    match (&want, &got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{portal}{args:?}"),
        (Err(a), Err(b)) => assert_eq!((a.kind, &a.message), (b.kind, &b.message)),
        _ => panic!("{portal}{args:?}: interpreter {want:?}, JIT {got:?}"),
    }
    got.unwrap_or(RtValue::Void)
}

fn compiled_cases(d: &JitDriver<LlinterpBackend>) -> usize {
    d.reports().iter().filter(|r| r.what.contains("flexswitch")).count()
}

const PROMOTE: &str = "
def f(x: int, y: int) -> int:
    k = hint(x, promote=True)
    return k * k + y
";

#[test]
fn promotion_compiles_one_case_per_value_and_never_again() {
    let p = program(PROMOTE);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    check(&d, &p, "f", &[5, 1]);
    assert_eq!((d.misses(), compiled_cases(&d)), (1, 1), "first value");
    check(&d, &p, "f", &[7, 1]);
    assert_eq!((d.misses(), compiled_cases(&d)), (2, 2), "second value");
    check(&d, &p, "f", &[5, 2]);
    check(&d, &p, "f", &[7, -3]);
    assert_eq!(
        (d.misses(), compiled_cases(&d)),
        (2, 2),
        "repeated values take the installed cases"
    );
}

#[test]
fn the_promoted_value_is_a_constant_in_its_case() {
    let p = program(PROMOTE);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    check(&d, &p, "f", &[6, 1]);
    let prog = d.backend().program();
    let case = prog.graphs.values().find(|g| g.name.contains("__case")).expect("a case graph");
    // k * k folded to 36: the case adds y and returns.
    let ops: Vec<_> = case.ops.values().map(|o| o.opcode.info().name).collect();
    assert_eq!(
        ops,
        vec!["int_add"],
        "{}",
        rpy_ir::text::print_graph(&prog, prog.graph_by_name(&case.name).unwrap())
    );
}

const CLASSES: &str = "
struct Obj:
    pass
struct IntObj(Obj) immutable:
    value: int
struct PairObj(Obj) immutable:
    left: int
    right: int

def weight(o: Obj) -> int:
    hint(o, promote_class=True)
    if o isa IntObj:
        return (o as IntObj).value
    if o isa PairObj:
        q = o as PairObj
        return q.left + q.right
    return 0

def f(k: int, n: int) -> int:
    o: Obj = IntObj(value = n)
    if k == 1:
        o = PairObj(left = n, right = 1)
    if k == 2:
        o = Obj()
    return weight(o) + weight(o)
";

#[test]
fn promote_class_on_virtual_objects_needs_no_flexswitch() {
    let p = program(CLASSES);
    let d = JitDriver::new(&p, "f", &["k"], LlinterpBackend::new(&p)).unwrap();
    for (k, n) in [(0, 5), (1, 5), (2, 5), (0, 9)] {
        check(&d, &p, "f", &[k, n]);
    }
    assert_eq!(d.misses(), 0);
}

const RED_CLASSES: &str = "
struct Obj:
    pass
struct IntObj(Obj) immutable:
    value: int
struct PairObj(Obj) immutable:
    left: int
    right: int

def make(k: int, n: int) -> Obj:
    if k == 1:
        return PairObj(left = n, right = 1)
    if k == 2:
        return Obj()
    return IntObj(value = n)

def weight(o: Obj) -> int:
    hint(o, promote_class=True)
    if o isa IntObj:
        return (o as IntObj).value
    if o isa PairObj:
        q = o as PairObj
        return q.left + q.right
    return 0

def f(o: Obj) -> int:
    return weight(o) * 10 + weight(o)
";

#[test]
fn promote_class_on_run_time_objects_switches_on_the_type() {
    let p = program(RED_CLASSES);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    let mut interp = Interp::new(&p);
    let make = p.graph_by_name("make").unwrap();
    let f = p.graph_by_name("f").unwrap();
    for (k, n) in [(0, 5), (1, 5), (0, 7), (2, 1), (1, 3)] {
        let o = interp.call(make, &ints(&[k, n])).unwrap();
        let want = interp.call(f, &[o]).unwrap();
        assert_eq!(d.call(&[o]).unwrap(), want, "k={k} n={n}");
    }
    // One case per class; the second weight() knows the class already.
    assert_eq!(compiled_cases(&d), 3);
}

#[test]
fn promotion_inside_a_loop() {
    let src = "
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        k = hint(i % 3, promote=True)
        s = s * 2 + k + x
        i += 1
    return s
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    for (n, x) in [(0, 1), (1, 1), (10, 2), (20, -1), (10, 2)] {
        check(&d, &p, "f", &[n, x]);
    }
}

#[test]
fn bools_are_promoted_too() {
    let src = "
def f(b: bool, x: int) -> int:
    c = hint(b, promote=True)
    if c:
        return x + 1
    return x - 1
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    for (b, x) in [(true, 1), (false, 1), (true, 5)] {
        let want = Interp::new(&p)
            .call(p.graph_by_name("f").unwrap(), &[RtValue::Bool(b), RtValue::Int(x)])
            .unwrap();
        assert_eq!(d.call(&[RtValue::Bool(b), RtValue::Int(x)]).unwrap(), want);
    }
    assert_eq!(compiled_cases(&d), 2);
}

#[test]
fn one_compilation_per_green_key() {
    let src = "def f(a: int, b: int) -> int:\n    return a * 100 + b\n";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &["a"], LlinterpBackend::new(&p)).unwrap();
    for (a, b) in [(1, 2), (1, 3), (2, 2), (1, 9), (2, 0)] {
        check(&d, &p, "f", &[a, b]);
    }
    assert_eq!(d.reports().len(), 2);
}

#[test]
fn a_compilation_that_gives_up_falls_back_to_the_interpreter() {
    let src = "
def f(n: int, x: int) -> int:
    i = 0
    while i < n:
        hint(i, concrete=True)
        x = x * 3 + 1
        i += 1
    return x
";
    let p = program(src);
    let mut d = JitDriver::new(&p, "f", &["n"], LlinterpBackend::new(&p)).unwrap();
    d.budgets.max_residual_ops = 50;
    check(&d, &p, "f", &[1000, 1]);
    check(&d, &p, "f", &[10, 1]);
    let reports = d.reports();
    assert!(matches!(reports[0].gave_up, Some(timeshift::GiveUp::Budget(_))), "{reports:?}");
    assert!(reports[1].gave_up.is_none());
}

const VM: &str = "
const PUSH_X = 1
const ADD = 2
const MUL = 3
const JUMP_IF_POS = 4
const DEC = 5
const HALT = 6

struct Cell immutable:
    value: int
    below: Cell

def run(code: array[int], x: int) -> int:
    code = hint(code, deepfreeze=True)
    stack: Cell = None
    acc = 0
    pc = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == PUSH_X:
            stack = Cell(value = x, below = stack)
        elif op == ADD:
            acc += stack.value
            stack = stack.below
        elif op == MUL:
            acc *= code[pc]
            pc += 1
        elif op == DEC:
            x -= 1
        elif op == JUMP_IF_POS:
            if x > 0:
                pc = code[pc]
            else:
                pc += 1
        else:
            break
    return acc
";

#[test]
fn green_pointers_to_run_time_objects_key_the_cache_and_are_read_at_compile_time() {
    let p = program(VM);
    let d = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    let mut interp = Interp::new(&p);
    let at = p.types.heap_types().find(|(_, h)| matches!(h, rpy_ir::types::HeapType::Array(a) if !a.immutable && a.elem == rpy_ir::types::Ty::Int)).unwrap().0;
    let looped = interp.alloc_array(at, &ints(&[1, 2, 5, 4, 0, 6]));
    let straight = interp.alloc_array(at, &ints(&[1, 2, 3, 3, 1, 2, 6]));
    let run = p.graph_by_name("run").unwrap();
    for (code, x) in [(looped, 10), (looped, 0), (straight, 4), (looped, 3)] {
        let want = interp.call(run, &[code, RtValue::Int(x)]).unwrap();
        assert_eq!(d.call(&[code, RtValue::Int(x)]).unwrap(), want);
    }
    assert_eq!(d.reports().len(), 2, "one compilation per bytecode");
    let prog = d.backend().program();
    for g in prog.graphs.values().filter(|g| g.name.contains("__jit")) {
        let names: Vec<_> = g.ops.values().map(|o| o.opcode.info().name).collect();
        assert!(
            !names.contains(&"getarrayitem"),
            "the bytecode is read at compile time: {names:?}"
        );
        assert!(!names.contains(&"malloc"), "the stack cells stay virtual: {names:?}");
    }
}
