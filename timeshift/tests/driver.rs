//! The JIT driver on the IR-interpreter backend: the cache per green key, fallback when a
//! compilation gives up, and promotion — flexswitches whose cases are compiled as values
//! arrive, and are not compiled again.

#[allow(dead_code)]
mod common;

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{Backend, JitDriver, LlinterpBackend, RunError};

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
        (Err(a), Err(RunError::Program(b))) => {
            assert_eq!((a.kind, &a.message), (b.kind, &b.message))
        }
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

/// The ops of every residual graph (names containing `__`), per graph name.
fn residual_ops(d: &JitDriver<LlinterpBackend>) -> Vec<(String, Vec<&'static str>)> {
    let prog = d.backend().program();
    prog.graphs
        .values()
        .filter(|g| g.name.contains("__"))
        .map(|g| {
            let ops = g.blocks.values().flat_map(|b| &b.ops);
            (g.name.clone(), ops.map(|o| g.ops[*o].opcode.info().name).collect())
        })
        .collect()
}

/// Promoting the same value again, directly or through an alias (a virtual object's field),
/// compiles no second flexswitch: after the first promotion the promoted variable is the
/// constant everywhere in the state (PyPy replaces the promoted box in place).
#[test]
fn a_value_promoted_twice_switches_once() {
    let src = "
struct Cell:
    v: int

def f(x: int, y: int) -> int:
    c = Cell(v = x)
    k = hint(x, promote=True)
    a = k * 3 + y
    j = hint(x, promote=True)
    i = hint(c.v, promote=True)
    return a + j * i
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    for (x, y) in [(5, 1), (5, 2), (7, 1), (5, -4), (7, 0)] {
        check(&d, &p, "f", &[x, y]);
    }
    assert_eq!((d.misses(), compiled_cases(&d)), (2, 2), "one case per value, one switch");
    for (name, ops) in residual_ops(&d) {
        let hooks = ops.iter().filter(|o| **o == "jit_hook").count();
        assert!(hooks <= 1, "{name}: {hooks} flexswitches: {ops:?}");
        if name.contains("__case") {
            // k * 3 and j * i folded: the case adds y and a constant.
            assert_eq!(ops, vec!["int_add", "int_add"], "{name}");
        }
    }
}

/// The same for a pointer (PyPy's class guard): once the class pointer of an object is
/// promoted, reading it again from the (virtual) object gives the constant, so a loop calling
/// the promoting function again holds no switch.
#[test]
fn a_promoted_pointer_read_again_is_a_constant() {
    let src = "
struct Class immutable:
    size: int
struct Inst:
    cls: Class
    n: int

const A = Class(size = 3)
const B = Class(size = 5)

def make(k: int, n: int) -> Inst:
    if k == 0:
        return Inst(cls = A, n = n)
    return Inst(cls = B, n = n)

def size_of(o: Inst) -> int:
    cls = hint(o.cls, promote=True)
    return cls.size

def f(o: Inst) -> int:
    v = Inst(cls = o.cls, n = o.n)
    s = size_of(v)
    total = 0
    i = 0
    while i < v.n:
        total += size_of(v) * i
        i += 1
    return total + size_of(v) + s
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    let mut interp = Interp::new(&p);
    let (make, f) = (p.graph_by_name("make").unwrap(), p.graph_by_name("f").unwrap());
    for (k, n) in [(0, 5), (1, 4), (0, 10), (1, 0)] {
        let o = interp.call(make, &ints(&[k, n])).unwrap();
        let want = interp.call(f, &[o]).unwrap();
        assert_eq!(d.call(&[o]).unwrap(), want, "k={k} n={n}");
    }
    assert_eq!(compiled_cases(&d), 2, "one case per class");
    for (name, ops) in residual_ops(&d) {
        let casts = ops.iter().filter(|o| **o == "cast_ptr_to_int").count();
        assert!(casts <= 1, "{name}: {casts} switches on the class: {ops:?}");
    }
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
    d.config.budgets.max_residual_ops = 50;
    check(&d, &p, "f", &[1000, 1]);
    check(&d, &p, "f", &[10, 1]);
    let reports = d.reports();
    assert!(matches!(reports[0].gave_up, Some(timeshift::GiveUp::Budget(_))), "{reports:?}");
    assert!(reports[1].gave_up.is_none());
}

/// A small bytecode interpreter (`programs/vm.rpy`, shared with the tiering tests and
/// backend-llvm's JIT tests).
const VM: &str = include_str!("programs/vm.rpy");

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

// ---- more promotion ------------------------------------------------------------------------------

/// Calls through the driver with any arguments and checks the result against the IR
/// interpreter.
fn check_args(d: &JitDriver<LlinterpBackend>, p: &Program, portal: &str, args: &[RtValue]) {
    let want = Interp::new(p).call(p.graph_by_name(portal).unwrap(), args);
    let got = d.call(args);
    match (&want, &got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{portal}{args:?}"),
        (Err(a), Err(RunError::Program(b))) => {
            assert_eq!((a.kind, &a.message), (b.kind, &b.message))
        }
        _ => panic!("{portal}{args:?}: interpreter {want:?}, JIT {got:?}"),
    }
}

/// The residual graphs the driver compiled whose name contains `part`, with their op names.
fn graphs_named(d: &JitDriver<LlinterpBackend>, part: &str) -> Vec<(String, Vec<&'static str>)> {
    let prog = d.backend().program();
    prog.graphs
        .values()
        .filter(|g| g.name.contains(part))
        .map(|g| (g.name.clone(), g.ops.values().map(|o| o.opcode.info().name).collect()))
        .collect()
}

fn count_op(d: &JitDriver<LlinterpBackend>, part: &str, op: &str) -> usize {
    graphs_named(d, part).iter().map(|(_, ops)| ops.iter().filter(|o| **o == op).count()).sum()
}

const PROMOTE_IN_LOOP: &str = "
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        k = hint(i % 3, promote=True)
        s = s * 2 + k + x
        i += 1
    return s
";

#[test]
fn promotion_inside_a_loop_compiles_each_case_once() {
    let p = program(PROMOTE_IN_LOOP);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    check(&d, &p, "f", &[10, 2]);
    // The first iteration is peeled (k = 0 is known); the flexswitch of the second iteration
    // sees 1; its case continues in an entry graph at the loop header, whose flexswitch sees
    // 2 and 0; each value met is then compiled inline into the graph holding the switch
    // (recompilations), so 1 after that never misses. Three cases compiled, each once.
    assert_eq!((d.misses(), compiled_cases(&d), d.reports().len()), (3, 3, 8));
    for (n, x) in [(10, 2), (20, -1), (0, 5), (3, 3)] {
        check(&d, &p, "f", &[n, x]);
    }
    let warm = (d.misses(), compiled_cases(&d), d.reports().len());
    for (n, x) in [(10, 2), (20, -1), (0, 5), (3, 3)] {
        check(&d, &p, "f", &[n, x]);
    }
    assert_eq!(
        (d.misses(), compiled_cases(&d), d.reports().len()),
        warm,
        "once warm, every value takes an inlined or installed case"
    );
    // In each case k is a constant: no modulo, and the loop continues in the entry graph.
    for (name, ops) in graphs_named(&d, "__case") {
        assert!(!ops.contains(&"int_mod") && !ops.contains(&"jit_hook"), "{name}: {ops:?}");
        assert_eq!(ops.iter().filter(|o| **o == "call").count(), 1, "{name}: {ops:?}");
    }
}

#[test]
fn a_promoted_bool_inside_a_loop() {
    let src = "
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        b = hint(i % 2 == 0, promote=True)
        if b:
            s += x
        else:
            s -= 1
        i += 1
    return s
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    check(&d, &p, "f", &[5, 3]);
    // The peeled iteration knows i = 0; the second iteration's flexswitch sees False, the
    // entry graph's sees True; each value met is then inline where its switch is.
    assert_eq!((d.misses(), compiled_cases(&d)), (2, 2));
    for (n, x) in [(7, 2), (5, 3), (1, 1), (0, 0)] {
        check(&d, &p, "f", &[n, x]);
    }
    let warm = (d.misses(), compiled_cases(&d));
    for (n, x) in [(7, 2), (5, 3), (1, 1), (0, 0)] {
        check(&d, &p, "f", &[n, x]);
    }
    assert_eq!((d.misses(), compiled_cases(&d)), warm, "once warm, nothing misses");
    // The cases branch no more: the test of b was decided in each.
    for (name, ops) in graphs_named(&d, "__case") {
        assert!(!ops.contains(&"int_eq") && !ops.contains(&"int_mod"), "{name}: {ops:?}");
    }
}

#[test]
fn a_promoted_char_decides_the_dispatch_in_each_case() {
    let src = "
def f(c: char, x: int) -> int:
    k = hint(c, promote=True)
    if k == 'a':
        return x + 1
    elif k == 'b':
        return x * 2
    elif k == 'c':
        return x - 3
    return x
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    let args = |c: u8, x: i64| [RtValue::Char(char::from(c)), RtValue::Int(x)];
    check_args(&d, &p, "f", &args(b'a', 1));
    assert_eq!((d.misses(), compiled_cases(&d)), (1, 1), "first value");
    check_args(&d, &p, "f", &args(b'b', 1));
    assert_eq!((d.misses(), compiled_cases(&d)), (2, 2), "second value");
    check_args(&d, &p, "f", &args(b'a', 5));
    check_args(&d, &p, "f", &args(b'b', -4));
    assert_eq!((d.misses(), compiled_cases(&d)), (2, 2), "repeated values");
    check_args(&d, &p, "f", &args(b'z', 1));
    assert_eq!((d.misses(), compiled_cases(&d)), (3, 3), "a value with no arm of its own");
    assert_eq!(count_op(&d, "__case", "char_eq"), 0);
    assert_eq!(count_op(&d, "__case", "int_add"), 1);
    assert_eq!(count_op(&d, "__case", "int_mul"), 1);
    assert_eq!(count_op(&d, "__case", "int_sub"), 0);
}

#[test]
fn a_promoted_bound_unrolls_a_loop_per_value() {
    let src = "
def f(n: int, x: int) -> int:
    k = hint(n, promote=True)
    i = 0
    while i < k:
        hint(i, concrete=True)
        x = x * 3 + 1
        i += 1
    return x
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    check(&d, &p, "f", &[3, 1]);
    // The case of 3 holds three unrolled iterations (and, once recompiled with the case
    // inline, so does the graph holding the switch): no loop test left anywhere.
    assert_eq!(count_op(&d, "__", "int_lt"), 0);
    assert!(count_op(&d, "__", "int_mul") >= 3);
    check(&d, &p, "f", &[5, 1]);
    check(&d, &p, "f", &[3, -7]);
    check(&d, &p, "f", &[5, 0]);
    let warm = (d.misses(), compiled_cases(&d), d.reports().len());
    check(&d, &p, "f", &[3, 2]);
    check(&d, &p, "f", &[5, 2]);
    assert_eq!((d.misses(), compiled_cases(&d), d.reports().len()), warm, "nothing compiled again");
    assert_eq!(count_op(&d, "__", "int_lt"), 0);
}

#[test]
fn a_virtual_object_survives_a_promotion() {
    let src = "
struct Point:
    x: int
    y: int

def f(n: int, x: int) -> int:
    p = Point(x = x, y = 2)
    k = hint(n, promote=True)
    return p.x * k + p.y
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    for (n, x) in [(3, 1), (5, 1), (3, 2)] {
        check(&d, &p, "f", &[n, x]);
    }
    assert_eq!((d.misses(), compiled_cases(&d)), (2, 2));
    // The point's fields cross the flexswitch as values: the cases compute x * k + 2.
    for (name, ops) in graphs_named(&d, "f__") {
        assert!(!ops.contains(&"malloc") && !ops.contains(&"getfield"), "{name}: {ops:?}");
    }
    assert_eq!(count_op(&d, "__case", "int_mul"), 2);
}

const MANY_CLASSES: &str = "
struct Obj:
    pass
struct IntObj(Obj) immutable:
    value: int
struct PairObj(Obj) immutable:
    left: int
    right: int
struct NegObj(Obj) immutable:
    value: int

def make(k: int, n: int) -> Obj:
    if k == 1:
        return PairObj(left = n, right = 1)
    if k == 2:
        return Obj()
    if k == 3:
        return NegObj(value = n)
    return IntObj(value = n)

def weight(o: Obj) -> int:
    hint(o, promote_class=True)
    if o isa IntObj:
        return (o as IntObj).value
    if o isa PairObj:
        q = o as PairObj
        return q.left + q.right
    if o isa NegObj:
        return -(o as NegObj).value
    return 0

def total(objs: array[Obj]) -> int:
    s = 0
    i = 0
    while i < len(objs):
        s += weight(objs[i])
        i += 1
    return s
";

#[test]
fn promote_class_on_four_classes_inside_a_loop() {
    let p = program(MANY_CLASSES);
    let d = JitDriver::new(&p, "total", &[], LlinterpBackend::new(&p)).unwrap();
    let mut interp = Interp::new(&p);
    let make = p.graph_by_name("make").unwrap();
    let total = p.graph_by_name("total").unwrap();
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, rpy_ir::types::HeapType::Array(a) if matches!(a.elem, rpy_ir::types::Ty::Ref(_))))
        .unwrap()
        .0;
    let mut objs = Vec::new();
    for (k, n) in [(0, 5), (1, 5), (0, 7), (2, 1), (3, 3), (1, 3), (0, 1)] {
        objs.push(interp.call(make, &ints(&[k, n])).unwrap());
    }
    let arr = interp.alloc_array(at, &objs);
    let same_start = interp.alloc_array(at, &[objs[2], objs[5], objs[4], objs[3], objs[4]]);
    let want = interp.call(total, &[arr]).unwrap();
    assert_eq!(d.call(&[arr]).unwrap(), want);
    // Item 0 and item 1 are met in the peeled iterations (one case each), then the general
    // loop's flexswitch gets cases for the other classes, which then go inline.
    assert_eq!((d.misses(), compiled_cases(&d)), (4, 4));
    // Recompiled graphs (their switches' values inline) meet a value once more at most, while
    // the versions settle; after a round with no miss, nothing misses again.
    let mut rounds = 0;
    loop {
        let before = (d.misses(), d.reports().len());
        for a in [arr, same_start, arr] {
            let want = interp.call(total, &[a]).unwrap();
            assert_eq!(d.call(&[a]).unwrap(), want);
        }
        if (d.misses(), d.reports().len()) == before {
            break;
        }
        rounds += 1;
        assert!(rounds <= 3, "the flexswitches never settle");
    }
    let misses = d.misses();
    // The peeled iterations have flexswitches of their own: an array starting with an Obj
    // and a NegObj adds cases there.
    let other_start = interp.alloc_array(at, &objs[3..5]);
    let want = interp.call(total, &[other_start]).unwrap();
    assert_eq!(d.call(&[other_start]).unwrap(), want);
    assert!(d.misses() <= misses + 2, "at most one case for each of the two peeled switches");
    // In every case the class is known: no instance test, at most one cast.
    for (name, ops) in graphs_named(&d, "__case") {
        assert!(!ops.contains(&"instanceof"), "{name}: {ops:?}");
        assert!(ops.iter().filter(|o| **o == "cast").count() <= 1, "{name}: {ops:?}");
    }
}

// ---- analysis errors and budgets through the driver ----------------------------------------------

#[test]
fn a_concrete_hint_that_cannot_hold_is_an_error_of_jitdriver_new() {
    let src = "
struct Box:
    value: int

def f(b: Box, x: int) -> int:
    v = b.value
    k = hint(v, concrete=True)
    return k + x
";
    let p = program(src);
    let err = match JitDriver::new(&p, "f", &["b"], LlinterpBackend::new(&p)) {
        Ok(_) => panic!("the analysis accepted a concrete read of a mutable field"),
        Err(e) => e,
    };
    assert_eq!(err.errors.len(), 1, "{err}");
    let e = &err.errors[0];
    assert!(e.message.contains("cannot be green as 'concrete' requires"), "{err}");
    assert!(e.message.contains("mutable field 'Box.value'"), "{err}");
    assert_eq!((e.span.line, e.span.col), (7, 9), "{err}");
    assert_eq!(e.notes.len(), 1, "{err}");
    assert_eq!(e.notes[0].0.line, 6, "the note points at the read: {err}");
    // A policy naming no parameter of the portal is an error too.
    let err = JitDriver::new(&p, "f", &["nope"], LlinterpBackend::new(&p)).err().unwrap();
    assert!(err.to_string().contains("has no parameter 'nope'"), "{err}");
}

#[test]
fn the_step_budget_falls_back_to_the_interpreter() {
    let src = "
def f(n: int, x: int) -> int:
    i = 0
    while i < n:
        hint(i, concrete=True)
        i += 1
    return x + i
";
    let p = program(src);
    let mut d = JitDriver::new(&p, "f", &["n"], LlinterpBackend::new(&p)).unwrap();
    d.config.budgets.max_steps = 1000;
    check(&d, &p, "f", &[100_000, 3]);
    let reports = d.reports();
    assert!(
        matches!(reports[0].gave_up, Some(timeshift::GiveUp::Budget(ref m)) if m.contains("steps")),
        "{reports:?}"
    );
    check(&d, &p, "f", &[100_000, 4]);
    assert_eq!(d.reports().len(), 1, "the key that gave up is not compiled again");
    check(&d, &p, "f", &[5, 1]);
    let reports = d.reports();
    assert_eq!(reports.len(), 2);
    assert!(reports[1].gave_up.is_none());
    assert_eq!(reports[1].stats.residual_ops, 1, "x + 5 only");
}

#[test]
fn the_residual_op_budget_falls_back_and_the_key_stays_interpreted() {
    let src = "
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        hint(i, concrete=True)
        s = s * 7 + x
        i += 1
    return s
";
    let p = program(src);
    let mut d = JitDriver::new(&p, "f", &["n"], LlinterpBackend::new(&p)).unwrap();
    d.config.budgets.max_residual_ops = 20;
    for (n, x) in [(50, 1), (50, 2), (3, 1), (50, -1), (3, 5)] {
        check(&d, &p, "f", &[n, x]);
    }
    let reports = d.reports();
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(
        matches!(reports[0].gave_up, Some(timeshift::GiveUp::Budget(ref m)) if m.contains("residual ops"))
    );
    assert!(reports[1].gave_up.is_none());
    assert!(reports[1].stats.residual_ops <= 20);
}

const SHIFT: &str = "
def f(n: int) -> int:
    a = 0
    b = 0
    c = 0
    d = 0
    while d < n:
        a = b
        b = c
        c = d
        d += 1
    return a + b + c
";

#[test]
fn the_version_budget_generalises_and_stays_correct() {
    // Versions are not a reason to give up: past the budget the loop is compiled for
    // variables only. The compilations succeed with as many versions as allowed.
    for (max, versions) in [(0, 1), (1, 2), (3, 4), (100, 5)] {
        let p = program(SHIFT);
        let mut d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
        d.config.budgets.max_versions = max;
        d.config.budgets.max_heapless_versions = 0;
        for n in [0, 1, 2, 3, 10] {
            check(&d, &p, "f", &[n]);
        }
        let reports = d.reports();
        assert_eq!(reports.len(), 1);
        assert!(reports[0].gave_up.is_none());
        assert_eq!(reports[0].stats.versions, versions, "max_versions {max}");
    }
}

#[test]
fn an_unsupported_promotion_falls_back_to_the_interpreter() {
    let src = "
def f(a: float, x: int) -> int:
    k = hint(a, promote=True)
    return int(k * 2.0) + x
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    for (a, x) in [(1.5, 1), (1.5, 2), (-3.25, 0)] {
        check_args(&d, &p, "f", &[RtValue::Float(a), RtValue::Int(x)]);
    }
    let reports = d.reports();
    assert_eq!(reports.len(), 1);
    assert!(matches!(reports[0].gave_up, Some(timeshift::GiveUp::Unsupported(_))), "{reports:?}");
    assert_eq!(d.misses(), 0);
}

#[test]
fn a_flexswitch_case_over_budget_still_gives_the_right_result() {
    let src = "
def f(n: int, x: int) -> int:
    k = hint(n, promote=True)
    i = 0
    while i < k:
        hint(i, concrete=True)
        x = x * 3 + 1
        i += 1
    return x
";
    let p = program(src);
    let mut d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    d.config.budgets.max_residual_ops = 50;
    check(&d, &p, "f", &[3, 1]);
    check(&d, &p, "f", &[100, 1]);
    // The case of 100 gave up; its fallback (the rest of f in the interpreter, from the
    // promotion) is installed as the case: the next 100 does not miss.
    let gave_up: Vec<_> = d.reports().into_iter().filter(|r| r.gave_up.is_some()).collect();
    assert_eq!(gave_up.len(), 1, "{gave_up:?}");
    assert!(matches!(gave_up[0].gave_up, Some(timeshift::GiveUp::Budget(_))));
    assert_eq!(fallbacks(&d), 1);
    let misses = d.misses();
    check(&d, &p, "f", &[100, 2]);
    check(&d, &p, "f", &[3, 2]);
    assert_eq!(d.misses(), misses);
}

/// Fallbacks to the interpreter compiled so far.
fn fallbacks(d: &JitDriver<LlinterpBackend>) -> usize {
    d.reports().iter().filter(|r| r.what.contains("fallback to the interpreter")).count()
}

#[test]
fn a_flexswitch_case_over_budget_in_a_callee_forces_the_virtuals_and_returns_to_the_caller() {
    // The promotion is in g, followed from f; p is virtual in both frames. The fallback
    // forces p once, runs the rest of g in the interpreter, and then the rest of f with g's
    // result.
    let src = "
struct Point:
    x: int
    y: int

def g(p: Point, n: int) -> int:
    k = hint(n, promote=True)
    i = 0
    s = 0
    while i < k:
        hint(i, concrete=True)
        s = s * 3 + p.x
        i += 1
    return s

def f(n: int, x: int) -> int:
    p = Point(x = x, y = 7)
    r = g(p, n)
    return r * 2 + p.y
";
    let p = program(src);
    let mut d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    d.config.budgets.max_residual_ops = 40;
    for (n, x) in [(2, 1), (60, 1), (60, 5), (3, 2), (61, -1)] {
        check(&d, &p, "f", &[n, x]);
    }
    assert_eq!(fallbacks(&d), 2, "one per value over budget");
    let (name, ops) = graphs_named(&d, "__fallback").into_iter().next().unwrap();
    assert_eq!(ops.iter().filter(|o| **o == "malloc").count(), 1, "{name}: p forced once: {ops:?}");
    assert_eq!(ops.iter().filter(|o| **o == "call").count(), 2, "{name}: g's rest, then f's");
}

#[test]
fn an_unsupported_flexswitch_case_falls_back_to_the_interpreter() {
    // The case of n meets a promotion of a float, which the engine does not handle.
    let src = "
def f(n: int, x: int) -> int:
    k = hint(n, promote=True)
    a = float(x) * 0.5
    b = hint(a, promote=True)
    return k + int(b)
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    for (n, x) in [(1, 4), (1, 6), (2, 4)] {
        check(&d, &p, "f", &[n, x]);
    }
    let gave_up: Vec<_> = d.reports().into_iter().filter(|r| r.gave_up.is_some()).collect();
    assert_eq!(gave_up.len(), 2, "{gave_up:?}");
    assert!(gave_up.iter().all(|r| matches!(r.gave_up, Some(timeshift::GiveUp::Unsupported(_)))));
    assert_eq!(fallbacks(&d), 2);
}

#[test]
fn past_the_cases_budget_a_flexswitch_goes_on_in_the_interpreter() {
    let p = program(PROMOTE);
    let mut d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    d.config.budgets.max_cases = 2;
    for x in [1, 2, 1, 3, 4, 5, 2, 3] {
        check(&d, &p, "f", &[x, 10]);
    }
    // Two compiled cases, then one fallback taking the value, for 3, 4 and 5 alike.
    assert_eq!(compiled_cases(&d) - fallbacks(&d), 2);
    assert_eq!(fallbacks(&d), 1);
    let reports = d.reports();
    let fallback = reports.iter().find(|r| r.what.contains("fallback")).unwrap();
    assert!(fallback.what.contains("more than 2 cases"), "{}", fallback.what);
    assert!(fallback.gave_up.is_none());
}

#[test]
fn past_the_cases_budget_promote_class_goes_on_in_the_interpreter() {
    let p = program(RED_CLASSES);
    let mut d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    d.config.budgets.max_cases = 1;
    let mut interp = Interp::new(&p);
    let make = p.graph_by_name("make").unwrap();
    let f = p.graph_by_name("f").unwrap();
    for (k, n) in [(0, 5), (1, 5), (0, 7), (2, 1), (1, 3)] {
        let o = interp.call(make, &ints(&[k, n])).unwrap();
        let want = interp.call(f, &[o]).unwrap();
        assert_eq!(d.call(&[o]).unwrap(), want, "k={k} n={n}");
    }
    assert_eq!(fallbacks(&d), 1);
}

#[test]
fn green_floats_key_the_cache() {
    let src = "
def f(a: float, b: float) -> float:
    k = a * a + 1.0
    return k * b
";
    let p = program(src);
    let d = JitDriver::new(&p, "f", &["a"], LlinterpBackend::new(&p)).unwrap();
    for (a, b) in [(2.0, 1.5), (2.0, -1.0), (0.5, 3.0), (2.0, 0.0)] {
        check_args(&d, &p, "f", &[RtValue::Float(a), RtValue::Float(b)]);
    }
    let reports = d.reports();
    assert_eq!(reports.len(), 2, "one compilation per value of a");
    // k is folded: one multiplication by a constant in each.
    assert_eq!(count_op(&d, "f__jit", "float_mul"), 2);
    assert_eq!(count_op(&d, "f__jit", "float_add"), 0);
}

const CARRY: &str = "
struct Point:
    x: int

struct Holder:
    p: Point

const H = Holder(p = None)

def acc(n: int, k: int) -> int:
    H.p = Point(x = 0)
    while n > 0:
        m = hint(k, promote=True)
        H.p = Point(x = H.p.x + m)
        n -= 1
    return H.p.x
";

/// A store of a virtual object pending at a flexswitch goes to the case with the object still
/// virtual (the miss path passes its fields, and makes no allocation), and the loop the case
/// continues in (an entry graph at the loop's header) allocates nothing either.
#[test]
fn a_pending_store_of_a_virtual_object_is_carried_into_a_flexswitch_case() {
    let p = program(CARRY);
    let d = JitDriver::new(&p, "acc", &[], LlinterpBackend::new(&p)).unwrap();
    for (n, k) in [(5, 3), (100, 3), (0, 3), (7, 4), (1, 4)] {
        check(&d, &p, "acc", &[n, k]);
    }
    let prog = d.backend().program();
    for g in prog.graphs.values().filter(|g| g.name.contains("__")) {
        let text = || rpy_ir::text::print_graph(&prog, prog.graph_by_name(&g.name).unwrap());
        let has = |b: &rpy_ir::ir::BlockData, op: &str| {
            b.ops.iter().any(|o| g.ops[*o].opcode.info().name == op)
        };
        for b in g.blocks.values().filter(|b| has(b, "jit_hook")) {
            assert!(!has(b, "malloc"), "a miss path allocates:\n{}", text());
        }
        if g.name.ends_with("__jit0") {
            assert!(!common::cycle_blocks(g, "malloc").is_empty(), "{}", text());
        }
    }
}

/// `hint(c, likely=True)`: the true side is compiled with the code, so a loop whose test holds
/// compiles with no miss at all; the false side is a case compiled when first taken.
const LIKELY: &str = "
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        if hint(i < x, likely=True):
            s += i
        else:
            s -= 1
        i += 1
    return s
";

#[test]
fn a_likely_test_compiles_its_true_side_at_once_and_its_false_side_when_taken() {
    let p = program(LIKELY);
    let d = JitDriver::new(&p, "f", &[], LlinterpBackend::new(&p)).unwrap();
    check(&d, &p, "f", &[10, 100]);
    assert_eq!((d.misses(), compiled_cases(&d)), (0, 0), "the bet held: nothing missed");
    // The true side is inline in the loop (in each of its versions: the peeled first
    // iterations and the general one), the false side behind the hook.
    let (_, ops) = residual_ops(&d).into_iter().find(|(n, _)| !n.contains("__case")).unwrap();
    assert!(ops.contains(&"jit_hook") && ops.contains(&"int_add"), "{ops:?}");
    check(&d, &p, "f", &[10, 3]);
    assert!(compiled_cases(&d) >= 1, "the false side, compiled when first taken");
    let runs = [(10, 3), (5, 0), (0, 0), (8, 8), (20, 100)];
    for (n, x) in runs {
        check(&d, &p, "f", &[n, x]);
    }
    let warm = d.misses();
    for (n, x) in runs {
        check(&d, &p, "f", &[n, x]);
    }
    assert_eq!(d.misses(), warm, "once both sides are compiled, nothing misses");
}
