//! The `lang-tlc` command line: output, `error: KIND: message` on stderr, exit statuses, the
//! `.tlc` round trip through `asm`/`disasm`/`run`, the modes, and the demo.

use std::path::PathBuf;
use std::process::{Command, Output};

fn conformance(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/tlc")
        .join(format!("{name}.tlc.src"))
}

fn lang_tlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lang-tlc")).args(args).output().unwrap()
}

/// (exit status, stdout, stderr)
fn outcome(args: &[&str]) -> (i32, String, String) {
    let out = lang_tlc(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// A fresh directory for one test's files (tests run in parallel in one process: each has
/// its own, which it removes at the end).
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lang-tlc-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn run_prints_the_result() {
    let push = conformance("push");
    assert_eq!(outcome(&["run", path(&push)]), (0, "16\n".into(), String::new()));
    let abs = conformance("abs");
    assert_eq!(outcome(&["run", path(&abs), "-7"]), (0, "7\n".into(), String::new()));
    let setattr = conformance("setattr");
    let (status, stdout, _) = outcome(&["--mode", "llinterp", "run", path(&setattr)]);
    assert_eq!((status, stdout.as_str()), (0, "<object foo=42 bar=nil>\n"));
}

#[test]
fn tlc_errors_exit_1() {
    let missing = conformance("missing_attr");
    let expect = (1, String::new(), "error: KeyError: no such attribute 'bar'\n".to_string());
    assert_eq!(outcome(&["run", path(&missing)]), expect);
    let (status, _, stderr) = outcome(&["run", path(&conformance("div_by_zero"))]);
    assert_eq!(
        (status, stderr.as_str()),
        (1, "error: ZeroDivisionError: integer division by zero\n")
    );
}

#[test]
fn translated_mode_prints_the_same() {
    let setattr = conformance("setattr");
    let (status, stdout, stderr) = outcome(&["--mode", "translated", "run", path(&setattr)]);
    assert_eq!((status, stdout.as_str()), (0, "<object foo=42 bar=nil>\n"), "{stderr}");
    let fibo = conformance("fibo");
    assert_eq!(
        outcome(&["--mode", "translated", "run", path(&fibo), "93"]).1,
        "-6246583658587674878\n"
    );
    let missing = conformance("missing_attr");
    let expect = (1, String::new(), "error: KeyError: no such attribute 'bar'\n".to_string());
    assert_eq!(outcome(&["--mode", "translated", "run", path(&missing)]), expect);
}

#[test]
fn the_jit_is_the_default_mode_and_prints_the_same() {
    let fibo = conformance("fibo");
    let jit = outcome(&["--mode", "jit", "run", path(&fibo), "93"]);
    assert_eq!(jit, (0, "-6246583658587674878\n".into(), String::new()));
    assert_eq!(outcome(&["run", path(&fibo), "93"]), jit);
    assert_eq!(outcome(&["--jit-hot", "1", "run", path(&fibo), "93"]), jit, "an eager JIT");
    let missing = conformance("missing_attr");
    let expect = (1, String::new(), "error: KeyError: no such attribute 'bar'\n".to_string());
    assert_eq!(outcome(&["run", path(&missing)]), expect);
}

#[test]
fn a_missing_file_exits_2() {
    let (status, _, stderr) = outcome(&["run", "/nonexistent/file.tlc.src"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("/nonexistent/file.tlc.src"), "{stderr}");
}

#[test]
fn asm_disasm_and_run_a_tlc_file() {
    let dir = scratch_dir("asm");
    let tlc = dir.join("accumulator.tlc");
    let src = conformance("accumulator");
    assert_eq!(outcome(&["asm", path(&src), path(&tlc)]).0, 0);
    assert_eq!(outcome(&["run", path(&tlc), "10"]), (0, "45\n".into(), String::new()));
    let (status, text, _) = outcome(&["disasm", path(&tlc)]);
    assert_eq!(status, 0);
    let expected = lang_tlc::assemble(&std::fs::read_to_string(&src).unwrap()).unwrap();
    assert_eq!(lang_tlc::assemble(&text).unwrap(), expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_arguments_runs_the_demo() {
    let (status, stdout, stderr) = outcome(&[]);
    assert_eq!(status, 0, "{stderr}");
    for line in
        ["factorial(10)", "3628800", "fibo(10)", "55", "accumulator(10)", "45", "translated"]
    {
        assert!(stdout.contains(line), "{line} missing from:\n{stdout}");
    }
}

/// `PICK` and `PUT` counting from the bottom of the stack (a negative argument), compiled
/// from the program's start (`--jit-hot 1`: the stack below the pushed values is a real
/// object, its depth unknown at compile time): compiled, not given up. `from_top` once asked
/// for the depth green, and the specializer unrolled the walk down the stack until its budget
/// of 50000 residual operations ran out (seconds per instruction).
#[test]
fn pick_and_put_from_the_bottom_compile_without_unrolling_the_stack_walk() {
    let dir = scratch_dir("bottom");
    let file = dir.join("bottom.tlc.src");
    let src = "main:\n    PUSH 1\n    PUSH 2\n    PUSH 3\n    PICK -1\n    PUT -3\n    PICK -2\n    ADD\n    RETURN\n";
    std::fs::write(&file, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lang-tlc"))
        .args(["run", path(&file), "0", "--jit-hot", "1"])
        .env("RPY_JIT_LOG", "summary")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "3\n", "{stderr}");
    assert!(stderr.contains("compiled") && !stderr.contains("gave up"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A short run with an eager JIT ends while its hot loop may still be compiling on the compile
/// thread: the process must exit cleanly all the same (LLVM's exit-time destructors once ran
/// under that compilation, and a quarter of such runs ended in `LLVM ERROR`).
#[test]
fn short_eager_jit_runs_exit_cleanly_while_hot_code_compiles() {
    let fibo = conformance("fibo");
    for _ in 0..16 {
        let got = outcome(&["--jit-hot", "1", "run", path(&fibo), "93"]);
        assert_eq!(got, (0, "-6246583658587674878\n".into(), String::new()));
    }
}
