//! The JIT hints of dynamic languages: `@elidable` and `@dont_look_inside` calls, calls
//! through green function pointers, and quasi-immutable fields (read as constants, the code
//! invalidated and compiled again when one is written). Results always equal llinterp's.

#[allow(dead_code)]
mod common;

use common::{check_ops_of, timeshift, Bool, Int};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{Backend, JitDriver, LlinterpBackend, RunError};

const ELIDABLE: &str = "
@elidable
def tri(n: int) -> int:
    total = 0
    i = 0
    while i <= n:
        total += i
        i += 1
    return total

@elidable
def inv(n: int) -> int:
    return 100 // n

def on_constants(k: int, x: int) -> int:
    return tri(k) + tri(10) + x

def on_red(x: int) -> int:
    return tri(x) * tri(x) + tri(x + 1)

def dominated(x: int, c: bool) -> int:
    a = 0
    if c:
        a = tri(x)
    b = tri(x)
    return a + b

def fails(k: int, x: int) -> int:
    if x > 0:
        return inv(k)
    return x
";

#[test]
fn an_elidable_call_on_constants_runs_at_compile_time() {
    let r = timeshift(ELIDABLE, "on_constants", &[Int(4), Int(7)], &["k"]);
    // tri(4) + tri(10) = 10 + 55, a loop run at compile time: one add of x left.
    r.check_ops(&[("call", 0), ("int_add", 1)]);
    assert!(common::uses_const(&r, rpy_ir::ir::Const::Int(65)), "{}", r.text());
}

/// Compile-time services of a driver whose prebuilt objects are an interpreter's.
struct Prebuilt(Vec<u64>);

impl timeshift::CompileServices for Prebuilt {
    fn continuation(
        &self,
        _: timeshift::jitcode::JitCodeIdx,
        _: usize,
    ) -> Result<(rpy_ir::ir::GraphIdx, Vec<rpy_ir::ir::Var>), timeshift::GiveUp> {
        Err(timeshift::GiveUp::Unsupported("no continuations here".into()))
    }

    fn prebuilt_address(&self, p: rpy_ir::ir::PrebuiltIdx) -> Option<u64> {
        self.0.get(cranelift_entity::EntityRef::index(p)).copied()
    }
}

#[test]
fn elidable_calls_of_every_compilation_run_on_the_program_precompiled_once() {
    let p = common::compile_program(ELIDABLE);
    let words = Interp::new(&p).prebuilt_words();
    let services = Prebuilt(words);
    let policy = hintanalysis::Policy::new(&p, "on_constants", &["k"]).unwrap();
    let analysis = hintanalysis::analyse(&p, &policy).unwrap_or_else(|d| panic!("{d}"));
    let codes = timeshift::jitcode::write_all(&analysis);
    let hooks = std::cell::Cell::new(0);
    let shared = timeshift::Shared { hooks: &hooks, entries: None, known: None };
    let budgets = timeshift::Budgets { cold_guards: false, ..Default::default() };
    let engine = timeshift::Engine {
        program: &p,
        codes: &codes,
        budgets,
        shared,
        services: Some(&services),
    };
    assert_eq!(codes.elidable.builds(), 0);
    for (k, want) in [(4, 65), (5, 70), (4, 65)] {
        let key = [Some(rpy_ir::ir::Const::Int(k)), None];
        let c = timeshift::Compiler::compile(engine, &key, "on_constants__residual").unwrap();
        let folded = rpy_ir::ir::Value::Const(rpy_ir::ir::Const::Int(want));
        assert!(c.graph.ops.values().any(|op| op.args.contains(&folded)), "k = {k}");
    }
    assert_eq!(codes.elidable.builds(), 1, "precompiled again for a compilation");
}

#[test]
fn an_elidable_call_repeated_on_the_same_red_argument_is_emitted_once() {
    let r = timeshift(ELIDABLE, "on_red", &[Int(6)], &[]);
    // tri(x) twice is one call; tri(x + 1) has other arguments.
    r.check_ops(&[("call", 2), ("int_mul", 1)]);
}

#[test]
fn an_elidable_result_is_reused_only_where_the_earlier_call_dominates() {
    for c in [true, false] {
        let r = timeshift(ELIDABLE, "dominated", &[Int(5), Bool(c)], &[]);
        // The call in the branch does not dominate the one after the join.
        r.check_ops(&[("call", 2)]);
    }
}

#[test]
fn an_elidable_call_failing_at_compile_time_stays_a_call_and_fails_at_run_time() {
    let r = timeshift(ELIDABLE, "fails", &[Int(0), Int(1)], &["k"]);
    r.check_ops(&[("call", 1)]);
    common::rerun(&r, "fails", &[0, -3], &[true, false]);
    let ok = timeshift(ELIDABLE, "fails", &[Int(5), Int(1)], &["k"]);
    ok.check_ops(&[("call", 0)]);
}

const LOOK_INSIDE: &str = "
@dont_look_inside
def helper(x: int) -> int:
    return x * 3 + 1

def plain(x: int) -> int:
    return x * 3 + 1

def f(k: int, x: int) -> int:
    return helper(k) + plain(k) + x
";

#[test]
fn a_dont_look_inside_call_stays_residual_on_constants() {
    let r = timeshift(LOOK_INSIDE, "f", &[Int(4), Int(1)], &["k"]);
    // helper(4) is called at run time; plain(4) folds to 13.
    r.check_ops(&[("call", 1), ("int_mul", 0)]);
}

const FNPTR: &str = "
def add1(x: int) -> int:
    return x + 1

def triple(x: int) -> int:
    return x * 3

def square(x: int) -> int:
    return x * x

const TABLE: frozen[fn(int) -> int] = [add1, triple, square]

def run(op: int, x: int) -> int:
    f = TABLE[op]
    return f(x) + f(x + 1)

def through(g: fn(int) -> int, x: int) -> int:
    return g(x)

def red_pointer(op: int, x: int) -> int:
    return through(TABLE[op], x)
";

#[test]
fn a_call_through_a_green_function_pointer_is_followed() {
    let r = timeshift(FNPTR, "run", &[Int(1), Int(5)], &["op"]);
    // triple inlined twice: no call left, two multiplications.
    r.check_ops(&[("call_indirect", 0), ("call", 0), ("int_mul", 2)]);
    let r = timeshift(FNPTR, "run", &[Int(2), Int(5)], &["op"]);
    r.check_ops(&[("call_indirect", 0), ("call", 0), ("int_mul", 2)]);
}

#[test]
fn a_call_through_a_red_function_pointer_stays_indirect() {
    let r = timeshift(FNPTR, "red_pointer", &[Int(1), Int(5)], &[]);
    r.check_ops(&[("call_indirect", 1)]);
}

const QUASI: &str = "
struct Config:
    version: int quasi
    scale: int

const CONFIG = Config(version = 2, scale = 3)

def set_version(v: int) -> int:
    CONFIG.version = v
    return v

@dont_look_inside
def bump() -> int:
    CONFIG.version += 1
    return 0

def scaled(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        total += CONFIG.version * i
        i += 1
    return total

def bumping(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        total += CONFIG.version
        if i == 3:
            bump()
        i += 1
    return total

def fresh(n: int) -> int:
    c = Config(version = 1, scale = 0)
    c.version = n
    c.version += CONFIG.version
    return c.version

def deep_frozen(n: int) -> int:
    c = hint(CONFIG, deepfreeze=True)
    return c.version * n

def promoted(x: int, y: int) -> int:
    k = hint(x, promote=True)
    return k * CONFIG.version + y

def writes(n: int) -> int:
    x = CONFIG.version
    CONFIG.version = x + n
    return CONFIG.version * 10 + x
";

fn program(src: &str) -> Program {
    rpy_ir::front::compile("test.rpy", src).unwrap_or_else(|d| panic!("{d}"))
}

/// A driver over `portal` (no greens) and a reference interpreter with its own copy of the
/// program's global state, to which every step is applied alike.
struct Twin<'p> {
    p: &'p Program,
    driver: JitDriver<'p, LlinterpBackend>,
    reference: Interp<'p>,
    portal: &'static str,
}

impl<'p> Twin<'p> {
    fn new(p: &'p Program, portal: &'static str) -> Twin<'p> {
        let driver = JitDriver::new(p, portal, &[], LlinterpBackend::new(p)).unwrap();
        Twin { p, driver, reference: Interp::new(p), portal }
    }

    /// A portal call through the JIT, checked against the reference.
    fn call(&mut self, n: i64) -> i64 {
        self.call_with(&[n])
    }

    fn call_with(&mut self, args: &[i64]) -> i64 {
        let n: Vec<RtValue> = args.iter().map(|a| RtValue::Int(*a)).collect();
        let want = self.reference.call(self.p.graph_by_name(self.portal).unwrap(), &n);
        let got = self.driver.call(&n);
        match (want, got) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{}({args:?})", self.portal);
                a.as_int().unwrap()
            }
            (a, b) => panic!("interpreter {a:?}, JIT {b:?}"),
        }
    }

    /// Runs the interpreter's `set_version` in both (the write hook invalidates).
    fn set_version(&mut self, v: i64) {
        let g = self.p.graph_by_name("set_version").unwrap();
        self.reference.call(g, &[RtValue::Int(v)]).unwrap();
        let r: Result<RtValue, RunError> =
            self.driver.backend().call_interpreter(g, &[RtValue::Int(v)]);
        r.unwrap();
    }

    fn compilations(&self) -> usize {
        self.driver
            .reports()
            .iter()
            .filter(|r| r.gave_up.is_none() && r.what.contains("key"))
            .count()
    }

    /// The residual graph of the latest key compilation.
    fn latest(&self) -> (std::rc::Rc<Program>, rpy_ir::ir::GraphIdx) {
        let prog = self.driver.backend().program();
        let g = prog
            .graphs
            .iter()
            .filter(|(_, g)| g.name.contains("__jit"))
            .map(|(i, _)| i)
            .max()
            .expect("a compiled graph");
        (prog, g)
    }
}

#[test]
fn a_quasi_immutable_read_is_a_constant_and_a_write_invalidates() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "scaled");
    assert_eq!(t.call(5), 20);
    assert_eq!(t.compilations(), 1);
    let (prog, g) = t.latest();
    // version read as the constant 2: no getfield, the multiply by 2 stays; no check (the
    // loop calls nothing that could write).
    // (The first iteration is peeled: its multiplication has constant operands once the
    // block parameters passed one value are gone, and folds; one is left, in the loop.) The
    // one check is on entry.
    check_ops_of(&prog, g, &[("getfield", 0), ("int_mul", 1), ("call_extern", 1)]);
    assert!(prog.graphs[g]
        .ops
        .values()
        .any(|o| o.args.contains(&rpy_ir::ir::Value::Const(rpy_ir::ir::Const::Int(2)))));
    assert_eq!(t.call(4), 12);
    assert_eq!(t.compilations(), 1, "valid code is entered again");
    t.set_version(7);
    assert_eq!(t.call(5), 70);
    assert_eq!(t.compilations(), 2, "the write made the key compile again");
    let (prog, g) = t.latest();
    assert!(prog.graphs[g]
        .ops
        .values()
        .any(|o| o.args.contains(&rpy_ir::ir::Value::Const(rpy_ir::ir::Const::Int(7)))));
    assert_eq!(t.call(3), 21);
    assert_eq!(t.compilations(), 2);
    // A write of the same value still invalidates (the hook does not compare).
    t.set_version(7);
    assert_eq!(t.call(3), 21);
    assert_eq!(t.compilations(), 3);
}

#[test]
fn a_residual_call_that_writes_is_followed_by_a_check_that_falls_back() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "bumping");
    // version 2 for i <= 3, then 3: 2*4 + 3*4.
    assert_eq!(t.call(8), 20);
    let (prog, g) = t.latest();
    if std::env::var("SHOW").is_ok() {
        eprintln!("{}", rpy_ir::text::print_graph(&prog, g));
    }
    let checks = prog.graphs[g]
        .ops
        .values()
        .filter(|o| matches!(&o.aux, rpy_ir::ir::Aux::Extern(n) if n == "jit_quasi_valid"))
        .count();
    assert!(
        checks >= 2,
        "an entry check and one after the call:\n{}",
        rpy_ir::text::print_graph(&prog, g)
    );
    // The call invalidated the code: compiled again, with version 3 and then 4.
    assert_eq!(t.call(8), 4 * 3 + 4 * 4);
    assert_eq!(t.compilations(), 2);
    assert_eq!(t.call(2), 8);
}

#[test]
fn a_write_by_compiled_code_invalidates_it() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "writes");
    assert_eq!(t.call(1), 32);
    assert_eq!(t.call(2), 53);
    assert_eq!(t.call(3), 85);
    assert!(t.compilations() >= 2, "every call wrote the field the code relied on");
}

#[test]
fn code_that_reads_no_quasi_immutable_field_has_no_check() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "set_version");
    assert_eq!(t.call(9), 9);
    let (prog, g) = t.latest();
    let checks = prog.graphs[g]
        .ops
        .values()
        .filter(|o| matches!(&o.aux, rpy_ir::ir::Aux::Extern(n) if n == "jit_quasi_valid"))
        .count();
    assert_eq!(checks, 0, "{}", rpy_ir::text::print_graph(&prog, g));
}

#[test]
fn a_flexswitch_case_relying_on_a_changed_field_is_compiled_again_in_place() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "promoted");
    assert_eq!(t.call_with(&[5, 1]), 11);
    assert_eq!(t.call_with(&[5, 2]), 12);
    let cases =
        |t: &Twin| t.driver.reports().iter().filter(|r| r.what.contains("flexswitch")).count();
    let again =
        |t: &Twin| t.driver.reports().iter().filter(|r| r.what.contains("relied on")).count();
    assert_eq!((cases(&t), again(&t)), (1, 0));
    t.set_version(7);
    // The case is compiled again (its graph replaced: the switch reaches the new code).
    assert_eq!(t.call_with(&[5, 1]), 36);
    assert_eq!((cases(&t), again(&t)), (1, 1));
    assert_eq!(t.call_with(&[5, 3]), 38);
    assert_eq!(again(&t), 1, "compiled again once");
    let prog = t.driver.backend().program();
    let case = prog.graphs.values().find(|g| g.name.contains("__case")).expect("a case graph");
    let ops: Vec<_> = case.ops.values().map(|o| o.opcode.info().name).collect();
    // The new constant 35 folded in; the entry test is the only other op.
    assert!(ops.contains(&"int_add") && !ops.contains(&"getfield"), "{ops:?}");
}

#[test]
fn a_quasi_immutable_field_behind_a_deep_frozen_pointer_is_still_watched() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "deep_frozen");
    assert_eq!(t.call(5), 10);
    t.set_version(4);
    assert_eq!(t.call(5), 20);
    assert_eq!(t.compilations(), 2);
}

#[test]
fn a_quasi_immutable_store_to_a_virtual_object_keeps_it_virtual() {
    let p = program(QUASI);
    let mut t = Twin::new(&p, "fresh");
    assert_eq!(t.call(5), 7);
    let (prog, g) = t.latest();
    // No allocation, no hook, no address taken: the result is n + 2.
    check_ops_of(
        &prog,
        g,
        &[("malloc", 0), ("call_extern", 1), ("cast_ptr_to_int", 0), ("int_add", 1)],
    );
    t.set_version(3);
    assert_eq!(t.call(5), 8);
}

const QUASI_VM: &str = "
const ADD_VERSION = 1
const DEC = 2
const JUMP_IF_POS = 3

struct Config:
    version: int quasi

const CONFIG = Config(version = 2)

def set_version(v: int) -> int:
    CONFIG.version = v
    return v

def run(code: array[int], x: int) -> int:
    code = hint(code, deepfreeze=True)
    acc = 0
    pc = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == ADD_VERSION:
            acc += CONFIG.version
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
fn code_entered_at_the_merge_point_is_compiled_again_after_a_write() {
    let p = program(QUASI_VM);
    let mut d = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    d.config.hot_merges = 2;
    let mp = d.merge_point().unwrap().clone();
    let mut reference = Interp::new(&p);
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, rpy_ir::types::HeapType::Array(a) if !a.immutable))
        .unwrap()
        .0;
    // acc += version; x -= 1; while x > 0.
    let items: Vec<RtValue> = [1, 2, 3, 0].iter().map(|&i| RtValue::Int(i)).collect();
    let c = reference.alloc_array(at, &items);
    let g = &p.graphs[mp.graph];
    let value = |v: rpy_ir::ir::Var| -> RtValue {
        match g.vars[v].name.as_deref().unwrap_or("") {
            n if n.starts_with("code") => c,
            n if n.starts_with('x') => RtValue::Int(10),
            _ => RtValue::Int(0),
        }
    };
    let values: Vec<RtValue> = mp.greens.iter().chain(&mp.reds).map(|(v, _)| value(*v)).collect();
    let (run, set) = (p.graph_by_name("run").unwrap(), p.graph_by_name("set_version").unwrap());
    let merges = |d: &JitDriver<LlinterpBackend>| {
        d.reports().iter().filter(|r| r.what.contains("hot at the merge point")).count()
    };
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "not hot yet");
    let want = reference.call(run, &[c, RtValue::Int(10)]).unwrap();
    assert_eq!(want, RtValue::Int(20));
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want));
    assert_eq!(merges(&d), 1);
    reference.call(set, &[RtValue::Int(5)]).unwrap();
    d.backend().call_interpreter(set, &[RtValue::Int(5)]).unwrap();
    // Invalid: the key counts again (the interpreter runs) and is compiled again when hot.
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "invalid: interpret");
    let want = reference.call(run, &[c, RtValue::Int(10)]).unwrap();
    assert_eq!(want, RtValue::Int(50));
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "counting again");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want), "compiled again");
    assert_eq!(merges(&d), 2);
}
