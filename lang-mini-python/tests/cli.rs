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
fn a_program_runs_in_every_mode_with_its_arguments() {
    let p = temp_program(
        "ok.py",
        "import sys\ndef f(x):\n    return x + 1\nprint(f(1), sys.argv[1:])\n",
    );
    for mode in ["llinterp", "translated", "jit"] {
        let (status, out, err) = run(&["--mode", mode, p.to_str().expect("utf-8 path"), "arg1"]);
        assert_eq!(status, 0, "{err}");
        assert_eq!(out, "2 ['arg1']\n", "{mode}");
        assert!(err.is_empty(), "{err}");
    }
    let (status, out, err) =
        run(&["--jit-hot", "1", "-c", "s = 0\nfor i in range(100): s += i\nprint(s)"]);
    assert_eq!((status, out.as_str()), (0, "4950\n"), "{err}");
}

#[test]
fn an_uncaught_exception_prints_a_traceback_and_exits_1() {
    let p = temp_program("boom.py", "def f(d):\n    return d['k']\nprint('before')\nf({})\n");
    let shown = p.to_str().expect("utf-8 path");
    let (status, out, err) = run(&["--mode", "translated", shown]);
    assert_eq!(status, 1);
    assert_eq!(out, "before\n");
    // CPython 3.11's traceback, position markers under `d['k']` (`~^^^^^`) included.
    assert_eq!(
        err,
        format!(
            "Traceback (most recent call last):\n  File \"{shown}\", line 4, in <module>\n    f({{}})\n  File \"{shown}\", line 2, in f\n    return d['k']\n           ~^^^^^\nKeyError: 'k'\n"
        )
    );
    let (status, _, _) = run(&["-c", "import sys\nsys.exit(3)"]);
    assert_eq!(status, 3);
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

/// Runs the binary with `stdin` as its input; returns (status, stdout, stderr).
fn run_with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lang-mini-python");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_repl_echoes_values_keeps_names_and_survives_errors() {
    // What `python3 -i < input` prints on stdout (checked against CPython 3.11).
    let input = "x = 6 * 7\nx\n\"hi\"\nNone\ndef f(n):\n    return n + 1\n\nf(x)\n[f(i) for i in range(3)]\n1/0\nfor i in range(2):\n    i\n\n(1,\n 2)\n_\nx = = 1\nimport sys\nsys.exit(4)\nprint('not reached')\n";
    for mode in ["llinterp", "translated", "jit"] {
        let (status, out, err) = run_with_stdin(&["--mode", mode, "-i"], input);
        assert_eq!(status, 4, "{mode}: {err}");
        assert_eq!(out, "42\n'hi'\n43\n[1, 2, 3]\n0\n1\n(1, 2)\n(1, 2)\n", "{mode}");
        assert!(err.contains(">>> ") && err.contains("... "), "{mode}: {err}");
        assert!(
            err.contains("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nZeroDivisionError: division by zero\n"),
            "{mode}: {err}"
        );
        assert!(
            err.contains(
                "  File \"<stdin>\", line 1\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n"
            ),
            "{mode}: {err}"
        );
    }
    // The end of the input ends the session with status 0.
    let (status, out, _) = run_with_stdin(&["-i"], "print(1 + 1)\n");
    assert_eq!((status, out.as_str()), (0, "2\n"));
}

/// JIT mode's start-up (issue 16: no slower than translated mode's): the second run of the
/// binary finds the merge point the first run's hint analysis found beside the translation
/// cache, so it analyses only when it compiles; both compute the same.
#[test]
fn a_second_jit_run_starts_without_the_hint_analysis() {
    let src = "s = 0\nfor i in range(2000): s += i\nprint(s)";
    let cost = |hot: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
            .args(["--jit-hot", hot, "-c", src])
            .env("RPY_JIT_LOG", "cost")
            .stdin(Stdio::null())
            .output()
            .expect("run lang-mini-python");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "1999000\n", "{err}");
        err
    };
    cost("100000");
    let cold = cost("100000");
    assert!(cold.contains("jit set-up: merge point known"), "{cold}");
    assert!(!cold.contains("jit analysis"), "nothing compiled, nothing analysed:\n{cold}");
    let hot = cost("1");
    assert!(hot.contains("jit set-up: merge point known"), "{hot}");
    assert!(hot.contains("jit analysis (at the first compilation)"), "{hot}");
}
