//! Deep and recursive programs never crash the runner or show its internals, in every mode:
//! results nested 10^5 deep print (an explicit work stack, no Rust recursion) and compare
//! (`cons_eq` in `tlc.rpy`, no RPy recursion), and a TLC recursion deeper than `MAX_FRAMES`
//! (`tlc.rpy`) is a TLC `RuntimeError` (exit status 1), long before memory runs out.
//!
//! The programs are the repros of `shared/repros/jit-robustness/` (copied here), at sizes that
//! crashed before (a Rust stack overflow in the printer, an RPy stack overflow in equality, an
//! unbounded frame stack) yet run in about a second in the IR interpreter.

mod repros;

use std::process::Command;

use lang_tlc::{assemble, ErrorKind, Interpreter, Mode, TlcError};
use repros::*;

const MODES: [Mode; 4] = [Mode::Llinterp, Mode::Translated, Mode::Jit, Mode::JitLlinterp];

/// The outcome of `src` run with `input` in every mode; panics unless all agree.
fn run_everywhere(src: &str, input: i64) -> Result<String, TlcError> {
    let program = assemble(src).unwrap();
    let interp = Interpreter::get();
    let reference = interp.run(&program, input, Mode::Llinterp);
    for mode in &MODES[1..] {
        let outcome = interp.run(&program, input, *mode);
        assert!(outcome == reference, "{} disagrees with llinterp: {outcome:?}", mode.name());
    }
    reference
}

fn recursion_error() -> Result<String, TlcError> {
    Err(TlcError {
        kind: ErrorKind::RuntimeError,
        message: "maximum recursion depth exceeded".into(),
    })
}

#[test]
fn a_list_nested_deep_in_its_cars_prints() {
    let n = 100_000;
    let expect = format!("{}nil{}", "(".repeat(n), ")".repeat(n));
    assert!(run_everywhere(NESTED_CAR_PRINT, n as i64) == Ok(expect));
}

#[test]
fn a_long_chain_of_objects_prints() {
    let n = 100_000;
    let expect = format!("{}nil{}", "<object value=".repeat(n), ">".repeat(n));
    assert!(run_everywhere(OBJECT_CHAIN_PRINT, n as i64) == Ok(expect));
}

#[test]
fn an_object_reachable_from_itself_prints_once() {
    let expect = "(<object value=<object ...>> <object value=<object ...>>)";
    assert_eq!(run_everywhere(CYCLE, 0), Ok(expect.to_string()));
}

#[test]
fn lists_nested_deeper_than_rpy_calls_go_compare() {
    // 200 000 levels: twice as deep as the IR interpreter's limit on nested calls.
    assert_eq!(run_everywhere(&nested_car_eq(), 200_000), Ok("1".to_string()));
}

#[test]
fn recursion_up_to_the_limit_runs_and_beyond_it_is_a_runtime_error() {
    // The outermost frame is not on the frame stack: 99 999 nested SENDs from `main`'s one.
    assert_eq!(run_everywhere(SEND_RECURSION, 99_999), Ok("99999".to_string()));
    assert_eq!(run_everywhere(SEND_RECURSION, 100_000), recursion_error());
    assert_eq!(run_everywhere(INFINITE_CALL_RECURSION, 0), recursion_error());
}

/// The JIT at a depth the IR interpreter would take too long for.
#[test]
fn a_million_levels_print_and_compare_in_the_jit() {
    let n = 1_000_000;
    let interp = Interpreter::get();
    let (print, eq) = (assemble(NESTED_CAR_PRINT).unwrap(), assemble(&nested_car_eq()).unwrap());
    let chain = assemble(OBJECT_CHAIN_PRINT).unwrap();
    // (Not translated mode, which builds these slowly: the collector marks the deep structure
    // at each collection; the JIT keeps the value stack virtual and allocates less.)
    let expect = format!("{}nil{}", "(".repeat(n), ")".repeat(n));
    assert!(interp.run(&print, n as i64, Mode::Jit) == Ok(expect));
    assert_eq!(interp.run(&eq, n as i64, Mode::Jit), Ok("1".to_string()));
    let text = interp.run(&chain, n as i64, Mode::Jit).unwrap();
    assert_eq!(text.len(), n * "<object value=>".len() + 3);
}

#[test]
fn the_command_line_exits_1_on_too_deep_a_recursion() {
    let dir = std::env::temp_dir().join(format!("lang-tlc-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("infinite_call_recursion.tlc.src");
    std::fs::write(&file, INFINITE_CALL_RECURSION).unwrap();
    for mode in ["llinterp", "jit"] {
        let out = Command::new(env!("CARGO_BIN_EXE_lang-tlc"))
            .args(["--mode", mode, "run"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{mode}: {stderr}");
        assert_eq!(stderr, "error: RuntimeError: maximum recursion depth exceeded\n", "{mode}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn residual_exits_1_when_the_program_fails() {
    let div = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/tlc/div_by_zero.tlc.src");
    let out =
        Command::new(env!("CARGO_BIN_EXE_lang-tlc")).args(["residual", div]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr, "error: ZeroDivisionError: integer division by zero\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.ends_with("; result: error: ZeroDivisionError: integer division by zero\n"));
}
