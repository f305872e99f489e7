//! The command line: what it accepts, what it prints, its exit statuses.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run lang-mini-python");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_program(name: &str, src: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mini-python-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::File::create(&p).and_then(|mut f| f.write_all(src.as_bytes())).expect("write program");
    p
}

#[test]
fn no_arguments_and_no_terminal_says_what_it_is() {
    let (status, out, _) = run(&[]);
    assert_eq!(status, 0);
    assert!(out.contains("Python 3 subset"), "{out}");
}

#[test]
fn a_valid_program_compiles_then_says_running_is_not_possible_yet() {
    let p = temp_program("ok.py", "def f(x):\n    return x + 1\nprint(f(1))\n");
    for mode in ["llinterp", "translated", "jit"] {
        let (status, out, err) = run(&["--mode", mode, p.to_str().expect("utf-8 path"), "arg1"]);
        assert_eq!(status, 2, "{err}");
        assert!(out.is_empty());
        assert!(
            err.contains("compiled (2 code objects)") && err.contains(&format!("mode '{mode}'")),
            "{err}"
        );
        assert!(err.contains("nothing was run"), "{err}");
    }
    let (status, _, err) = run(&["--jit-hot", "1", "-c", "x = 1"]);
    assert_eq!(status, 2, "{err}");
}

#[test]
fn syntax_errors_exit_1_in_cpythons_format() {
    let p = temp_program("bad.py", "if True:\n    x = (1,\n");
    let shown = p.to_str().expect("utf-8 path");
    let (status, out, err) = run(&[shown]);
    assert_eq!(status, 1);
    assert!(out.is_empty());
    assert_eq!(err, format!("  File \"{shown}\", line 2\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n"));
}

#[test]
fn dis_prints_the_bytecode() {
    let (status, out, _) = run(&["--dis", "-c", "print(1 + 2)"]);
    assert_eq!(status, 0);
    assert!(out.contains("Disassembly of <code object <module> at line 1>"), "{out}");
    assert!(out.contains("BINARY_OP              0 (+)"), "{out}");
    assert!(out.contains("RETURN_VALUE"), "{out}");
}

#[test]
fn bad_usage_and_missing_files() {
    let (status, _, err) = run(&["--mode", "fast", "x.py"]);
    assert_eq!(status, 2);
    assert!(err.contains("unknown mode 'fast'"), "{err}");
    let (status, _, err) = run(&["--bogus"]);
    assert_eq!(status, 2);
    assert!(err.contains("unknown option --bogus"), "{err}");
    let (status, _, err) = run(&["-c"]);
    assert_eq!(status, 2);
    assert!(err.contains("Argument expected for the -c option"), "{err}");
    let (status, _, err) = run(&["/nonexistent/dir/prog.py"]);
    assert_eq!(status, 2);
    assert_eq!(
        err,
        "lang-mini-python: can't open file '/nonexistent/dir/prog.py': [Errno 2] No such file or directory\n"
    );
}
