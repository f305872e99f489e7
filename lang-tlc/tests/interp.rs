//! The RPy TLC interpreter on programs the conformance cases do not cover: the result printer,
//! each error kind, Python indexing corner cases, deep call chains and long lists (no RPy
//! recursion), and class memoisation in the loaded pool. Every program runs in llinterp and
//! translated modes, which must agree on the result or the error.

use lang_tlc::runner::{encode_pool, pool_words, NameTable};
use lang_tlc::{assemble, ClassDescr, ConstantPool, ErrorKind, Interpreter, Mode, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::Ty;

/// Assembles and runs `src` with `input`; the printed result or `error KIND`.
fn run(src: &str, input: i64) -> String {
    let program = assemble(src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    run_program(&program, input)
}

/// Runs `program` in every mode (llinterp, translated, the JIT on LLVM and on the IR
/// backend), checks that they agree, and returns the printed result or `error KIND`.
fn run_program(program: &Program, input: i64) -> String {
    let interp = Interpreter::get();
    let llinterp = interp.run(program, input, Mode::Llinterp);
    for mode in [Mode::Translated, Mode::Jit, Mode::JitLlinterp] {
        let other = interp.run(program, input, mode);
        assert_eq!(llinterp, other, "llinterp and {} disagree", mode.name());
    }
    match llinterp {
        Ok(text) => text,
        Err(e) => format!("error {}", e.kind.name()),
    }
}

/// Runs raw bytecode with an empty pool.
fn run_bytes(code: &[u8]) -> String {
    run_program(&Program { code: code.to_vec(), pool: ConstantPool::default() }, 0)
}

/// The error of a failing program (the same in llinterp and translated modes).
fn error_of(src: &str) -> lang_tlc::TlcError {
    let program = assemble(src).unwrap();
    let e = Interpreter::get().run(&program, 0, Mode::Llinterp).unwrap_err();
    assert_eq!(Interpreter::get().run(&program, 0, Mode::Translated), Err(e.clone()), "{src}");
    e
}

#[test]
fn printer_ints_nil_and_lists() {
    assert_eq!(run("PUSHARG", -42), "-42");
    assert_eq!(run("PUSHARG", i64::MIN), i64::MIN.to_string());
    assert_eq!(run("NIL", 0), "nil");
    // CONS pops car (top), then cdr.
    assert_eq!(run("PUSH 3\nPUSH 2\nCONS", 0), "(2 . 3)");
    assert_eq!(run("NIL\nPUSH 2\nCONS\nPUSH 1\nCONS", 0), "(1 2)");
    // ((1 2) 3) and a list holding nil: (nil)
    assert_eq!(run("NIL\nPUSH 3\nCONS\nNIL\nPUSH 2\nCONS\nPUSH 1\nCONS\nCONS", 0), "((1 2) 3)");
    assert_eq!(run("NIL\nNIL\nCONS", 0), "(nil)");
    assert_eq!(run("PUSH 4\nNIL\nPUSH 3\nCONS\nCONS", 0), "((3) . 4)");
}

#[test]
fn printer_objects() {
    assert_eq!(run("NEW a,b,m=x\nx:\nNOP", 0), "<object a=nil b=nil>");
    assert_eq!(run("NEW m=x\nx:\nNOP", 0), "<object>");
    let nested = "NEW a,b\nPICK 0\nNEW c\nSETATTR a\nPICK 0\nNIL\nPUSH 7\nCONS\nSETATTR b";
    assert_eq!(run(nested, 0), "<object a=<object c=nil> b=(7)>");
    // An object holding itself.
    assert_eq!(run("NEW self\nPICK 0\nPICK 0\nSETATTR self", 0), "<object self=<object ...>>");
    // An object in a list.
    assert_eq!(run("NIL\nNEW a\nCONS", 0), "(<object a=nil>)");
}

#[test]
fn error_kinds_and_messages() {
    let e = error_of("PUSH 1\nCAR");
    assert_eq!(
        (e.kind, e.to_string()),
        (ErrorKind::TypeError, "TypeError: CAR or CDR of a non-cons".into())
    );
    assert_eq!(error_of("PUSH 1\nNIL\nADD").kind, ErrorKind::TypeError);
    assert_eq!(error_of("NIL\nPUSH 1\nLT").kind, ErrorKind::TypeError);
    assert_eq!(error_of("PUSH 1\nNIL\nGE").kind, ErrorKind::TypeError);
    assert_eq!(error_of("NIL\nNIL\nDIV").kind, ErrorKind::TypeError);
    assert_eq!(error_of("PUSH 1\nPUSH 2\nSETATTR x").kind, ErrorKind::TypeError);
    assert_eq!(error_of("PUSH 1\nGETATTR x").kind, ErrorKind::TypeError);
    assert_eq!(error_of("PUSH 1\nSEND m/0").kind, ErrorKind::TypeError);
    assert_eq!(error_of("NEW a\nNEW b\nSUB").kind, ErrorKind::TypeError);
    // BR_COND_STK: a non-int offset is a TypeError, checked before the condition is popped.
    assert_eq!(error_of("NIL\nBR_COND_STK").kind, ErrorKind::TypeError);
    assert_eq!(error_of("PUSH 1\nBR_COND_STK").kind, ErrorKind::IndexError);

    let e = error_of("NEW a\nPUSH 1\nSETATTR b");
    assert_eq!(e.to_string(), "KeyError: no such attribute 'b'");
    let e = error_of("NEW a,m=x\nSEND n/0\nx:\nRETURN");
    assert_eq!(e.to_string(), "KeyError: no such method 'n'");

    let e = error_of("PUSH 1\nPUSH 0\nDIV");
    assert_eq!(e.to_string(), "ZeroDivisionError: integer division by zero");
    let e = error_of("POP");
    assert_eq!(e.to_string(), "IndexError: pop from an empty stack");
    assert_eq!(error_of("NOP").to_string(), "IndexError: the program's result: the stack is empty");
    assert_eq!(error_of("PUSH 1\nPICK 1").kind, ErrorKind::IndexError);
    assert_eq!(error_of("PUSH 1\nPICK -2").kind, ErrorKind::IndexError);
    assert_eq!(error_of("PUSH 1\nPUT 0").kind, ErrorKind::IndexError);
    assert_eq!(error_of("PUSHARGN 1").kind, ErrorKind::IndexError);
    assert_eq!(error_of("PUSHARGN -2").kind, ErrorKind::IndexError);
    // SEND m/-1 (the assembler refuses a negative count): no receiver.
    let pool = ConstantPool { classdescrs: vec![], strings: vec!["m".into()] };
    let send = Program { code: vec![2, 1, 31, 0, 0xff], pool };
    assert_eq!(run_program(&send, 0), "error IndexError");
    assert_eq!(error_of("NEW a\nSEND m/1").kind, ErrorKind::IndexError);
    // Pool indexes out of range (the assembler accepts integers there).
    assert_eq!(error_of("NEW 0").kind, ErrorKind::IndexError);
    assert_eq!(error_of("NEW a\nGETATTR 1").kind, ErrorKind::IndexError);

    assert_eq!(run_bytes(&[0]), "error RuntimeError");
    assert_eq!(run_bytes(&[36]), "error RuntimeError");
    let e = Interpreter::get()
        .run(&Program { code: vec![2, 1, 200], pool: ConstantPool::default() }, 0, Mode::Llinterp)
        .unwrap_err();
    assert_eq!(e.to_string(), "RuntimeError: unknown opcode 200");
}

#[test]
fn jit_mode_runs_and_reports_tlc_errors() {
    let p = assemble("PUSH 1").unwrap();
    assert_eq!(Interpreter::get().run(&p, 0, Mode::Jit).unwrap(), "1");
    let p = assemble("PUSH 1\nPUSH 0\nDIV").unwrap();
    let e = Interpreter::get().run(&p, 0, Mode::Jit).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ZeroDivisionError, "{e}");
}

#[test]
fn truncated_instructions() {
    // PUSH without its argument byte.
    assert_eq!(run_bytes(&[2]), "error IndexError");
    // SEND with one of its two bytes.
    assert_eq!(run_bytes(&[2, 1, 31, 0]), "error IndexError");
    // BR_COND reads its offset only when it branches (as PyPy does): a false condition at the
    // end of the code just falls off the end.
    assert_eq!(run_bytes(&[2, 5, 2, 0, 18]), "5");
    assert_eq!(run_bytes(&[2, 5, 2, 1, 18]), "error IndexError");
}

#[test]
fn python_indexing_corners() {
    // PICK -1 reads stack[0], the bottom.
    assert_eq!(run("PUSH 1\nPUSH 2\nPUSH 3\nPICK -1", 0), "1");
    assert_eq!(run("PUSH 1\nPUSH 2\nPUSH 3\nPICK -3", 0), "3");
    // PUT -1 writes stack[0] (after the pop).
    assert_eq!(run("PUSH 1\nPUSH 2\nPUSH 3\nPUT -1\nPICK -1", 0), "3");
    assert_eq!(run("PUSH 1\nPUSH 2\nPUSH 3\nPUT -1", 0), "2");
    // ROLL with |r| <= 1 is a no-op, even on an empty stack.
    assert_eq!(run("ROLL 1\nROLL 0\nROLL -1\nPUSH 9", 0), "9");
    assert_eq!(run("PUSH 1\nPUSH 2\nROLL 2", 0), "1");
    // ROLL -2 on [1, 2] gives [2, 1].
    assert_eq!(run("PUSH 1\nPUSH 2\nROLL -2\nPOP", 0), "2");
    // Signed argument bytes: PUSH -128 and PUSH 255 (= -1).
    assert_eq!(run("PUSH -128", 0), "-128");
    assert_eq!(run("PUSH 255", 0), "-1");
}

#[test]
fn arithmetic_wraps_and_floors() {
    // Floor division rounds toward negative infinity.
    assert_eq!(run("PUSH -7\nPUSH 2\nDIV", 0), "-4");
    assert_eq!(run("PUSH 7\nPUSH -2\nDIV", 0), "-4");
    assert_eq!(run("PUSHARG\nPUSH -1\nDIV", 0), "0");
    // MIN // -1 wraps to MIN; MIN - 1 wraps to MAX.
    assert_eq!(run("PUSHARG\nPUSH -1\nDIV", i64::MIN), i64::MIN.to_string());
    assert_eq!(run("PUSHARG\nPUSH 1\nSUB", i64::MIN), i64::MAX.to_string());
    assert_eq!(run("PUSHARG\nPUSHARG\nMUL", 1 << 32), "0");
}

#[test]
fn equality_and_truth() {
    let list12 = "NIL\nPUSH 2\nCONS\nPUSH 1\nCONS\n";
    assert_eq!(run(&format!("{list12}{list12}EQ"), 0), "1");
    assert_eq!(run(&format!("{list12}NIL\nPUSH 2\nCONS\nEQ"), 0), "0");
    assert_eq!(run(&format!("{list12}PUSH 1\nEQ"), 0), "0");
    assert_eq!(run(&format!("PUSH 1\n{list12}EQ"), 0), "0");
    assert_eq!(run("NIL\nNIL\nEQ", 0), "1");
    assert_eq!(run("NEW a\nNEW a\nNE", 0), "1");
    assert_eq!(run("NEW a\nPICK 0\nEQ", 0), "1");
    // BR_COND on nil is false, on a cons or an object true.
    let branch = |push: &str| run(&format!("{push}\nBR_COND yes\nPUSH 0\nRETURN\nyes:\nPUSH 1"), 0);
    assert_eq!(branch("NIL"), "0");
    assert_eq!(branch("NIL\nNIL\nCONS"), "1");
    assert_eq!(branch("NEW a"), "1");
    assert_eq!(branch("PUSH 0"), "0");
}

#[test]
fn br_cond_stk_with_the_nop_idiom() {
    // `PUSH label` + BR_COND_STK jumps to label + 1, hence the NOP at the label.
    let src = "PUSH 1\nPUSH target\nBR_COND_STK\nPUSH 5\nRETURN\ntarget:\nNOP\nPUSH 7";
    assert_eq!(run(src, 0), "7");
    let src = "PUSH 0\nPUSH target\nBR_COND_STK\nPUSH 5\nRETURN\ntarget:\nNOP\nPUSH 7";
    assert_eq!(run(src, 0), "5");
}

/// Size of the stress tests below. Above the IR interpreter's default limit of 100000 nested
/// RPy calls in release builds, so any RPy recursion per TLC frame or per list cell would fail
/// there; small in debug builds, where the IR interpreter is about six times slower.
const BIG: i64 = if cfg!(debug_assertions) { 5_000 } else { 120_000 };

// Deep SEND recursion (every call a TLC frame, none an RPy call) and its limit: see
// `tests/robustness.rs`.

/// Lists of BIG cells: concatenation, indexing, equality and printing need no recursion
/// along the cdrs.
#[test]
fn long_lists() {
    // Builds (0 1 ... n-1) by consing in a loop over [list, i], then jumps to `end`.
    let build = "\
NIL
PUSHARG
loop:
PICK 0
BR_COND body
POP
PUSH 1
BR_COND end
body:
PUSH 1
SUB
SWAP
PICK 1
CONS
SWAP
PUSH 1
BR_COND loop
end:
";
    // (0 .. n-1) ++ (0 .. n-1): element n is 0, element n-1 is n-1.
    assert_eq!(run(&format!("{build}PICK 0\nADD\nPUSHARG\nDIV"), BIG), "0");
    let nth = format!("{build}PICK 0\nADD\nPUSHARG\nPUSH 1\nSUB\nDIV");
    assert_eq!(run(&nth, BIG), (BIG - 1).to_string());
    assert_eq!(run(&format!("{build}PICK 0\nEQ"), BIG), "1");
    let text = run(&format!("{build}NOP"), BIG);
    let end = format!(" {} {})", BIG - 2, BIG - 1);
    assert!(text.starts_with("(0 1 2 ") && text.ends_with(&end), "{}", &text[..40]);
}

// Lists nested deep along their cars (equality and printing at any depth): see
// `tests/robustness.rs`.

#[test]
fn pool_encoding_interns_names() {
    let program = assemble("NEW a,b,m=x\nNEW b,m=x\nx:\nGETATTR b\nSEND m/0").unwrap();
    let mut names = NameTable::default();
    let data = encode_pool(&program, &mut names);
    // strings [b, m]; descr 0: attrs [a, b], method (m, 4); descr 1: attrs [b], method (m, 4).
    let (a, b, m) = (names.intern("a"), names.intern("b"), names.intern("m"));
    assert_eq!(data, vec![2, b, m, 2, 2, a, b, 1, m, 4, 1, b, 1, m, 4]);
    assert_eq!((names.name(a), names.name(99)), ("a", "?"));
}

/// The pool travels as a string of little-endian words; `decode_words` reads them back,
/// negative and large ones included.
#[test]
fn pool_words_decode_in_rpy() {
    let words = [0, 1, 255, 256, -1, -200, i64::MAX, i64::MIN, 0x0102_0304_0506_0708];
    let rpy = Interpreter::get().rpy_program();
    let decode = rpy.graph_by_name("decode_words").unwrap();
    let Ty::Ref(words_ty) = rpy.graphs[decode].ret else { panic!() };
    let mut ll = Interp::new(rpy);
    let s = ll.alloc_str_latin1(&pool_words(&words));
    let array = ll.call(decode, &[s]).unwrap();
    let got: Vec<i64> = (0..ll.array_len(array) as usize)
        .map(|i| ll.read_item(array, words_ty, i).as_int().unwrap())
        .collect();
    assert_eq!(got, words);
}

/// The counting interpreter counts every dispatched instruction, RETURN and taken branches
/// included, in both modes; factorial runs 12 per loop iteration.
#[test]
fn counting_interpreter_counts_bytecodes() {
    let counting = Interpreter::compile_counting().unwrap();
    let three = assemble("PUSH 1\nPUSH 2\nADD").unwrap();
    let factorial = assemble(lang_tlc::benchmarks::FACTORIAL).unwrap();
    for mode in [Mode::Llinterp, Mode::Translated] {
        assert_eq!(counting.run_counting(&three, 0, mode), Ok(("3".into(), 3)));
        // 2 before the loop, 12 per iteration, 4 for the last test, 2 at the exit.
        let (text, n) = counting.run_counting(&factorial, 10, mode).unwrap();
        assert_eq!((text.as_str(), n), ("3628800", 2 + 12 * 9 + 4 + 2), "{mode:?}");
    }
    let e = Interpreter::get().run_counting(&three, 0, Mode::Llinterp).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Internal);
}

/// `load_pool` builds one class per structurally-equal descriptor (PyPy's `Class.get`).
#[test]
fn equal_descriptors_share_one_class() {
    let descr = |attrs: &[&str], meths: &[(&str, i64)]| ClassDescr {
        attributes: attrs.iter().map(|s| s.to_string()).collect(),
        methods: meths.iter().map(|(m, pc)| (m.to_string(), *pc)).collect(),
    };
    let program = Program {
        code: vec![],
        pool: ConstantPool {
            classdescrs: vec![
                descr(&["x", "y"], &[("m", 3)]),
                descr(&["x"], &[("m", 3)]),
                descr(&["x", "y"], &[("m", 3)]),
                descr(&["x", "y"], &[("m", 4)]),
                descr(&["x"], &[("m", 3)]),
            ],
            strings: vec![],
        },
    };
    let interp = Interpreter::get();
    let rpy = interp.rpy_program();
    let mut names = NameTable::default();
    let data: Vec<RtValue> =
        encode_pool(&program, &mut names).into_iter().map(RtValue::Int).collect();
    let load_pool = rpy.graph_by_name("load_pool").unwrap();
    let Ty::Ref(data_ty) = rpy.graphs[load_pool].params[0] else { panic!() };
    let mut ll = Interp::new(rpy);
    let data = ll.alloc_array(data_ty, &data);
    let pool = ll.call(load_pool, &[data]).unwrap();
    let pool_ty = rpy.types.struct_by_name("Pool").unwrap();
    let classes_field = rpy.types.struct_def(pool_ty).field_index("classes").unwrap();
    let classes = ll.read_field(pool, pool_ty, classes_field);
    let Ty::Ref(classes_ty) = rpy.types.struct_def(pool_ty).fields[classes_field as usize].ty
    else {
        panic!()
    };
    let class = |i| ll.read_item(classes, classes_ty, i);
    let c: Vec<RtValue> = (0..5).map(class).collect();
    assert_eq!(c[0], c[2]);
    assert_eq!(c[1], c[4]);
    assert_ne!(c[0], c[1]);
    assert_ne!(c[0], c[3]);
}
