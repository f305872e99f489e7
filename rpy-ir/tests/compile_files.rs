//! `rpy_ir::front::compile_files`: several named files compiled as one program, with
//! errors naming the file they are in.

use rpy_ir::front::compile_files;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;

#[test]
fn functions_and_structs_are_shared_across_files() {
    let a = "struct P:\n    x: int\n\ndef twice(p: P) -> int:\n    return helper(p.x) * 2\n";
    let b = "def helper(x: int) -> int:\n    return x + 1\n\ndef main(n: int) -> int:\n    return twice(P(x=n))\n";
    let program = compile_files(&[("a.rpy", a), ("b.rpy", b)]).unwrap_or_else(|d| panic!("{d}"));
    let main = program.graph_by_name("main").unwrap();
    let r = Interp::new(&program).call(main, &[RtValue::Int(20)]).unwrap();
    assert_eq!(r, RtValue::Int(42));
}

#[test]
fn a_parse_error_names_its_file() {
    let a = "def f() -> int:\n    return 1\n";
    let b = "def g() -> int:\n    return (\n";
    let e = compile_files(&[("a.rpy", a), ("b.rpy", b)]).unwrap_err().to_string();
    assert!(e.contains("b.rpy:"), "{e}");
    assert!(!e.contains("a.rpy:"), "{e}");
}

#[test]
fn a_type_error_names_its_file_and_line() {
    let a = "def f() -> int:\n    return 1\n";
    let b = "def g() -> int:\n    return 0\n\ndef h() -> int:\n    return f() + \"x\"\n";
    let e = compile_files(&[("a.rpy", a), ("b.rpy", b)]).unwrap_err().to_string();
    assert!(e.contains("b.rpy:5:"), "{e}");
}
