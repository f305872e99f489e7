//! Unit tests of the lowering of individual ops: each op runs on edge-case operands in llinterp
//! and in translated code at O0 and O2 (operands as run-time values, and as constants that
//! LLVM folds at O2), and the results or errors must be identical.

use crate::{translate, OptLevel, Translated};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeError};

const INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    -2,
    3,
    -3,
    7,
    -7,
    63,
    64,
    65,
    -64,
    255,
    256,
    1 << 40,
    i64::MIN,
    i64::MIN + 1,
    i64::MAX,
    i64::MAX - 1,
];

const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    1.5,
    -1.5,
    2.5,
    -2.5,
    1e300,
    -1e300,
    9.223372036854775e18,
    9.3e18,
    -9.3e18,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    f64::MIN_POSITIVE,
];

fn program(src: &str) -> Program {
    rpy_ir::front::compile("test.rpy", src).unwrap_or_else(|d| panic!("{d}\n{src}"))
}

/// Outcomes compared exactly: floats by bits, errors by kind, message, span and graph.
fn key(r: Result<RtValue, RuntimeError>) -> String {
    match r {
        Ok(RtValue::Float(f)) => format!("float {:#x}", f.to_bits()),
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("{:?} {:?} {} {}", e.kind, e.span, e.graph, e.message),
    }
}

/// Runs `func` of `src` on every argument list in llinterp and translated at O0 and O2.
fn check(src: &str, func: &str, arg_lists: &[Vec<RtValue>]) {
    let p = program(src);
    let g = p.graph_by_name(func).unwrap();
    let mut interp = Interp::new(&p);
    let mut modes: Vec<(OptLevel, Translated)> =
        [OptLevel::O0, OptLevel::O2].iter().map(|&o| (o, translate(&p, o).unwrap())).collect();
    for args in arg_lists {
        let want = key(interp.call(g, args));
        for (o, t) in &mut modes {
            let got = key(t.call_here(g, args));
            assert_eq!(got, want, "{func}{args:?} at {o:?}\n{src}");
        }
    }
}

fn int_pairs(xs: &[i64], ys: &[i64]) -> Vec<Vec<RtValue>> {
    xs.iter()
        .flat_map(|&x| ys.iter().map(move |&y| vec![RtValue::Int(x), RtValue::Int(y)]))
        .collect()
}

fn ints(xs: &[i64]) -> Vec<Vec<RtValue>> {
    xs.iter().map(|&x| vec![RtValue::Int(x)]).collect()
}

/// One function per constant: `def NAME_k(a: int) -> int: return EXPR` with `C` replaced.
fn with_constants(name: &str, expr: &str, constants: &[i64]) -> String {
    let mut src = String::new();
    for (k, c) in constants.iter().enumerate() {
        // Negative literals are written as a wrapping subtraction so MIN is expressible.
        let lit = if *c < 0 { format!("(0 - {} - 1)", -(c + 1)) } else { c.to_string() };
        src +=
            &format!("def {name}_{k}(a: int) -> int:\n    return {}\n\n", expr.replace('C', &lit));
    }
    src
}

fn check_constants(name: &str, expr: &str, constants: &[i64], operands: &[i64]) {
    let src = with_constants(name, expr, constants);
    for k in 0..constants.len() {
        check(&src, &format!("{name}_{k}"), &ints(operands));
    }
}

#[test]
fn floordiv_and_mod_follow_python_with_wrapping() {
    let src = "def fdiv(a: int, b: int) -> int:\n    return a // b\n\n\
               def fmod(a: int, b: int) -> int:\n    return a % b\n";
    check(src, "fdiv", &int_pairs(INTS, INTS));
    check(src, "fmod", &int_pairs(INTS, INTS));
}

#[test]
fn floordiv_and_mod_by_constants() {
    check_constants("d", "a // C", INTS, INTS);
    check_constants("m", "a % C", INTS, INTS);
    check_constants("n", "C // a", &[7, -7, i64::MIN], INTS);
}

#[test]
fn shifts_saturate_and_reject_negative_counts() {
    let counts = [0, 1, 5, 62, 63, 64, 65, 1000, -1, -64, i64::MIN, i64::MAX];
    let src = "def shl(a: int, b: int) -> int:\n    return a << b\n\n\
               def shr(a: int, b: int) -> int:\n    return a >> b\n";
    check(src, "shl", &int_pairs(INTS, &counts));
    check(src, "shr", &int_pairs(INTS, &counts));
    check_constants("l", "a << C", &counts, INTS);
    check_constants("r", "a >> C", &counts, INTS);
}

#[test]
fn wrapping_arithmetic_bitwise_and_comparisons() {
    let mut src = String::new();
    for (name, op) in
        [("add", "+"), ("sub", "-"), ("mul", "*"), ("band", "&"), ("bor", "|"), ("bxor", "^")]
    {
        src += &format!("def {name}(a: int, b: int) -> int:\n    return a {op} b\n\n");
    }
    for (name, op) in
        [("lt", "<"), ("le", "<="), ("eq", "=="), ("ne", "!="), ("gt", ">"), ("ge", ">=")]
    {
        src += &format!("def {name}(a: int, b: int) -> bool:\n    return a {op} b\n\n");
    }
    src += "def neg(a: int, b: int) -> int:\n    return -a + 0 * b\n\n";
    src += "def inv(a: int, b: int) -> int:\n    return ~a + 0 * b\n\n";
    let pairs = int_pairs(INTS, &[0, 1, -1, 7, i64::MIN, i64::MAX]);
    for f in [
        "add", "sub", "mul", "band", "bor", "bxor", "lt", "le", "eq", "ne", "gt", "ge", "neg",
        "inv",
    ] {
        check(&src, f, &pairs);
    }
}

#[test]
fn float_ops_and_comparisons_with_nan_and_infinities() {
    let mut src = String::new();
    for (name, op) in [("fadd", "+"), ("fsub", "-"), ("fmul", "*"), ("fdiv", "/")] {
        src += &format!("def {name}(a: float, b: float) -> float:\n    return a {op} b\n\n");
    }
    for (name, op) in
        [("lt", "<"), ("le", "<="), ("eq", "=="), ("ne", "!="), ("gt", ">"), ("ge", ">=")]
    {
        src += &format!("def {name}(a: float, b: float) -> bool:\n    return a {op} b\n\n");
    }
    src += "def fneg(a: float, b: float) -> float:\n    return -a\n\n";
    let pairs: Vec<Vec<RtValue>> = FLOATS
        .iter()
        .flat_map(|&x| FLOATS.iter().map(move |&y| vec![RtValue::Float(x), RtValue::Float(y)]))
        .collect();
    for f in ["fadd", "fsub", "fmul", "fdiv", "lt", "le", "eq", "ne", "gt", "ge", "fneg"] {
        check(&src, f, &pairs);
    }
}

#[test]
fn casts_saturate_and_check_ranges() {
    let src = "def to_int(x: float) -> int:\n    return int(x)\n\n\
               def to_float(x: int) -> float:\n    return float(x)\n\n\
               def to_chr(x: int) -> char:\n    return chr(x)\n\n\
               def round_trip(x: int) -> int:\n    return ord(chr(x))\n\n\
               def const_nan(x: int) -> int:\n    return int(0.0 / 0.0) + x\n\n\
               def const_big(x: int) -> int:\n    return int(1e300) + x\n";
    check(src, "to_int", &FLOATS.iter().map(|&f| vec![RtValue::Float(f)]).collect::<Vec<_>>());
    check(src, "to_float", &ints(INTS));
    check(src, "to_chr", &ints(INTS));
    check(src, "round_trip", &ints(&[0, 1, 127, 128, 200, 255, 0xD7FF, 0xE000, 0x10FFFF]));
    let edges = [0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x10FFFF, 0x110000, 0xFFFF_FFFF, 0x1_0000_0041];
    check(src, "to_chr", &ints(&edges));
    check(src, "const_nan", &ints(&[0, 5]));
    check(src, "const_big", &ints(&[0, 5]));
}

#[test]
fn chars_compare_unsigned_and_bools_compare_as_bools() {
    let mut src = String::new();
    for (name, op) in
        [("lt", "<"), ("le", "<="), ("eq", "=="), ("ne", "!="), ("gt", ">"), ("ge", ">=")]
    {
        src += &format!("def c{name}(a: char, b: char) -> bool:\n    return a {op} b\n\n");
    }
    src += "def beq(a: bool, b: bool) -> bool:\n    return a == b\n\n";
    src += "def bne(a: bool, b: bool) -> bool:\n    return a != b\n\n";
    src += "def bnot(a: bool, b: bool) -> bool:\n    return not a\n\n";
    let codes = ['\0', '\u{1}', '0', '\u{7f}', '\u{80}', '\u{c8}', '\u{ff}', '\u{100}', '😀'];
    let chars: Vec<Vec<RtValue>> = codes
        .iter()
        .flat_map(|&x| codes.iter().map(move |&y| vec![RtValue::Char(x), RtValue::Char(y)]))
        .collect();
    for f in ["clt", "cle", "ceq", "cne", "cgt", "cge"] {
        check(&src, f, &chars);
    }
    let bools: Vec<Vec<RtValue>> = [false, true]
        .iter()
        .flat_map(|&x| [false, true].iter().map(move |&y| vec![RtValue::Bool(x), RtValue::Bool(y)]))
        .collect();
    for f in ["beq", "bne", "bnot"] {
        check(&src, f, &bools);
    }
}

#[test]
fn arrays_of_bytes_and_words_with_bounds_checks() {
    let src = "\
def bools(n: int, i: int) -> int:
    a = array[bool](n)
    a[n - 1] = True
    c = 0
    if a[i]:
        c = 1
    return c

def chars(n: int, i: int) -> int:
    s = array[char](n)
    s[n - 1] = chr(0x10FFFF)
    if n > 1:
        s[0] = chr(255)
    return ord(s[i]) + len(s)

def floats(n: int, i: int) -> float:
    a = array[float](n)
    a[n - 1] = 2.5
    return a[i]

def huge(n: int, i: int) -> int:
    a = array[int](n)
    return len(a)

def huge_bytes(n: int, i: int) -> int:
    a = array[char](n)
    return len(a)
";
    let args = int_pairs(&[1, 3], &[0, 2, 3, -1, i64::MIN, i64::MAX]);
    for f in ["bools", "chars", "floats"] {
        check(src, f, &args);
    }
    // Sizes beyond llinterp's 16 GiB limit fail without allocating anything.
    let sizes = [0, 10, -1, i64::MIN, 1 << 31, (1 << 31) - 1, i64::MAX];
    check(src, "huge", &int_pairs(&sizes, &[0]));
    check(src, "huge_bytes", &int_pairs(&[(1 << 34) - 15, 1 << 40], &[0]));
}

#[test]
fn struct_fields_types_and_null_checks() {
    let src = "\
struct Base:
    flag: bool
    c: char
    x: float

struct Derived(Base):
    next: Base
    f: fn(int) -> int

struct Other:
    pass

def inc(x: int) -> int:
    return x + 1

def fields(n: int) -> int:
    d = Derived(flag = n > 0, c = chr(n & 255), x = 1.5, next = None, f = inc)
    b: Base = d
    r = 0
    if b.flag:
        r = 1
    r = r * 1000 + ord(b.c)
    d.next = b
    return r + d.f(n) + int(d.next.x)

def types(n: int) -> int:
    b: Base = None
    if n > 0:
        b = Derived(flag = True, c = 'a', x = 0.0, next = None, f = inc)
    elif n < 0:
        b = Base(flag = False, c = 'b', x = 0.0)
    r = 0
    if b isa Derived:
        r = 1
    if b isa Base:
        r = r + 10
    d = b as Derived
    return r + 100 * d.f(1)

def null_fn(n: int) -> int:
    d = Derived(flag = True, c = 'a', x = 0.0, next = None, f = inc)
    fs = array[fn(int) -> int](1)
    if n > 0:
        d.f = fs[0]
    return d.f(n)
";
    check(src, "fields", &ints(&[0, 1, 200, 255, 256, -1]));
    check(src, "types", &ints(&[1, 0, -1]));
    check(src, "null_fn", &ints(&[0, 1]));
}

#[test]
fn depth_limit_is_configurable_and_reported_at_the_call() {
    let src = "\
def down(n: int) -> int:
    if n == 0:
        return 0
    return helper(n) + 1

def helper(n: int) -> int:
    return down(n - 1)
";
    let p = program(src);
    let g = p.graph_by_name("down").unwrap();
    let mut interp = Interp::new(&p);
    for opt in [OptLevel::O0, OptLevel::O2] {
        let mut t = translate(&p, opt).unwrap();
        for depth in [1, 2, 3, 10] {
            interp.set_max_depth(depth);
            t.set_max_depth(depth);
            for n in 0..8 {
                let args = [RtValue::Int(n)];
                assert_eq!(key(t.call_here(g, &args)), key(interp.call(g, &args)), "{depth} {n}");
            }
        }
    }
}

#[test]
fn register_limit_of_large_frames_matches_llinterp_call_for_call() {
    // Frames of a few hundred registers reach the interpreter-register limit (2^24 words)
    // after about 55 000 calls, before the depth limit of 100 000. A prebuilt counter records
    // how many calls were entered, so the failing call must be exactly the same one: the
    // frame sizes (variables plus llinterp's constant registers: fused null tests, prebuilt
    // strings, floats, hints with and without results) must match llinterp's exactly.
    let mut src = String::from(
        "struct Counter:\n    count: int\n    name: str\n\n\
         const C = Counter(count = 0, name = \"c\")\n\n\
         def calls(n: int) -> int:\n    return C.count\n\n\
         def big(n: int) -> int:\n    C.count += 1\n    hint(None, global_merge_point=True)\n\
         \x20   k = hint(n, promote=True)\n    if C.name is None:\n        return -1\n\
         \x20   if n == 0:\n        return 0\n    f = 0.5 * float(n) + 2.5\n",
    );
    for i in 0..300 {
        src += &format!("    x{i} = k * {i}\n");
    }
    src += "    s = big(n - 1) + int(f)\n";
    for i in 0..300 {
        src += &format!("    s = s + x{i}\n");
    }
    src += "    return s\n";
    let p = program(&src);
    let (g, calls) = (p.graph_by_name("big").unwrap(), p.graph_by_name("calls").unwrap());
    let mut interp = Interp::new(&p);
    let mut want = Vec::new();
    for n in [10, 200_000] {
        let args = [RtValue::Int(n)];
        want.push((key(interp.call(g, &args)), key(interp.call(calls, &args))));
    }
    assert!(want[1].0.contains("MiB of registers"), "{}", want[1].0);
    for opt in [OptLevel::O0, OptLevel::O2] {
        let mut t = translate(&p, opt).unwrap();
        for (i, n) in [10, 200_000].into_iter().enumerate() {
            let args = [RtValue::Int(n)];
            let got = (key(t.call(g, &args)), key(t.call(calls, &args)));
            assert_eq!(got, want[i], "{n} at {opt:?}");
        }
    }
}

#[test]
fn native_stack_exhaustion_is_an_error_not_a_crash() {
    let src = "def forever(n: int) -> int:\n    return forever(n + 1) + 1\n";
    let p = program(src);
    let mut t = translate(&p, OptLevel::O0).unwrap();
    // On a 256 KiB thread the native stack runs out long before 100 000 calls.
    let err = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || t.call_here("forever", &[RtValue::Int(0)]).unwrap_err())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(err.kind, rpy_ir::runtime::RuntimeErrorKind::StackOverflow);
    assert!(err.message.contains("native stack"), "{}", err.message);
}

#[test]
fn overflow_checks_agree_with_llinterp_on_edge_cases() {
    let counts = [0, 1, 5, 62, 63, 64, 65, 1000, -1, i64::MIN, i64::MAX];
    let src = "def add(a: int, b: int) -> int:\n    return ovfcheck(a + b)\n\n\
               def sub(a: int, b: int) -> int:\n    return ovfcheck(a - b)\n\n\
               def mul(a: int, b: int) -> int:\n    return ovfcheck(a * b)\n\n\
               def shl(a: int, b: int) -> int:\n    return ovfcheck(a << b)\n\n\
               def neg(a: int) -> int:\n    return ovfcheck(-a)\n";
    for f in ["add", "sub", "mul"] {
        check(src, f, &int_pairs(INTS, INTS));
    }
    check(src, "shl", &int_pairs(INTS, &counts));
    check(src, "neg", &ints(INTS));
    check_constants("ca", "ovfcheck(a + C)", INTS, INTS);
    check_constants("cm", "ovfcheck(C * a)", &[2, -1, i64::MIN, i64::MAX], INTS);
    check_constants("cl", "ovfcheck(a << C)", &counts, INTS);
}

/// The phis of block parameters (named after their variables, `%v7`) in function `rpy.NAME`
/// of `ir` (LLVM IR text).
fn param_phis(ir: &str, name: &str) -> usize {
    let head = format!("@rpy.{name}(");
    let body = ir.split("\ndefine ").find(|f| f.contains(&head)).expect("the function is defined");
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    let is_param = |l: &str| {
        let l = l.trim_start();
        l.strip_prefix("%v")
            .and_then(|r| r.split(' ').next())
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
            && l.contains(" = phi ")
    };
    body.lines().filter(|l| is_param(l)).count()
}

#[test]
fn blocks_reached_by_one_edge_take_their_arguments_without_phis() {
    use rpy_ir::ir::{Exit, Value};
    // The arms of the `if` get `a` and `b` as parameters (as residual graphs pass their live
    // values from block to block), each arm reached by one edge: only the join's parameter
    // (two edges) needs a phi.
    let src = "def f(a: int, b: int) -> int:\n    if a > b:\n        c = a * 3 + b\n    \
               else:\n        c = b * 5 - a\n    return c + a\n";
    let mut p = program(src);
    let gi = p.graph_by_name("f").unwrap();
    let g = &mut p.graphs[gi];
    let entry = g.entry;
    let (a, b) = (g.blocks[entry].params[0], g.blocks[entry].params[1]);
    let Exit::Branch { if_true, if_false, .. } = &mut g.blocks[entry].exit else {
        panic!("f starts with a branch")
    };
    let arms = [if_true.block, if_false.block];
    if_true.args = vec![Value::Var(a), Value::Var(b)];
    if_false.args = vec![Value::Var(a), Value::Var(b)];
    for arm in arms {
        let (pa, pb) = (g.new_var(g.vars[a].ty, None), g.new_var(g.vars[b].ty, None));
        g.blocks[arm].params = vec![pa, pb];
        for op in g.blocks[arm].ops.clone() {
            for arg in &mut g.ops[op].args {
                if *arg == Value::Var(a) {
                    *arg = Value::Var(pa);
                } else if *arg == Value::Var(b) {
                    *arg = Value::Var(pb);
                }
            }
        }
    }
    let ir = crate::translated::llvm_ir(&p, OptLevel::O0).unwrap();
    let g = &p.graphs[gi];
    let flow = rpy_ir::flow::Flow::new(g);
    let joined: usize = flow
        .rpo()
        .iter()
        .filter(|&&b| b != g.entry && flow.preds(b).len() > 1)
        .map(|&b| g.blocks[b].params.len())
        .sum();
    assert_eq!(joined, 1, "{g:?}");
    assert_eq!(param_phis(&ir, "f"), joined, "{ir}");
    let mut interp = Interp::new(&p);
    let mut t = translate(&p, OptLevel::O0).unwrap();
    for args in int_pairs(&[-3, 0, 5], &[-1, 0, 7]) {
        assert_eq!(key(t.call_here(gi, &args)), key(interp.call(gi, &args)), "f{args:?}");
    }
}

#[test]
fn a_merge_point_leaves_no_switch_and_no_ret_of_its_own() {
    use rpy_ir::ir::{Aux, Value};
    use rpy_ir::ops::Opcode;
    use rpy_ir::types::Ty;
    // FastISel selects neither a `switch` nor a `tailcc` function's `ret`: either sends its
    // block to SelectionDAG. A merge point's answer is tested with compares and its "entered"
    // exit goes through the function's one return block (the failure path has the other
    // `ret`).
    let src = "def f(n: int) -> int:\n    s = 0\n    i = 0\n    while i < n:\n        \
               s = s + i\n        i = i + 1\n    return s\n";
    let mut p = program(src);
    let gi = p.graph_by_name("f").unwrap();
    let g = &mut p.graphs[gi];
    let (entry, n) = (g.entry, g.blocks[g.entry].params[0]);
    let span = g.span;
    g.push_op(entry, Opcode::JitMerge, vec![Value::Var(n)], Aux::Hook(1), Ty::Void, span);
    let ir = crate::translated::llvm_ir(&p, OptLevel::O0).unwrap();
    let head = "@rpy.f(";
    let body = ir.split("\ndefine ").find(|f| f.contains(head)).expect("f is defined");
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    assert!(body.contains("@rpy_rt.jit_merge("), "{body}");
    assert!(!body.contains(" switch "), "{body}");
    assert_eq!(body.lines().filter(|l| l.trim_start().starts_with("ret ")).count(), 2, "{body}");
    let mut interp = Interp::new(&p);
    let mut t = translate(&p, OptLevel::O0).unwrap();
    for n in [0, 1, 10, 1000] {
        let args = vec![RtValue::Int(n)];
        assert_eq!(key(t.call_here(gi, &args)), key(interp.call(gi, &args)), "f({n})");
    }
}

#[test]
fn constant_indexes_known_inside_an_array_are_not_checked_again() {
    // `made`: an array of constant length 3, items 0 to 2: no bounds check. `given`: the
    // check of `a[2]` covers `a[0]` and `a[1]` after it (and in the block it dominates),
    // not `a[3]`; `a[1]` before it is checked. Out-of-bounds indexes still fail as in
    // llinterp.
    let src = "\
def made(x: int, y: int) -> int:
    a = array[int](3)
    a[0] = x
    a[1] = y
    a[2] = x + y
    return a[0] + a[1] * a[2]

def given(n: int, y: int) -> int:
    a = array[int](n)
    a[n - 1] = y
    s = a[1]
    s = s + a[2]
    s = s + a[0]
    if y > 0:
        s = s + a[1] + a[3]
    return s
";
    let p = program(src);
    let ir = crate::translated::llvm_ir(&p, OptLevel::O0).unwrap();
    let checks = |name: &str| {
        let head = format!("@rpy.{name}(");
        let body = ir.split("\ndefine ").find(|f| f.contains(&head)).expect("defined");
        let body = &body[..body.find("\n}").unwrap_or(body.len())];
        body.lines().filter(|l| l.contains(" = icmp uge i64 ") && l.contains("%len")).count()
    };
    assert_eq!(checks("made"), 0, "{ir}");
    // a[n - 1], a[1], a[2], a[3].
    assert_eq!(checks("given"), 4, "{ir}");
    check(src, "made", &int_pairs(&[0, 5, -7], &[1, 3]));
    check(src, "given", &int_pairs(&[1, 2, 3, 4, 5], &[-1, 0, 6]));
}
