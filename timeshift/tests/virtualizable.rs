//! Virtualizable frames on the IR-interpreter backend: a small stack bytecode interpreter
//! whose frame (locals array, value stack, stack depth) is declared virtualizable, run through
//! the JIT driver and compared with the IR interpreter — on results and on the frame's
//! contents afterwards — and the residual loops' shapes: no frame traffic across a residual
//! call that cannot reach the frame, write-back before and read-back after one that can,
//! memory up to date at flexswitch misses and fallbacks.
//!
//! The interpreter ([`VM`]) is shaped like a Python one (code objects with their own number of
//! locals and stack size, a frame made per call, `LOAD_FAST`/`STORE_FAST`, a value stack whose
//! depth is a green of the dispatch loop and a field of the frame): the start of the
//! Python-shaped example interpreter.

#[allow(dead_code)]
mod common;

use common::cycle_blocks;
use rpy_ir::ir::{Graph, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::collections::BTreeMap;
use timeshift::{Backend, Budgets, JitConfig, JitDriver, LlinterpBackend};

/// The interpreter. `run` is the portal (green: the code object); the frame is red.
const VM: &str = "
const LOAD_FAST = 1
const STORE_FAST = 2
const LOAD_CONST = 3
const BINARY_ADD = 4
const BINARY_LT = 5
const BINARY_MOD = 6
const POP_JUMP_IF_FALSE = 7
const JUMP = 8
const CALL_HELPER = 9
const CALL_PROBE = 10
const PROMOTE = 11
const RETURN_VALUE = 12

struct Code immutable:
    ops: frozen[int]
    nlocals: int
    stacksize: int

struct Frame virtualizable(depth, locals[*], stack[*]):
    code: Code
    locals: array[int]
    stack: array[int]
    depth: int

def new_frame(code: Code, n: int) -> Frame:
    f = Frame(code=code, locals=array[int](code.nlocals), stack=array[int](code.stacksize), depth=0)
    f.locals[1] = n
    return f

# A helper the JIT calls residually (it is recursive) and that cannot reach a frame.
def helper(x: int) -> int:
    if x < 7:
        return x
    return helper(x - 7)

# A residual helper that reads the frame (every local and the top of the stack) and writes it
# (bumps local 0, the loop counter).
def probe(f: Frame, i: int) -> int:
    if i == 0:
        f.locals[0] = f.locals[0] + 1
    if i >= len(f.locals):
        return f.stack[f.depth - 1]
    return f.locals[i] + probe(f, i + 1)

def run(code: Code, f: Frame) -> int:
    code = hint(code, deepfreeze=True)
    ops = code.ops
    pc = 0
    sp = 0
    while True:
        hint(None, global_merge_point=True)
        op = hint(ops[pc], concrete=True)
        pc += 1
        if op == LOAD_FAST:
            f.stack[sp] = f.locals[ops[pc]]
            sp += 1
            f.depth = sp
            pc += 1
        elif op == STORE_FAST:
            sp -= 1
            f.locals[ops[pc]] = f.stack[sp]
            f.depth = sp
            pc += 1
        elif op == LOAD_CONST:
            f.stack[sp] = ops[pc]
            sp += 1
            f.depth = sp
            pc += 1
        elif op == BINARY_ADD:
            sp -= 1
            f.stack[sp - 1] = f.stack[sp - 1] + f.stack[sp]
            f.depth = sp
        elif op == BINARY_LT:
            sp -= 1
            r = 0
            if f.stack[sp - 1] < f.stack[sp]:
                r = 1
            f.stack[sp - 1] = r
            f.depth = sp
        elif op == BINARY_MOD:
            sp -= 1
            f.stack[sp - 1] = f.stack[sp - 1] % f.stack[sp]
            f.depth = sp
        elif op == POP_JUMP_IF_FALSE:
            sp -= 1
            f.depth = sp
            if f.stack[sp] == 0:
                pc = ops[pc]
            else:
                pc += 1
        elif op == JUMP:
            pc = ops[pc]
        elif op == CALL_HELPER:
            f.stack[sp - 1] = helper(f.stack[sp - 1])
        elif op == CALL_PROBE:
            x = probe(f, 0)
            f.stack[sp] = x
            sp += 1
            f.depth = sp
        elif op == PROMOTE:
            f.stack[sp - 1] = hint(f.stack[sp - 1], promote=True)
        else:
            sp -= 1
            f.depth = sp
            return f.stack[sp]

# A digest of a frame's contents: its depth, locals and stack.
def digest(f: Frame) -> int:
    s = f.depth
    i = 0
    while i < len(f.locals):
        s = s * 31 + f.locals[i]
        i += 1
    i = 0
    while i < len(f.stack):
        s = s * 31 + f.stack[i]
        i += 1
    return s

# i = 0; acc = 0
# while i < n:
#     acc = acc + helper(i)
#     i = i + 1
# return acc
const HELPER_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 24,
    LOAD_FAST, 2, LOAD_FAST, 0, CALL_HELPER, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)

# while i < n:
#     acc = acc + probe(frame)    (probe also bumps i, reading every local and the stack top)
#     i = i + 1
const PROBE_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 22,
    LOAD_FAST, 2, CALL_PROBE, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)

# while i < n:
#     acc = acc + promote(i % 3)
#     i = i + 1
const PROMOTE_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 27,
    LOAD_FAST, 2, LOAD_FAST, 0, LOAD_CONST, 3, BINARY_MOD, PROMOTE, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)
";

/// The interpreter's program, its prebuilt objects made once by `interp` (the reference)
/// and shared with the backend, so both run the same code objects.
struct Setup {
    program: Program,
}

impl Setup {
    fn new() -> Setup {
        let program = rpy_ir::front::compile("vm.rpy", VM).unwrap_or_else(|d| panic!("{d}"));
        Setup { program }
    }

    fn code(&self, interp: &Interp, name: &str) -> RtValue {
        let p = self.program.prebuilt_names.iter().find(|(_, n)| n.as_str() == name);
        interp.prebuilt(*p.expect("no such code object").0)
    }

    fn call(&self, interp: &mut Interp, func: &str, args: &[RtValue]) -> RtValue {
        let g = self.program.graph_by_name(func).unwrap();
        interp.call(g, args).unwrap_or_else(|e| panic!("{func}: {e:?}"))
    }
}

/// Runs `code` on `n` through a driver (with `budgets`) and in the IR interpreter, for each
/// `n` in `ns`, and checks that results and frames agree. Returns the driver's residual
/// graphs' ops, per graph name.
fn run_both(code: &str, ns: &[i64], budgets: Budgets) -> Vec<(String, BTreeMap<String, usize>)> {
    let s = Setup::new();
    let mut interp = Interp::new(&s.program);
    let backend = LlinterpBackend::with_prebuilt(&s.program, &interp.prebuilt_words());
    let config = JitConfig { budgets, ..JitConfig::default() };
    let d = JitDriver::with_backend(&s.program, "run", &["code"], config, |_| Ok(backend)).unwrap();
    let c = s.code(&interp, code);
    for &n in ns {
        let want_frame = s.call(&mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let want = s.call(&mut interp, "run", &[c, want_frame]);
        let got_frame = s.call(&mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let got = d.call(&[c, got_frame]).unwrap_or_else(|e| panic!("{code}({n}): {e:?}"));
        assert_eq!(want, got, "{code}({n}): results differ");
        let (a, b) = (s.call(&mut interp, "digest", &[want_frame]), s.call(&mut interp, "digest", &[got_frame]));
        assert_eq!(a, b, "{code}({n}): the frames differ afterwards");
    }
    let prog = d.backend().program();
    if std::env::var_os("VABLE_SHOW").is_some() {
        for (g, graph) in prog.graphs.iter().filter(|(_, g)| g.name.contains("__")) {
            eprintln!("{}\n{}", graph.name, rpy_ir::text::print_graph(&prog, g));
        }
    }
    prog.graphs.values().filter(|g| g.name.contains("__")).map(|g| (g.name.clone(), loop_ops(g))).collect()
}

/// Counts of each opcode in the blocks of `g` on a cycle.
fn loop_ops(g: &Graph) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for b in cycle_blocks(g, "") {
        for op in &g.blocks[b].ops {
            *counts.entry(g.ops[*op].opcode.info().name.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

fn count(ops: &BTreeMap<String, usize>, name: &str) -> usize {
    ops.get(name).copied().unwrap_or(0)
}

const FRAME_OPS: [&str; 4] = ["getfield", "setfield", "getarrayitem", "setarrayitem"];

#[test]
fn a_frame_stays_in_registers_across_a_call_that_cannot_reach_it() {
    let graphs = run_both("HELPER_LOOP", &[10, 0, 1, 37], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    for op in FRAME_OPS {
        assert_eq!(count(ops, op), 0, "{name}: {op} in the loop: {ops:?}");
    }
    assert_eq!(count(ops, "call"), 1, "{name}: the one residual call: {ops:?}");
    assert_eq!(count(ops, "malloc"), 0, "{name}: {ops:?}");
}

#[test]
fn a_call_that_may_reach_the_frame_sees_it_written_back_and_it_is_read_back_after() {
    let graphs = run_both("PROBE_LOOP", &[10, 0, 1, 5], Budgets::default());
    let (name, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    assert_eq!(count(ops, "call"), 1, "{name}: {ops:?}");
    // Before the call: the stack depth and the items the probe reads (i, n, acc are locals
    // 0..2, the stack holds acc); after it, what the loop uses again is read back.
    assert!(count(ops, "setarrayitem") >= 1 && count(ops, "setfield") >= 1, "{name}: {ops:?}");
    assert!(count(ops, "getarrayitem") >= 1, "{name}: read back: {ops:?}");
}

#[test]
fn flexswitch_cases_and_misses_see_the_frame_the_interpreter_expects() {
    let graphs = run_both("PROMOTE_LOOP", &[10, 3, 20], Budgets::default());
    assert!(graphs.iter().any(|(n, _)| n.contains("__case")), "cases were compiled");
}

#[test]
fn fallbacks_to_the_interpreter_see_the_frame_written_back() {
    // One case per promotion site at most: the other values fall back to the interpreter,
    // which continues on the frame in memory.
    let budgets = Budgets { max_cases: 1, max_inline_cases: 0, ..Budgets::default() };
    run_both("PROMOTE_LOOP", &[10, 7, 2], budgets);
}

#[test]
fn a_tight_entry_budget_writes_the_frame_back_at_each_merge_and_agrees() {
    let budgets = Budgets { max_virtualizable_entries: 1, ..Budgets::default() };
    let graphs = run_both("HELPER_LOOP", &[10, 3], budgets);
    let (_, ops) = graphs.iter().find(|(_, ops)| !ops.is_empty()).expect("a residual loop");
    assert!(count(ops, "setarrayitem") > 0, "past the budget the loop writes its frame: {ops:?}");
}
