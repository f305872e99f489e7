//! Tests of the text form: golden round trips, programs built through the API, parse errors.

use super::*;
use crate::ir::{Aux, Block, Const, Exit, Graph, OpData, Prebuilt, Program, Target, Value};
use crate::ops::Opcode;
use crate::span::Span;
use crate::test_programs::fact_ir;
use crate::types::{Field, HeapType, Sig, Ty, TypeTable};

/// Every construct of the syntax, in the printer's canonical form.
const GOLDEN: &str = concat!(
    r#"struct Obj {}
struct IntObj : Obj immutable { value: int }
type array[Obj]
struct Frame {
    stack: array[Obj],
    sp: int,
    f: fn(int, Obj) -> bool,
    next: Frame,
}
type array[int]
type frozen[int]
struct "int" { x: float }
type fn(int, Obj) -> bool
type fn(int) -> int
type fn(Obj, int) -> Obj
type fn(float, char) -> float
type fn() -> void

prebuilt pb0 = str "hello\n\"q\"\x01"
prebuilt pb1 NIL = Obj {}
prebuilt pb2 = array[int] [1, 2, -3]
prebuilt pb3 ONE = IntObj { value: 1 }
prebuilt pb4 = str ['a', 'b']
prebuilt pb5 "odd name" = Frame { stack: null array[Obj], sp: 0, f: @pred, next: pb5 }

graph pred(int, Obj) -> bool {
block0(v0: int, v1: Obj):
    v2 = ptr_nonzero v1
    return v2
}

"#,
    fact_ir!(),
    r#"
graph objects(Obj, int) -> Obj entry block1 {
block0(v10: IntObj):
    v11 = getfield IntObj.value v10
    v12 = malloc IntObj
    setfield IntObj.value v12, v11
    v13 = instanceof IntObj v12
    v14 = cast Obj v12
    v15 = ptr_eq v14, null Obj
    v16 = typeof v14
    v17 = getfield Frame.f pb5
    v18 = call_indirect fn(int, Obj) -> bool v17(v16, v14)
    return v14

block1(v0: Obj, v1: int):
    v2 = malloc_array array[int] v1
    setarrayitem array[int] v2, 0, -3
    v3 = getarrayitem array[int] v2, 0
    v4 = arraylen v2
    v5 = cast IntObj v0
    v6 = call_indirect fn(int) -> int @fact(v4)
    v7 = malloc "int"
    v8 = getfield "int".x v7
    goto block0(v5)
}

graph consts(float, char) -> float {
block0(v0: float, v1: char):
    v2 = float_add v0, 1.5
    v3 = float_mul v2, -0.0
    v4 = float_add v3, inf
    v5 = float_sub v4, -inf
    v6 = float_add v5, nan
    v7 = float_add v6, nan(0x7ff0000000000001)
    v8 = float_mul v7, 1e100
    v9 = float_mul v8, 5e-324
    v10 = char_eq v1, '\n'
    v11 = char_lt v1, '\x00'
    v12 = char_ne '\'', '\\'
    v13 = same_as pb0
    v14 = same_as @fact
    v15 = hint {concrete, promote} v1
    hint {global_merge_point}
    v16 = same_as v15
    v17 = same_as v30
    v20: int = same_as v21
    v21: int = same_as v20
    v22: int = call_extern "no such extern"(v20)
    call_extern log_it(pb0)
    v23 = int_add [type IntObj] v21, 2
    v24: int = getfield [none] v23
    call [extern log_it]
    switch v1, ['a': block1(), 'b': block2(v0), '\n': block1()], default block3()

block1():
    v30 = same_as v31
    v31 = hint {} 'z'
    return 0.1

block2(v40: float):
    v41 = cast_float_to_int v40
    switch v41, [
        0: block1(),
        1: block1(),
        2: block1(),
        3: block1(),
        -4: block2(v40),
    ], default block3()

block3():
    goto block4()

block4():
    return -1.0
}

graph hooks(int) -> int {
block0(v0: int):
    v1 = malloc IntObj
    v2: int = jit_hook #3(v0, 1.5, v1, null IntObj, @fact, pb1)
    v3: Obj = jit_hook #0()
    jit_hook #4294967295(v2)
    v4: int = jit_hook [none] v0
    v5 = int_add [hook #7] v0, v2
    return v2
}

graph "weird name"() -> void {
block0():
    v0 = same_as @"weird name"
    call "weird name"()
    return
}
"#
);

/// The program with spans and var names dropped and ops inlined into their blocks (so op
/// renumbering does not matter): what a round trip must preserve.
#[derive(Debug, PartialEq)]
struct Normal {
    heap: Vec<HeapType>,
    sigs: Vec<Sig>,
    prebuilt: Vec<Prebuilt>,
    names: Vec<(usize, String)>,
    graphs: Vec<NormalGraph>,
}

#[derive(Debug, PartialEq)]
struct NormalGraph {
    name: String,
    params: Vec<Ty>,
    ret: Ty,
    entry: Block,
    vars: Vec<Ty>,
    blocks: Vec<(Vec<crate::ir::Var>, Vec<OpData>, Exit)>,
}

fn normal(p: &Program) -> Normal {
    let mut names: Vec<(usize, String)> =
        p.prebuilt_names.iter().map(|(i, n)| (i.as_u32() as usize, n.clone())).collect();
    names.sort();
    let graphs = p
        .graphs
        .values()
        .map(|g| NormalGraph {
            name: g.name.clone(),
            params: g.params.clone(),
            ret: g.ret,
            entry: g.entry,
            vars: g.vars.values().map(|v| v.ty).collect(),
            blocks: g
                .blocks
                .values()
                .map(|b| {
                    let ops = b
                        .ops
                        .iter()
                        .map(|&o| OpData { span: Span::UNKNOWN, ..g.ops[o].clone() })
                        .collect();
                    (b.params.clone(), ops, b.exit.clone())
                })
                .collect(),
        })
        .collect();
    Normal {
        heap: p.types.heap_types().map(|(_, h)| h.clone()).collect(),
        sigs: p.types.sigs().map(|(_, s)| s.clone()).collect(),
        prebuilt: p.prebuilt.values().cloned().collect(),
        names,
        graphs,
    }
}

/// print(parse(print(p))) == print(p), and parse(print(p)) has the same structure as p.
fn assert_round_trip(p: &Program) -> String {
    let text = print_program(p);
    let q = parse_program(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(print_program(&q), text);
    assert_eq!(normal(&q), normal(p));
    text
}

fn show_diff(want: &str, got: &str) {
    for (i, (a, b)) in want.lines().zip(got.lines()).enumerate() {
        if a != b {
            panic!("line {}: want\n{a}\ngot\n{b}\n\nfull output:\n{got}", i + 1);
        }
    }
    assert_eq!(want, got);
}

#[test]
fn golden_text_round_trips() {
    let p = parse_program(GOLDEN).unwrap_or_else(|e| panic!("{e}"));
    show_diff(GOLDEN, &print_program(&p));
    assert_round_trip(&p);
    let consts = &p.graphs[p.graph_by_name("consts").unwrap()];
    let floats: Vec<u64> = consts
        .ops
        .values()
        .filter_map(|o| match o.args.get(1) {
            Some(Value::Const(Const::Float(bits))) => Some(*bits),
            _ => None,
        })
        .collect();
    assert!(floats.contains(&(-0.0f64).to_bits()));
    assert!(floats.contains(&0x7ff0_0000_0000_0001));
    assert!(floats.contains(&5e-324f64.to_bits()));
    // Spans point at the IR text.
    let op = &consts.ops[consts.blocks[consts.entry].ops[0]];
    assert_eq!(p.sources.line_text(op.span), Some("    v2 = float_add v0, 1.5"));
}

#[test]
fn print_graph_and_single_lines() {
    let p = parse_program(GOLDEN).unwrap();
    let fact = p.graph_by_name("fact").unwrap();
    let text = print_graph(&p, fact);
    assert!(text.starts_with("graph fact(int) -> int {\nblock0(v0: int):\n"));
    let printer = GraphPrinter::new(&p, &p.graphs[fact]);
    let b2 = Block::from_u32(2);
    assert_eq!(printer.block_header(b2), "block2(v2: int):");
    assert_eq!(printer.op(p.graphs[fact].blocks[b2].ops[1]), "v4 = call fact(v3)");
    assert_eq!(printer.exit(Block::from_u32(0)), "branch v1, block1(), block2(v0)");
}

/// Types created in an order the parser would not pick by itself, a parent declared after
/// its child, ops created out of layout order, var names: the structure survives.
#[test]
fn api_built_program_round_trips() {
    let mut p = Program::default();
    let child = p.types.declare_struct("Child", false).unwrap();
    let base = p.types.declare_struct("Base", true).unwrap();
    let early_sig = p.types.sig(vec![Ty::Ref(base)], Ty::Int);
    let fn_array = p.types.array(Ty::Func(early_sig), false);
    let nested = p.types.array(Ty::Ref(fn_array), true);
    p.types.set_fields(base, None, vec![Field { name: "tag".into(), ty: Ty::Ref(nested) }]);
    p.types.set_fields(child, Some(base), vec![Field { name: "tag".into(), ty: Ty::Char }]);
    let s = p.intern_str("x");
    let mut g = Graph::new("f", vec![Ty::Int, Ty::Ref(child)], Ty::Int, Span::UNKNOWN);
    let (entry, later) = (g.entry, g.add_block(Span::UNKNOWN));
    let x = g.add_param(later, Ty::Int, Some("x".into()));
    let y = g.push_op(
        later,
        Opcode::IntAdd,
        vec![x.into(), Const::Int(1).into()],
        Aux::None,
        Ty::Int,
        Span::UNKNOWN,
    );
    g.blocks[later].exit = Exit::Return(Some(y.unwrap().into()));
    let [a, c] = [g.param_vars()[0], g.param_vars()[1]];
    // Field 1 of Child is its own `tag`, shadowing Base's: printed by index.
    let t = g.push_op(
        entry,
        Opcode::GetField,
        vec![c.into()],
        Aux::Field(child, 1),
        Ty::Char,
        Span::UNKNOWN,
    );
    let _ = g.push_op(
        entry,
        Opcode::SameAs,
        vec![Const::Prebuilt(s).into()],
        Aux::None,
        Ty::Ref(TypeTable::STR),
        Span::UNKNOWN,
    );
    g.blocks[entry].exit = Exit::Switch {
        value: t.unwrap().into(),
        cases: vec![(i64::from(b'q'), Target { block: later, args: vec![a.into()] })],
        default: Target { block: later, args: vec![Const::Int(i64::MIN).into()] },
    };
    p.add_graph(g);
    let text = assert_round_trip(&p);
    assert!(text.contains("struct Child : Base { tag: char }"), "{text}");
    assert!(text.contains("getfield Child.1 v1"), "{text}");
    assert!(
        text.contains("switch v4, ['q': block1(v0)], default block1(-9223372036854775808)"),
        "{text}"
    );
}

#[test]
fn malformed_programs_still_round_trip() {
    let text = "struct S { a: int }\ntype fn(int) -> int\n\nprebuilt pb0 = S { a: 1, 2 }\n\ngraph g(int) -> int {\nblock0(v0: bool):\n    v1: bool = int_add v0, v0\n    v1 = same_as v0\n    v2 = int_add v9, 1\n    goto block7(v1)\n}\n";
    let p = parse_program(text).unwrap_or_else(|e| panic!("{e}"));
    show_diff(text, &print_program(&p));
    assert_round_trip(&p);
}

fn parse_err(text: &str) -> String {
    match parse_program(text) {
        Ok(_) => panic!("parsed:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn parse_errors_have_positions() {
    // Bodies of a graph `g(int) -> int` whose block0 binds v0: their lines start at 3.
    for (body, want) in [
        ("    v1 = int_frob v0\n    return v1", "3:10: unknown opcode `int_frob`"),
        ("    v1 = malloc Nope\n    return 1", "3:17: unknown type `Nope`"),
        ("    v1 = call nope(v0)\n    return v1", "3:15: unknown graph `nope`"),
        ("    v1 = int_add v0,\n    return v1", "3:21: expected a constant, found end of line"),
        (
            "    v1 = same_as v5\n    return v1",
            "3:5: cannot infer the type of v1: v5 has no known type; write `v1: T = ...`",
        ),
        ("    setfield [type int] v0\n    return 1", "3:5: expected a struct or array type"),
        ("    v1 = char_eq v0, 'ab'\n    return 1", "3:22: bad char literal"),
        ("    return pb0", "3:12: pb0 does not exist"),
        ("    v1 = hint {fast} v0\n    return 1", "3:16: unknown hint flag `fast`"),
        ("    v1 = int_add v0, v99999999999\n    return v1", "3:22: v index too large"),
        (
            "    v1 = jit_hook #3(v0)\n    return v1",
            "3:5: cannot infer the result type; write `vN: T = ...`",
        ),
        ("    v1: int = jit_hook 3(v0)\n    return v1", "3:24: expected `#`, found `3`"),
        ("    v1: int = jit_hook #-1(v0)\n    return v1", "3:25: hook number out of range"),
        ("    v1: int = jit_hook #v0(v0)\n    return v1", "3:25: expected a hook number after `#`"),
    ] {
        let text = format!("graph g(int) -> int {{\nblock0(v0: int):\n{body}\n}}\n");
        assert_eq!(parse_err(&text), want, "{body}");
    }
    for (text, want) in [
        (
            "graph g() -> int {\nblock1():\n    return 1\n}\n",
            "1:1: block0 is missing (blocks are numbered densely)",
        ),
        ("struct A : B {}\nstruct B : A {}\n", "1:1: struct `A` inherits from itself"),
        ("struct A {}\nstruct A {}\n", "2:1: struct `A` is declared twice"),
        (
            "prebuilt pb1 = str \"x\"\n",
            "1:1: pb0 is missing (prebuilt objects are numbered densely)",
        ),
        ("prebuilt pb0 = str \"x\n", "1:20: unterminated string"),
        (
            "graph g() -> int {\nblock0():\n    return 99999999999999999999\n}\n",
            "3:32: integer out of range",
        ),
        ("banana\n", "1:1: expected `struct`, `type`, `prebuilt` or `graph`, found `banana`"),
    ] {
        assert_eq!(parse_err(text), want, "{text}");
    }
}

#[test]
fn empty_program() {
    let p = parse_program("").unwrap();
    assert_eq!(print_program(&p), "");
    assert_round_trip(&Program::default());
}

/// Every prefix of valid text either parses or fails with an error: no panics.
#[test]
fn truncated_text_never_panics() {
    for (i, _) in GOLDEN.char_indices() {
        let _ = parse_program(&GOLDEN[..i]);
    }
}

/// A word of `text` replaced by another of its class (var, block, number, opcode, type).
fn mutate(text: &str, next: &mut impl FnMut(usize) -> usize) -> String {
    let words: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (start, c.is_ascii_alphanumeric() || c == '_') {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        out
    };
    let types = ["int", "float", "bool", "char", "Obj", "IntObj", "Frame", "str"];
    let (a, b) = words[next(words.len())];
    let word = &text[a..b];
    let digits = |p: &str| {
        word.strip_prefix(p).is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
    };
    let new = if digits("v") {
        format!("v{}", next(45))
    } else if digits("block") {
        format!("block{}", next(6))
    } else if digits("pb") {
        format!("pb{}", next(7))
    } else if word.bytes().all(|c| c.is_ascii_digit()) {
        ["0", "1", "7", "255"][next(4)].to_string()
    } else if Opcode::from_name(word).is_some() {
        Opcode::ALL[next(Opcode::ALL.len())].info().name.to_string()
    } else if types.contains(&word) {
        types[next(types.len())].to_string()
    } else {
        return text.to_string();
    };
    format!("{}{new}{}", &text[..a], &text[b..])
}

/// A program that verifies, to mutate into near-misses.
const VALID_BASE: &str = concat!(
    "struct Obj {}
struct IntObj : Obj immutable { value: int }
type fn(int) -> int

",
    fact_ir!(),
    "
graph boxed(int) -> int {
block0(v0: int):
    v1 = call fact(v0)
    v2 = malloc IntObj
    setfield IntObj.value v2, v1
    v3 = cast Obj v2
    v4 = cast IntObj v3
    v5 = getfield IntObj.value v4
    v6 = int_mul v0, v5
    switch v6, [0: block1(v6), 1: block2(v6, v2)], default block2(v1, v4)

block1(v7: int):
    return v7

block2(v10: int, v11: Obj):
    v12 = hint {promote} v10
    return v12
}
"
);

/// Random edits of valid text: whatever parses must round-trip, and the verifier and the
/// Graphviz export must not panic on it (the edits make plenty of malformed programs).
#[test]
fn mutated_text_round_trips() {
    assert_eq!(crate::verify::verify_program(&parse_program(VALID_BASE).unwrap()), Ok(()));
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut parsed, mut valid) = (0, 0);
    for base in [GOLDEN, VALID_BASE] {
        for _ in 0..1500 {
            let mut text = base.to_string();
            for _ in 0..1 + next(3) {
                text = mutate(&text, &mut next);
            }
            let Ok(p) = parse_program(&text) else {
                continue;
            };
            parsed += 1;
            let printed = print_program(&p);
            let q = parse_program(&printed).unwrap_or_else(|e| panic!("{e}\n{printed}"));
            assert_eq!(print_program(&q), printed, "from\n{text}");
            assert_eq!(normal(&q), normal(&p), "from\n{text}");
            valid += usize::from(crate::verify::verify_program(&p).is_ok());
            for g in p.graphs.keys() {
                let _ = crate::dot::graph_to_dot(&p, g);
            }
        }
    }
    // Most mutants parse; few of them still verify.
    assert!(parsed > 1500 && valid > 10 && valid < parsed / 4, "{parsed} parsed, {valid} valid");
}

#[test]
fn run_time_pointer_constants_round_trip() {
    let text = "graph g(int) -> int {\nblock0(v0: int):\n    v1 = arraylen ptr 0x7f001000 str\n    v2 = ptr_eq ptr 0x7f001000 str, ptr 0x7f002000 str\n    return v1\n}\n";
    let p = parse_program(text).unwrap_or_else(|e| panic!("{e}"));
    let printed = assert_round_trip(&p);
    assert!(printed.contains("ptr 0x7f001000 str"), "{printed}");
    crate::verify::verify_program(&p).unwrap();
}

#[test]
fn function_flags_and_quasi_immutable_fields_round_trip() {
    let text = "struct Base { version: int quasi, name: str }\n\
                struct Sub : Base { extra: int, level: int quasi }\n\
                type fn(int) -> int\n\n\
                graph lookup(int) -> int elidable {\nblock0(v0: int):\n    return v0\n}\n\n\
                graph helper(int) -> int tailcalls dont_look_inside {\nblock0(v0: int):\n    return v0\n}\n";
    let p = parse_program(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(print_program(&p), text);
    assert_round_trip(&p);
    let lookup = &p.graphs[p.graph_by_name("lookup").unwrap()];
    assert!(lookup.flags.elidable && !lookup.flags.dont_look_inside);
    let helper = &p.graphs[p.graph_by_name("helper").unwrap()];
    assert!(helper.flags.dont_look_inside && helper.tail_calls);
    let (base, sub) =
        (p.types.struct_by_name("Base").unwrap(), p.types.struct_by_name("Sub").unwrap());
    // Inherited fields keep their mark; indexes are the same in the subtype.
    assert!(p.types.field_is_quasi_immutable(base, 0) && p.types.field_is_quasi_immutable(sub, 0));
    assert!(!p.types.field_is_quasi_immutable(sub, 1) && !p.types.field_is_quasi_immutable(sub, 2));
    assert!(p.types.field_is_quasi_immutable(sub, 3));
}
