//! The `rpy-llvm` command line: `run` prints what `rpy-ir run` prints (output, result, and on a
//! runtime error the rendered error on stderr with exit status 1).

use std::process::Command;

fn rpy_llvm(args: &[&str]) -> (String, String, i32) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new(env!("CARGO_BIN_EXE_rpy-llvm"))
        .current_dir(root)
        .args(args)
        .env("RPY_LLVM_CACHE", std::env::temp_dir().join("rpy-llvm-cli-test-cache"))
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (text(out.stdout), text(out.stderr), out.status.code().unwrap())
}

#[test]
fn run_prints_output_then_result() {
    for opt in ["O0", "O2"] {
        let (out, err, code) =
            rpy_llvm(&["run", "--opt", opt, "rpy-ir/examples/demo.rpy", "main", "25"]);
        assert_eq!(out, "fib(25) = 75025\ncountdown interpreter: sum 1..25 = 325\n325\n", "{err}");
        assert_eq!(code, 0);
    }
    let (out, _, code) =
        rpy_llvm(&["run", "--no-cache", "rpy-ir/tests/programs/strings.rpy", "greet", "0"]);
    assert_eq!((out.as_str(), code), ("hello world\n", 0));
}

#[test]
fn runtime_errors_are_rendered_like_rpy_ir() {
    let (out, err, code) =
        rpy_llvm(&["run", "rpy-ir/tests/programs/recursion.rpy", "forever", "0"]);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "rpy-ir/tests/programs/recursion.rpy:22:12: runtime error: stack overflow: more than \
         100000 nested calls\n        return forever(n + 1) + 1\n               ^\n"
    );
    assert_eq!(code, 1);
    let (_, err, code) = rpy_llvm(&["run", "rpy-ir/tests/programs/fact.rpy", "fact", "x"]);
    assert_eq!((err.as_str(), code), ("error: argument 1 ('x') is not a valid int\n", 1));
}
