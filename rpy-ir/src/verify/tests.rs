//! Tests of the verifier: a valid program, targeted failures, malformed API-built graphs.

use super::*;
use crate::ir::{Aux, Const, Graph, Prebuilt, Var};
use crate::ops::Opcode;
use crate::span::Span;
use crate::test_programs::fact_ir;
use crate::text::parse_program;

/// Declarations shared by the test programs.
const PRELUDE: &str = concat!(
    "struct Obj {}
struct IntObj : Obj immutable { value: int }
type array[Obj]

",
    fact_ir!()
);

const VALID: &str = "prebuilt pb0 = str \"hi\"
prebuilt pb1 ONE = IntObj { value: 1 }
prebuilt pb2 = array[Obj] [pb1, null Obj, null IntObj]

graph unbox(Obj) -> int {
block0(v0: Obj):
    v1 = instanceof IntObj v0
    branch v1, block1(v0), block2()

block1(v2: Obj):
    v3 = cast IntObj v2
    v4 = getfield IntObj.value v3
    v5 = hint {promote} v4
    return v5

block2():
    v6 = malloc IntObj
    setfield IntObj.value v6, 0
    v7 = ptr_eq v6, null Obj
    v8 = call_indirect fn(int) -> int @fact(3)
    v9 = malloc_array array[Obj] v8
    setarrayitem array[Obj] v9, 0, v6
    v10 = getarrayitem array[Obj] v9, 0
    v11 = arraylen v9
    v12 = typeof v10
    v13 = same_as v12
    v15: int = jit_hook #2(v13, 1.5, v6, null Obj, @fact, 'c', true)
    v16: Obj = jit_hook #3()
    jit_hook #4(v15, v16)
    switch v13, [1: block3(v6), 2: block4()], default block4()

block3(v14: Obj):
    hint {global_merge_point}
    goto block4()

block4():
    return v11
}

graph main() -> void {
block0():
    v0 = call unbox(pb1)
    v1 = ptr_eq pb0, pb0
    v2 = ptr_ne @fact, @fact
    return
}
";

fn errors(text: &str) -> Vec<String> {
    let text = format!("{PRELUDE}{text}");
    let p = parse_program(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    match verify_program(&p) {
        Ok(()) => Vec::new(),
        Err(es) => es.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn valid_program_passes() {
    assert_eq!(errors(VALID), Vec::<String>::new());
}

#[test]
fn targeted_failures() {
    let g = |sig: &str, body: &str| {
        format!("prebuilt pb0 = IntObj {{ value: 1 }}\n\ngraph g{sig} {{\nblock0(v0: int):\n{body}\n}}\n")
    };
    let cases = [
        (
            "graph g(bool) -> int {\nblock0(v0: bool):\n    branch v0, block1(), block2()\n\nblock1():\n    v1 = same_as 1\n    goto block2()\n\nblock2():\n    return v1\n}\n".to_string(),
            "graph g: block2: use of v1 is not dominated by its definition in block1\n    return v1",
        ),
        (g("(int) -> int", "    v1 = int_add v2, 1\n    v2 = int_add v0, 1\n    return v1"), "block0: v2 is used before its definition"),
        (g("(int) -> int", "    return v7"), "block0: v7 is used but never defined"),
        (g("(int) -> int", "    goto block1(v0)\n\nblock1(v1: void):\n    return 1"), "block1: parameter v1 has type void"),
        (g("(int) -> int", "    v1 = int_add v0, 1\n    v1 = int_add v0, 2\n    return v1"), "graph g: v1: defined twice\n    v1 = int_add v0, 2"),
        (g("(int) -> int", "    goto block1(v0, v0)\n\nblock1(v1: int):\n    return v1"), "block0: target block1 takes 1 argument(s), got 2"),
        (g("(int) -> int", "    goto block1(true)\n\nblock1(v1: int):\n    return v1"), "argument 1 to block1 must be int, found bool"),
        (g("(int) -> int", "    goto block9()"), "block0: target block9 does not exist"),
        (g("(int) -> int", "    branch v0, block1(), block1()\n\nblock1():\n    return 1"), "block0: branch condition must be bool, found int\n    branch v0, block1(), block1()"),
        (g("(int) -> int", "    switch v0, [1: block1(), 1: block1()], default block1()\n\nblock1():\n    return 1"), "duplicate switch case 1"),
        (g("(int) -> int", "    switch 1.5, [1: block1()], default block1()\n\nblock1():\n    return 1"), "switch value must be int or char, found float"),
        (g("(int) -> int", "    return true"), "return value must be int, found bool"),
        (g("(int) -> int", "    return"), "return without a value; the graph returns int"),
        (g("(int) -> void", "    return v0"), "block0: void graph returns a value"),
        (g("(bool) -> int", "    return 1"), "block0: entry parameter v0 has type int, the graph says bool\n    block0(v0: int):"),
        (g("() -> int", "    return 1"), "the entry block has 1 parameter(s), the graph has 0"),
        (g("(int) -> int", "    v1: int = getfield IntObj.5 pb0\n    return v1"), "op0: field index 5 out of range for IntObj (1 fields)"),
        (g("(int) -> int", "    v1 = call fact(true)\n    return v1"), "op0: argument 1 of call must be int, found bool\n    v1 = call fact(true)"),
        (g("(int) -> int", "    v1 = call fact(v0, v0)\n    return v1"), "`call` takes 1 operand(s), got 2"),
        (g("(int) -> int", "    v1 = malloc array[int]\n    return 1"), "malloc of non-struct type array[int]"),
        (g("(int) -> int", "    v1 = malloc_array IntObj 3\n    return 1"), "malloc_array of non-array type IntObj"),
        (g("(int) -> int", "    call_extern no_such_extern(v0)\n    return 1"), "unknown extern `no_such_extern`"),
        (g("(int) -> int", "    v1 = int_add true, 1\n    return v1"), "operand 1 of `int_add` must be int, found bool"),
        (g("(int) -> int", "    v1: bool = int_add v0, 1\n    return 1"), "result v1 has type bool, expected int"),
        (g("(int) -> int", "    int_add v0, 1\n    return 1"), "`int_add` produces int but has no result"),
        (g("(int) -> int", "    v1: int = setfield IntObj.value pb0, 2\n    return 1"), "`setfield` produces no value but defines v1"),
        (g("(int) -> int", "    setfield IntObj.value pb0, true\n    return 1"), "operand 2 of `setfield` must be int, found bool"),
        (g("(int) -> int", "    v1 = malloc Obj\n    setfield IntObj.value v1, 1\n    return 1"), "operand 1 of `setfield` must be IntObj, found Obj"),
        (g("(int) -> int", "    hint {global_merge_point} v0\n    return 1"), "`hint` takes 0 operand(s), got 1"),
        (g("(int) -> int", "    v1 = malloc_array array[int] 1\n    v2 = ptr_eq v1, pb0\n    return 1"), "pointers of unrelated types array[int] and IntObj are compared"),
        (g("(int) -> int", "    v1 = arraylen pb0\n    return v1"), "arraylen of a non-array"),
        (g("(int) -> int", "    v1 = call_indirect fn(bool) -> int @fact(true)\n    return v1"), "operand 1 of `call_indirect` must be fn(bool) -> int, found fn(int) -> int"),
        (g("(int) -> int", "    v1 = int_add [type IntObj] v0, 1\n    return v1"), "`int_add` needs none aux data, found type"),
        (g("(int) -> int", "    v1: int = jit_hook [none] v0\n    return v1"), "op0: `jit_hook` needs hook aux data, found none\n    v1: int = jit_hook [none] v0"),
        (g("(int) -> int", "    v1 = int_add [hook #1] v0, 1\n    return v1"), "`int_add` needs none aux data, found hook\n    v1 = int_add [hook #1] v0, 1"),
        (g("(int) -> int", "    v1: void = jit_hook #1(v0)\n    return 1"), "op0: result v1 of `jit_hook` has type void\n    v1: void = jit_hook #1(v0)"),
        (g("(int) -> int", "    v1: bool = jit_hook #1(v0)\n    return v1"), "return value must be int, found bool"),
        ("prebuilt pb0 = IntObj { value: true }\n".to_string(), "pb0: field `value` must be int, found bool\n    prebuilt pb0 = IntObj { value: true }"),
        ("prebuilt pb0 = IntObj { value: 1, 2 }\n".to_string(), "pb0: the type has 1 fields, the object gives 2"),
        ("prebuilt pb0 = array[int] [1, 'c']\n".to_string(), "pb0: item 1 must be int, found char"),
    ];
    for (text, message) in &cases {
        let errs = errors(text);
        assert!(
            errs.iter().any(|e| e.contains(message)),
            "expected `{message}` in {errs:#?}\nfor\n{text}"
        );
    }
}

/// `jit_hook` takes operands of any types and defines a result of any non-void type, or none;
/// it must carry a hook site number.
#[test]
fn jit_hook_takes_anything_and_names_its_result() {
    let ok = "graph h(int, Obj) -> Obj {
block0(v0: int, v1: Obj):
    v2: IntObj = jit_hook #0(v0, v1, 2.5, 'x', false, @fact, null IntObj)
    v3: fn(int) -> int = jit_hook #1(v2)
    jit_hook #2()
    return v2
}
";
    assert_eq!(errors(ok), Vec::<String>::new());
    let bad = "graph h(int) -> void {
block0(v0: int):
    v1: void = jit_hook #0(v0)
    v2: int = jit_hook [extern print_int] v0
    return
}
";
    assert_eq!(
        errors(bad),
        [
            "graph h: op0: result v1 of `jit_hook` has type void\n    v1: void = jit_hook #0(v0)",
            "graph h: op1: `jit_hook` needs hook aux data, found extern\n    v2: int = jit_hook [extern print_int] v0",
        ]
    );
}

/// Graphs built with the Graph API, including dangling indices: errors, no panics.
#[test]
fn api_built_graphs() {
    let mut p = parse_program(PRELUDE).unwrap();
    let mut g = Graph::new("countdown", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let head = g.add_block(Span::UNKNOWN);
    let i = g.add_param(head, Ty::Int, Some("i".into()));
    let done = g.push_op(
        head,
        Opcode::IntLe,
        vec![i.into(), Const::Int(0).into()],
        Aux::None,
        Ty::Bool,
        Span::UNKNOWN,
    );
    let next = g.push_op(
        head,
        Opcode::IntSub,
        vec![i.into(), Const::Int(1).into()],
        Aux::None,
        Ty::Int,
        Span::UNKNOWN,
    );
    let arg = g.param_vars()[0];
    g.blocks[g.entry].exit = Exit::Goto(Target { block: head, args: vec![arg.into()] });
    g.blocks[head].exit = Exit::Branch {
        cond: done.unwrap().into(),
        if_true: Target { block: head, args: vec![next.unwrap().into()] },
        if_false: Target { block: head, args: vec![next.unwrap().into()] },
    };
    let unreachable = g.add_block(Span::UNKNOWN);
    g.blocks[unreachable].exit = Exit::Return(Some(i.into()));
    let gi = p.add_graph(g.clone());
    assert_eq!(verify_graph(&p, gi), Ok(()));

    // The unreachable block is not dominance-checked, but an op shared by two blocks is
    // an error, and so are dangling vars, ops, blocks and callees.
    let op0 = g.blocks[head].ops[0];
    g.blocks[unreachable].ops.push(op0);
    g.blocks[unreachable].ops.push(OpIdx::new(77));
    g.ops[op0].args[0] = Value::Var(Var::new(99));
    g.push_op(head, Opcode::Call, vec![], Aux::Graph(GraphIdx::new(40)), Ty::Void, Span::UNKNOWN);
    g.push_op(
        head,
        Opcode::Malloc,
        vec![],
        Aux::Type(crate::types::HeapTypeIdx::new(50)),
        Ty::Int,
        Span::UNKNOWN,
    );
    g.blocks[head].exit = Exit::Goto(Target { block: Block::new(12), args: vec![] });
    g.entry = Block::new(30);
    p.graphs[gi] = g;
    p.add_graph(Graph::new("fact", vec![], Ty::Void, Span::UNKNOWN));
    p.prebuilt.push(Prebuilt::Struct(
        crate::types::HeapTypeIdx::new(60),
        vec![Const::Prebuilt(crate::ir::PrebuiltIdx::new(70))],
    ));
    let errs: Vec<String> = verify_program(&p).unwrap_err().iter().map(|e| e.to_string()).collect();
    for needle in [
        "graph2: graph name `fact` is also used by graph0",
        "pb0: prebuilt struct of a non-struct type",
        "graph countdown: block30: the entry block does not exist",
        "op0: op0 is listed twice (also in block1)",
        "block2: op77 does not exist",
        "block1: v99 does not exist\n    v2 = int_le v99, 0",
        "op2: callee graph40 does not exist",
        "op3: malloc of non-struct type <missing ht50>",
        "block1: target block12 does not exist",
    ] {
        assert!(errs.iter().any(|e| e.contains(needle)), "expected `{needle}` in {errs:#?}");
    }
}
