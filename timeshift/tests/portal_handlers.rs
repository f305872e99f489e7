//! The shapes of an interpreter's `except` clause in its portal, on the IR-interpreter
//! backend through the JIT driver (results equal to llinterp's): the handler looks up the
//! guest handler with an `@elidable` function of green arguments (the code and the pc of
//! the instruction that raised), and re-raises the guest error with `raise e` when the code
//! has no handler for it. Both came from mini-Python's `eval_frame`, where they once failed
//! ("a green register receives the run-time value"; joins to the raise block with too few
//! arguments) and were worked around; they are regression tests of those shapes.

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{JitConfig, JitDriver, LlinterpBackend};

/// A bytecode of (op, arg) pairs. CHECK raises `VmError(value=x)` when `x % arg == 0`;
/// TRY marks the start of a protected range whose handler is at `arg` (the nearest TRY at
/// or before the raising instruction; -1: none). The handler adds the value to `acc`.
const VM: &str = "
const CHECK = 0
const DEC = 1
const JUMP_IF_POS = 2
const RETURN = 3
const TRY = 4
const ADD = 5

struct VmError(Exception):
    value: int

@elidable
def find_handler(code: array[int], pc: int) -> int:
    i = pc
    while i >= 0:
        if code[i] == TRY:
            return code[i + 1]
        i -= 2
    return -1

def run(code: array[int], x: int) -> int:
    code = hint(code, deepfreeze=True)
    acc = 0
    pc = 0
    while True:
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        arg = code[pc + 1]
        cur = pc
        pc += 2
        try:
            if op == CHECK:
                if x % arg == 0:
                    raise VmError(message=\"\", value=x)
            elif op == DEC:
                x -= 1
            elif op == JUMP_IF_POS:
                if x > 0:
                    pc = arg
            elif op == ADD:
                acc += arg
            elif op == RETURN:
                return acc
        except VmError as e:
            h = find_handler(code, cur)
            if h < 0:
                raise e
            acc += e.value
            pc = h
";

fn program() -> Program {
    rpy_ir::front::compile("vm.rpy", VM).unwrap_or_else(|d| panic!("{d}"))
}

/// Runs `run(code, x)` for each x in the IR interpreter and through the JIT driver (hot
/// after two merge points), checks they agree, and returns the outcomes.
fn run_both(code: &[i64], xs: &[i64]) -> Vec<Result<i64, String>> {
    let p = program();
    let mut interp = Interp::new(&p);
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, rpy_ir::types::HeapType::Array(a) if !a.immutable))
        .unwrap()
        .0;
    let items: Vec<RtValue> = code.iter().map(|&i| RtValue::Int(i)).collect();
    let c = interp.alloc_array(at, &items);
    let backend = LlinterpBackend::with_prebuilt(&p, &interp.prebuilt_words());
    let config = JitConfig { hot_merges: 2, ..JitConfig::default() };
    let d = JitDriver::with_backend(&p, "run", &["code"], config, |_| Ok(backend)).unwrap();
    let run = p.graph_by_name("run").unwrap();
    let mut outcomes = Vec::new();
    for &x in xs {
        let want = interp.call(run, &[c, RtValue::Int(x)]);
        let got = d.call(&[c, RtValue::Int(x)]);
        let show = |r: Result<RtValue, String>| r.map(|v| v.as_int().unwrap());
        let w = show(want.map_err(|e| format!("{e:?}")));
        let g = show(got.map_err(|e| format!("{e:?}")));
        match (&w, &g) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "x = {x}"),
            (Err(_), Err(_)) => {}
            _ => panic!("x = {x}: llinterp gave {w:?}, the JIT gave {g:?}"),
        }
        outcomes.push(w);
    }
    let reports = d.reports();
    assert!(reports.iter().any(|r| r.gave_up.is_none()), "nothing compiled: {reports:?}");
    outcomes
}

// 0: TRY 8; 2: CHECK 3; 4: DEC; 6: JUMP_IF_POS 2; 8: ADD 100 (handler, falls to) ... RETURN
const CAUGHT: &[i64] = &[4, 10, 0, 3, 1, 0, 2, 2, 5, 100, 3, 0];

#[test]
fn an_elidable_handler_lookup_in_the_portal_except_clause_runs() {
    let out = run_both(CAUGHT, &[10, 7, 1, 0]);
    assert_eq!(out[0], Ok(9));
}

// No TRY: the error leaves `run` through `raise e`.
const UNCAUGHT: &[i64] = &[0, 7, 1, 0, 2, 0, 3, 0];

#[test]
fn a_reraise_in_the_portal_except_clause_leaves_the_portal() {
    let out = run_both(UNCAUGHT, &[20, 6, 14]);
    assert!(out[0].is_err() && out[2].is_err());
    assert_eq!(out[1], Ok(0));
}
