//! `lang-mini-python`: the mini-Python command line, shaped like `python3`'s.
//!
//! `lang-mini-python [--mode llinterp|translated|jit] [--jit-hot N] FILE.py [ARGS...]`,
//! `... -c CODE [ARGS...]`, `--dis FILE.py` (or `--dis -c CODE`) prints the bytecode.
//! A program is compiled (a syntax error is printed as CPython prints it, exit status 1)
//! and run by the interpreter written in RPy (`src/host/`, `src/interp/`) in the mode asked
//! for (default `jit`); the exit status is CPython's (1 after an uncaught exception's
//! traceback, `sys.exit(n)`). With no program and stdin a terminal (or `-i`, as
//! CPython's) it is a REPL (`host::repl`); with no arguments and no terminal it runs a demo.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use lang_mini_python::host::repl::{self, ReplSession};
use lang_mini_python::host::{Interpreter, Mode, RunInput};
use lang_mini_python::{compile_source, dis};

const USAGE: &str = "usage: lang-mini-python [--mode llinterp|translated|jit] [--jit-hot N] [--dis] [-i] [FILE.py | -c CODE] [ARGS...]";

/// The program `lang-mini-python` runs with no arguments and no terminal.
const DEMO: &str = "class Counter:\n    def __init__(self):\n        self.counts = {}\n    def add(self, word):\n        self.counts[word] = self.counts.get(word, 0) + 1\n\nc = Counter()\nfor w in 'the quick fox jumps over the lazy dog the end'.split():\n    c.add(w)\nprint(sorted(c.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])\n\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint([fib(i) for i in range(15)])\ntry:\n    print(1 // 0)\nexcept ZeroDivisionError as e:\n    print('caught:', e)\n";

/// What the command line asked for.
struct Options {
    mode: String,
    jit_hot: Option<u64>,
    argv: Vec<String>,
    dis: bool,
    /// `-i`: the REPL even when stdin is not a terminal.
    interactive: bool,
    source: Option<Source>,
}

enum Source {
    File(String),
    Code(String),
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        mode: "jit".into(),
        jit_hot: None,
        argv: Vec::new(),
        dis: false,
        interactive: false,
        source: None,
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--mode" => {
                let m = args.get(i + 1).ok_or("--mode needs a value")?;
                if !matches!(m.as_str(), "llinterp" | "translated" | "jit") {
                    return Err(format!("unknown mode '{m}' (llinterp, translated or jit)"));
                }
                o.mode = m.clone();
                i += 2;
            }
            "--jit-hot" => {
                let n = args.get(i + 1).ok_or("--jit-hot needs a number")?;
                let v =
                    n.parse::<u64>().map_err(|_| format!("--jit-hot needs a number, not '{n}'"))?;
                o.jit_hot = Some(v);
                i += 2;
            }
            "--dis" => {
                o.dis = true;
                i += 1;
            }
            "-i" => {
                o.interactive = true;
                i += 1;
            }
            "-c" => {
                let code = args.get(i + 1).ok_or("Argument expected for the -c option")?;
                o.source = Some(Source::Code(code.clone()));
                o.argv = std::iter::once("-c".to_string())
                    .chain(args[i + 2..].iter().cloned())
                    .collect();
                return Ok(o);
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            _ => {
                o.source = Some(Source::File(a.clone()));
                o.argv = args[i..].to_vec();
                return Ok(o);
            }
        }
    }
    Ok(o)
}

/// The file name CPython shows for a script: relative paths are joined to the current
/// directory without normalising (`python3 ./x.py` shows `/cwd/./x.py`).
fn display_path(path: &str) -> String {
    if path.starts_with('/') {
        return path.to_string();
    }
    match std::env::current_dir() {
        Ok(cwd) => format!("{}/{path}", cwd.display()),
        Err(_) => path.to_string(),
    }
}

/// The RPy interpreter compiled, with the environment's settings and `--jit-hot`; on
/// failure, the message is printed and the exit status returned.
fn start_interpreter(opts: &Options) -> Result<Interpreter, ExitCode> {
    let mut interp = match Interpreter::load(lang_mini_python::host::settings_from_env()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("lang-mini-python: the interpreter does not compile:\n{e}");
            return Err(ExitCode::from(2));
        }
    };
    if let Some(n) = opts.jit_hot {
        interp.set_jit_hot(n);
    }
    Ok(interp)
}

/// The interactive loop on stdin, in the mode asked for.
fn repl(opts: &Options) -> ExitCode {
    let mode = Mode::from_name(&opts.mode).expect("parse_args checks the mode");
    let interp = match start_interpreter(opts) {
        Ok(i) => i,
        Err(status) => return status,
    };
    eprintln!(
        "mini-Python (a Python 3 subset run by an interpreter written in RPy), {} mode\n\
         Ctrl-D leaves.",
        mode.name()
    );
    let mut session = match ReplSession::new(&interp, mode) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lang-mini-python: {e}");
            return ExitCode::from(2);
        }
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines().map_while(Result::ok);
    let mut prompt = |p: &str| {
        let mut err = std::io::stderr();
        let _ = err.write_all(p.as_bytes()).and_then(|()| err.flush());
    };
    match repl::interact(&mut session, &mut lines, &mut prompt) {
        Ok(status) => ExitCode::from((status & 0xff) as u8),
        Err(e) => {
            eprintln!("lang-mini-python: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let status = run();
    // No compilation may run under LLVM's exit-time destructors (a background compilation
    // at exit spun forever in a destroyed LLVM table, seen in CI).
    backend_llvm::quiesce();
    status
}

/// The command line's work; its exit status.
fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse_args(&args) {
        Ok(o) => o,
        Err(msg) => {
            if msg.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("lang-mini-python: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (source, filename) = match &opts.source {
        None => {
            if opts.interactive || std::io::stdin().is_terminal() {
                return repl(&opts);
            }
            println!(
                "lang-mini-python: a Python 3 subset (see spec/MINI_PYTHON.md), compiled to bytecode in \
                 Rust and run by an interpreter written in RPy. A demo:"
            );
            let code = compile_source(DEMO, "<demo>").expect("the demo compiles");
            let input = RunInput {
                code: &code,
                filename: "<demo>",
                source: DEMO,
                argv: &[],
                capture_stderr: false,
            };
            return match Interpreter::compile().and_then(|i| i.run(&input, Mode::Jit)) {
                Ok(o) => ExitCode::from((o.status & 0xff) as u8),
                Err(e) => {
                    eprintln!("lang-mini-python: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Some(Source::Code(c)) => (c.clone(), "<string>".to_string()),
        Some(Source::File(path)) => {
            let shown = display_path(path);
            match std::fs::read(path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => (s, shown),
                    Err(_) => {
                        eprintln!("lang-mini-python: {shown}: the source is not UTF-8");
                        return ExitCode::from(1);
                    }
                },
                Err(e) => {
                    let errno = e.raw_os_error().unwrap_or(0);
                    let reason = e.to_string();
                    let reason = reason.split(" (os error").next().unwrap_or(&reason).to_string();
                    eprintln!(
                        "lang-mini-python: can't open file '{shown}': [Errno {errno}] {reason}"
                    );
                    return ExitCode::from(2);
                }
            }
        }
    };
    let code = match compile_source(&source, &filename) {
        Ok(c) => c,
        Err(e) => {
            eprint!("{}", e.render(&filename));
            return ExitCode::from(1);
        }
    };
    if opts.dis {
        print!("{}", dis::disassemble(&code));
        return ExitCode::SUCCESS;
    }
    let mode = Mode::from_name(&opts.mode).expect("parse_args checks the mode");
    let interp = match start_interpreter(&opts) {
        Ok(i) => i,
        Err(status) => return status,
    };
    let input = RunInput {
        code: &code,
        filename: &filename,
        source: &source,
        argv: &opts.argv,
        capture_stderr: false,
    };
    // The process ends after this run: the interpreter is not freed (see `run_once`).
    let result = interp.run_once(&input, mode);
    match result {
        Ok(outcome) => ExitCode::from((outcome.status & 0xff) as u8),
        Err(e) => {
            eprintln!("lang-mini-python: {e}");
            ExitCode::from(1)
        }
    }
}
